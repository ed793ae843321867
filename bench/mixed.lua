-- wrk script of bench/mixed_load.py: visitors load the spread of pages listed (one path per
-- line, already drawn by popularity) in the file MIXED_PATHS, each connection from its own
-- place in the list; counts the page cache's answers (the X-Page-Cache header the app sends
-- when BENCHMARK_VIEWS is on: hit, miss, or joined: waited for another worker's rendering)
-- and prints the run's summary as one JSON line.
local paths = {}
for line in io.lines(os.getenv("MIXED_PATHS")) do
  paths[#paths + 1] = line
end
local index = math.random(#paths)
hits, misses, joined, others = 0, 0, 0, 0

request = function()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

response = function(status, headers, body)
  local outcome = headers["X-Page-Cache"]
  if outcome == "hit" then
    hits = hits + 1
  elseif outcome == "miss" then
    misses = misses + 1
  elseif outcome == "joined" then
    joined = joined + 1
  else
    others = others + 1
  end
end

local threads = {}
setup = function(thread)
  thread:set("id", #threads + 1)
  threads[#threads + 1] = thread
end

init = function(args)
  math.randomseed(id * 7919)
  index = math.random(#paths)
end

done = function(summary, latency, requests)
  local h, m, j, o = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    j = j + thread:get("joined")
    o = o + thread:get("others")
  end
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors_status": %d, ' ..
    '"errors_timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"hits": %d, "misses": %d, "joined": %d, "others": %d}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.status,
    summary.errors.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), h, m, j, o))
end
