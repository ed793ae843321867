#!/usr/bin/env python
"""Mixed load: visitors browse a spread of public pages while an editor saves records.

    .venv/bin/python bench/mixed_load.py --database-url postgres://postgres@127.0.0.1:5432/allas_bench

What the page cache is worth when the content changes: gunicorn serves the app as in production
(bench/run.py's server and settings, page cache on, Redis), wrk loads a spread of public pages
drawn by popularity (bench/mixed.lua), and an editor in this process saves records through the
ORM at a chosen rate (``--rates``, edits a minute), so every save sends the signals a save in
the admin sends. For each rate: requests/s, p50/p95, the page cache's hit rate (the
X-Page-Cache header, sent when BENCHMARK_VIEWS is on) and the edits made. Written to
bench/results/mixed-<date-time>.json.

The spread (seeded by ``--seed``): the home page, the lists with and without filters, the
Results page and the feed (a third of the requests), then ``--details`` detail pages of
activities, partners, resources and agreements, each in one of the four languages (the other
two thirds, evenly). The editor saves records whose pages are in the spread, in turn: an
activity (its summary), a participation (its attendees) and a partner (its description), each
change undone by the next save of that record, so the data set is the same after a run.
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import run  # noqa: E402  (bench/run.py: the server and its settings)

LUA = ROOT / "bench" / "mixed.lua"
LANGUAGES = ("es", "pt", "fr", "en")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--rates", type=int, nargs="+", default=[0, 1, 10, 60], help="Edits a minute."
    )
    parser.add_argument("--duration", type=int, default=40, help="Seconds of load per rate.")
    parser.add_argument("--details", type=int, default=600, help="Detail pages in the spread.")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2)
    parser.add_argument("--connections", type=int, default=None)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    args.connections = args.connections or args.workers
    args.threads = 1
    return args


def spread(rng, count):
    """The paths visitors load, in a shuffled order that gives the lists a third of the
    requests; and the records whose pages are in it (for the editor)."""
    from django.urls import reverse
    from django.utils import timezone, translation

    from activities.models import Activity, Resource
    from partners.models import Agreement, Partner
    from results.models import Period

    year = timezone.localdate().year - 1
    period = Period.objects.order_by("-starts_on", "pk").first()
    lists = []
    for language in ("es", "en"):
        with translation.override(language):
            lists += [
                reverse("home"),
                reverse("partners:partner-list"),
                reverse("partners:partner-list") + "?kind=city&region=europe",
                reverse("activities:activity-list"),
                reverse("activities:activity-list") + f"?kind=training&year={year}",
                reverse("activities:resource-list"),
                reverse("partners:agreement-list"),
                reverse("activities:feed-all"),
            ]
            if period:
                lists.append(reverse("results:period", kwargs={"slug": period.slug}))

    def sample(queryset, n):
        keys = list(queryset.values_list("pk", flat=True).order_by("pk"))
        return set(rng.sample(keys, min(n, len(keys))))

    activity_ids = sample(Activity.objects.visible(), count // 2)
    partner_ids = sample(Partner.objects.public(), count // 4)
    resource_ids = sample(Resource.objects.public(), count // 8)
    agreement_ids = sample(Agreement.objects.public(), count // 8)
    details = []
    for model, ids, name in (
        (Activity, activity_ids, "activities:activity-detail"),
        (Partner, partner_ids, "partners:partner-detail"),
        (Resource, resource_ids, "activities:resource-detail"),
        (Agreement, agreement_ids, "partners:agreement-detail"),
    ):
        for slug in model.objects.filter(pk__in=ids).order_by("pk").values_list("slug", flat=True):
            with translation.override(rng.choice(LANGUAGES)):
                details.append(reverse(name, kwargs={"slug": slug}))
    # Each list as often as all details together, divided among the lists: a third in all.
    paths = details * 2 + lists * max(1, len(details) // len(lists))
    rng.shuffle(paths)
    return paths, details, lists, {"activities": activity_ids, "partners": partner_ids}


class Editor(threading.Thread):
    """Saves one record every 60/rate seconds, in turn an activity, a participation and a
    partner of the spread; each change is undone by the record's next save."""

    def __init__(self, rate, records, rng):
        super().__init__(daemon=True)
        self.interval = 60 / rate
        self.rng = rng
        self.activities = sorted(records["activities"])
        self.partners = sorted(records["partners"])
        self.stop = threading.Event()
        self.saved = 0

    def run(self):
        from django.db import close_old_connections

        try:
            # The first edit half an interval in, so that one a minute edits once in 40 s.
            wait = self.interval / 2
            while not self.stop.wait(wait):
                self.edit(self.saved % 3)
                self.saved += 1
                wait = self.interval
        finally:
            close_old_connections()

    def edit(self, turn):
        from activities.models import Activity, Participation
        from partners.models import Partner

        if turn == 0:
            activity = Activity.objects.get(pk=self.rng.choice(self.activities))
            activity.summary_es = toggled(activity.summary_es)
            activity.save()
        elif turn == 1:
            participation = (
                Participation.objects.filter(activity_id=self.rng.choice(self.activities))
                .order_by("pk")
                .first()
            )
            if participation:
                participation.attendees += 1 if participation.attendees % 2 == 0 else -1
                participation.save()
        else:
            partner = Partner.objects.get(pk=self.rng.choice(self.partners))
            partner.description_es = toggled(partner.description_es)
            partner.save()


