#!/usr/bin/env python
"""Where one page spends its time, in-process: SQL (each query with its time) and Python
(cProfile, the functions with the most time of their own).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/allas_bench
    .venv/bin/python bench/profile_page.py "large network profile"
    .venv/bin/python bench/profile_page.py /es/partners/

A name is one of bench/run.py's pages; anything starting with "/" is a URL. The page cache is
off (PUBLIC_PAGE_CACHE_SECONDS=0) unless --cached; the first request warms the caches and is not
counted, the next --repeat requests are.
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="A page name of bench/run.py, or a URL path.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cached", action="store_true", help="Keep the page cache on.")
    parser.add_argument("--top", type=int, default=25, help="Functions to list.")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE each query of the page."
    )
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("Give --database-url (or set DATABASE_URL).")

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import run  # noqa: I001 (bench/run.py, importable once bench/ is on the path)

    # The server settings of the benchmark (DEBUG off, the shared cache of REDIS_URL...).
    os.environ.update(run.server_environment(args))
    if not args.cached:
        os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    # DEBUG off serves static files from STATIC_ROOT, through the manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, check=True
    )
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    url, user = args.page, None
    if not url.startswith("/"):
        targets, _refs = run.build_targets(timezone.localdate())
        found = {name: (u, who) for name, _kind, u, who in targets}
        if url not in found:
            sys.exit(f"Unknown page {url!r}; one of: {', '.join(found)}")
        url, user = found[url]
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    if user:
        cookies = run.prepare_accounts()
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[user]

    response = client.get(url)  # warm-up
    print(f"{url}  →  {response.status_code}, {len(response.content):,} bytes")

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    total_sql = sum(float(q["time"]) for q in queries)
    print(f"\n{len(queries)} queries, {total_sql * 1000:.1f} ms in the database driver:")
    for query in queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
        if args.explain and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                for (line,) in cursor.fetchall():
                    print(f"              {line}")

    started = time.perf_counter()
    for _ in range(args.repeat):
        client.get(url)
    elapsed = (time.perf_counter() - started) / args.repeat
    print(f"\n{elapsed * 1000:.1f} ms per request in-process (mean of {args.repeat})")

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(url)
    profiler.disable()
    elapsed = (time.perf_counter() - started) / args.repeat
    print(f"\n{elapsed * 1000:.1f} ms per request in-process (profiled; mean of {args.repeat})\n")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