def toggled(text):
    mark = " ·"
    return text[: -len(mark)] if text.endswith(mark) else text + mark


def run_wrk(args, server, paths_file, seconds):
    command = ["wrk", "-t", "1", "-c", str(args.connections), "-d", f"{seconds}s"]
    command += ["--timeout", "30s", "-s", str(LUA), "-H", "Accept-Encoding: gzip", server.base]
    env = {**os.environ, "MIXED_PATHS": str(paths_file)}
    output = subprocess.run(command, capture_output=True, text=True, env=env).stdout
    match = re.search(r"BENCH-JSON (\{.*\})", output)
    if not match:
        raise RuntimeError(f"wrk gave no summary:\n{output}")
    return json.loads(match.group(1))


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `sudo apt-get install -y wrk`.")
    env = run.server_environment(args)
    env.pop("PUBLIC_PAGE_CACHE_SECONDS", None)  # the page cache on, as in production
    os.environ.update(env)
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H%M")
    subprocess.run(
        [run.PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    import django

    django.setup()
    rng = random.Random(args.seed)
    paths, details, lists, records = spread(rng, args.details)
    result = {
        "date": stamp,
        "machine": run.machine(),
        "data_size": run.data_size(),
        "spread": {"paths": len(set(paths)), "lists": len(lists), "details": len(details)},
        "server": {"workers": args.workers, "connections": args.connections},
        "seconds_per_rate": args.duration,
        "rates": [],
    }
    server = run.Server(args, env, run.RESULTS / f"mixed-{stamp}-gunicorn.log")
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as paths_file:
        paths_file.write("\n".join(paths) + "\n")
        paths_file.flush()
        try:
            server.start()
            bare = run.run_wrk(args, server.base + "/bench/bare/", [], 10)
            result["bare_requests_per_s"] = round(bare["requests"] / (bare["duration_us"] / 1e6), 1)
            print(f"Bare view: {result['bare_requests_per_s']} req/s", flush=True)
            print(f"Warming the cache: {len(set(paths))} pages…", flush=True)
            for path in sorted(set(paths)):
                run.fetch(server.base + path)
            for rate in args.rates:
                editor = Editor(rate, records, random.Random(args.seed + rate)) if rate else None
                if editor:
                    editor.start()
                summary = run_wrk(args, server, Path(paths_file.name), args.duration)
                if editor:
                    editor.stop.set()
                    editor.join()
                answered = summary["hits"] + summary["misses"] + summary["joined"]
                seconds = summary["duration_us"] / 1e6
                row = {
                    "edits_per_minute": rate,
                    "edits": editor.saved if editor else 0,
                    "requests_per_s": round(summary["requests"] / seconds, 1),
                    "p50_ms": round(summary["p50_us"] / 1000, 1),
                    "p95_ms": round(summary["p95_us"] / 1000, 1),
                    "hit_rate": round(summary["hits"] / answered, 3) if answered else None,
                    "joined_rate": round(summary["joined"] / answered, 3) if answered else None,
                    "errors": summary["errors_status"] + summary["errors_timeout"],
                    "uncounted": summary["others"],
                }
                result["rates"].append(row)
                print(
                    f"  {rate:>3} edits/min: {row['requests_per_s']:>7} req/s, p50 "
                    f"{row['p50_ms']} ms, p95 {row['p95_ms']} ms, hit rate {row['hit_rate']} "
                    f"(joined {row['joined_rate']}), "
                    f"{row['edits']} edits, {row['errors']} errors",
                    flush=True,
                )
        finally:
            server.stop()
    base = next((r["requests_per_s"] for r in result["rates"] if not r["edits_per_minute"]), None)
    for row in result["rates"]:
        row["of_no_edits"] = round(row["requests_per_s"] / base, 2) if base else None
        row["of_bare"] = round(row["requests_per_s"] / result["bare_requests_per_s"], 2)
    path = run.RESULTS / f"mixed-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"\n{result['spread']['paths']} pages ({len(lists)} lists); {result['data_size']}")
    print(f"bare view: {result['bare_requests_per_s']} req/s")
    print("edits/min   req/s   × bare   × no edits   p50 ms   p95 ms   hit rate   joined   edits")
    for row in result["rates"]:
        print(
            f"{row['edits_per_minute']:>9} {row['requests_per_s']:>7} {row['of_bare']:>8} "
            f"{row['of_no_edits']:>12} "
            f"{row['p50_ms']:>8} {row['p95_ms']:>8} {row['hit_rate']:>10} {row['joined_rate']:>8} "
            f"{row['edits']:>7}"
        )
    print(f"\nJSON: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
