#!/usr/bin/env python
"""Benchmark harness: serves the app as in production and compares every page with a bare view.

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/allas_bench

The database should hold a data set (``manage.py generate_synthetic_data``). The harness
1. collects static files (DEBUG off serves them through WhiteNoise from STATIC_ROOT),
2. creates two accounts in that database (bench-coordinator, bench-staff) and a session for each,
3. counts the SQL queries of each page in-process (Django test client, CaptureQueriesContext;
   the second of two requests, so warm caches count as in production),
4. starts gunicorn (sync workers, DEBUG=0) on 127.0.0.1 and loads each URL with wrk for a fixed
   time, recording requests/s, p50/p95 latency, the CPU time used by wrk, by the workers and by
   the database, and the workers' peak resident memory (VmHWM from /proc),
5. checks conditional GET (304 on If-None-Match), connection reuse (sessions opened on the
   database during the load) and reconnection after the database drops the connections,
6. optionally (--explain) EXPLAINs every query of the directory and the activity list for each
   filter alone and each pair of filters, and reports sequential scans on activities and
   participations; and checks that no admin form renders a select of more than 100 options,
7. prints a table and writes it as JSON to bench/results/<date-time>.json.

wrk must be installed: ``sudo apt-get install -y wrk`` (Debian/Ubuntu) or ``brew install wrk``.

One file (longer than the app's modules) on purpose: it is a script run by hand outside the
app and the suite, read from top to bottom in the order of the steps above, and copied or run
on its own on a benchmark machine.
"""

import argparse
import datetime
import itertools
import json
import logging
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "report.lua"
PYTHON = sys.executable

# Targets of issue 5, as fractions of the bare view's throughput and as milliseconds.
TARGETS = {"list": 0.25, "detail": 0.35, "cached": 0.80}
ADMIN_P95_MS = 500
MAX_SELECT_OPTIONS = 100
# A page slower than this in-process is reported as such and not loaded (it would only hold
# the workers for minutes and time out in wrk).
TOO_SLOW_S = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="PostgreSQL database holding the data set (default: $DATABASE_URL).",
    )
    cpus = os.cpu_count() or 1
    parser.add_argument(
        "--workers", type=int, default=2 * cpus, help="gunicorn sync workers (default 2 × CPUs)."
    )
    parser.add_argument(
        "--connections", type=int, default=None, help="wrk connections (default: workers)."
    )
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1).")
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per URL.")
    parser.add_argument("--warmup", type=int, default=2, help="Seconds of warm-up per URL.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--only", nargs="*", default=None, help="Measure only these names (bare always runs)."
    )
    parser.add_argument(
        "--explain", action="store_true", help="Also EXPLAIN the filter combinations."
    )
    parser.add_argument(
        "--no-load", action="store_true", help="Skip wrk: query counts and checks only."
    )
    parser.add_argument(
        "--no-gzip",
        action="store_true",
        help="Load without Accept-Encoding: gzip (browsers and calendar clients send it).",
    )
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgres"):
        parser.error("--database-url must name a PostgreSQL database (postgres://…).")
    args.connections = args.connections or args.workers
    return args


def server_environment(args):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        BENCHMARK_VIEWS="1",
        DJANGO_SETTINGS_MODULE="allas.settings",
        LOG_LEVEL="ERROR",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        # One client address sends every request: the API's per-address limit is off.
        API_THROTTLE_RATE="",
    )
    return env


# The pages.


def build_targets(today):
    """(name, kind, url, user) for each page; url None when the page does not exist yet."""
    from django.db.models import Count, Q
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from activities.models import Activity
    from partners.models import Partner, Theme
    from results.models import Period

    network = (
        Partner.objects.public()
        .networks()
        .annotate(n=Count("member_links", filter=Q(member_links__left_on__isnull=True)))
        .order_by("-n", "pk")
        .first()
    )
    activity = (
        Activity.objects.visible()
        .filter(starts_on__year=today.year - 1)
        .annotate(n=Count("participations"))
        .order_by("-n", "pk")
        .first()
    )
    theme = Theme.objects.order_by("slug").first()
    # The latest period of the work plan (manage.py generate_synthetic_work_plan).
    period = Period.objects.order_by("-starts_on", "pk").first()

    def url(name, query="", **kwargs):
        try:
            with translation.override("es"):
                return reverse(name, kwargs=kwargs or None) + query
        except NoReverseMatch:
            return None

    search_word = "taller"
    return [
        ("bare view", "bare", "/bench/bare/", None),
        ("home", "list", url("home"), None),
        ("directory", "list", url("partners:partner-list"), None),
        (
            "directory, 2 filters",
            "list",
            url("partners:partner-list", "?kind=city&region=europe"),
            None,
        ),
        (
            "large network profile",
            "detail",
            url("partners:partner-detail", slug=network.slug) if network else None,
            None,
        ),
        (
            "activity list, 2 filters",
            "list",
            url("activities:activity-list", f"?kind=training&year={today.year - 1}"),
            None,
        ),
        (
            "activity detail",
            "detail",
            url("activities:activity-detail", slug=activity.slug) if activity else None,
            None,
        ),
        ("API: partners", "list", url("api:partner-list"), None),
        (
            "API: activities, 2 filters",
            "list",
            url("api:activity-list", f"?kind=training&year={today.year - 1}"),
            None,
        ),
        (
            "API: one activity",
            "detail",
            url("api:activity-detail", slug=activity.slug) if activity else None,
            None,
        ),
        ("calendar feed", "detail", url("activities:feed-all"), None),
        (
            "network calendar feed",
            "detail",
            url("activities:feed-partner", slug=network.slug) if network else None,
            None,
        ),
        (
            "results page",
            "detail",
            url("results:period", slug=period.slug) if period else None,
            None,
        ),
        (
            "admin: period results",
            "admin",
            url("admin:results_period_results", object_id=period.pk) if period else None,
            "coordinator",
        ),
        ("admin: activities", "admin", "/admin/activities/activity/", "coordinator"),
        (
            "admin: activities, search+filters",
            "admin",
            f"/admin/activities/activity/?q={search_word}&kind__exact=seminar"
            "&status__exact=published",
            "coordinator",
        ),
        ("admin: participations", "admin", "/admin/activities/participation/", "coordinator"),
        (
            "admin: participations, search+filters",
            "admin",
            "/admin/activities/participation/?q=municipio&role__exact=organiser"
            "&partner__region__exact=latam",
            "coordinator",
        ),
        ("staff training form", "staff", url("staff:training-create"), "staff"),
    ], {"network": network, "activity": activity, "theme": theme, "period": period}


def prepare_accounts():
    """bench-coordinator (admin) and bench-staff (staff of a synthetic city), and their
    session cookies (force_login writes the session to the database gunicorn reads)."""
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from partners.models import Partner, PartnerStaff

    coordinator, _ = User.objects.get_or_create(
        username="bench-coordinator", defaults={"is_staff": True}
    )
    group = Group.objects.filter(name="Coordinators").first()
    if group:
        coordinator.groups.add(group)
    staff, _ = User.objects.get_or_create(username="bench-staff")
    city = Partner.objects.public().cities().order_by("pk").first()
    if city:
        PartnerStaff.objects.get_or_create(user=staff, partner=city)
    cookies = {}
    for role, user in (("coordinator", coordinator), ("staff", staff)):
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def count_queries(targets, cookies):
    """Status, size and SQL queries of each page, in-process, on the second request."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.pages import largest_select

    results = {}
    for name, _kind, url, user in targets:
        if url is None:
            continue
        client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="es")
        if user:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookies[user]
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        if time.monotonic() - started < TOO_SLOW_S:  # measure again, with warm caches
            started = time.monotonic()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
        body = getattr(response, "content", b"").decode(errors="replace")
        results[name] = {
            "status": response.status_code,
            "queries": len(queries),
            "largest_select": largest_select(body),
            "bytes": len(getattr(response, "content", b"")),
            "in_process_ms": round((time.monotonic() - started) * 1000, 1),
        }
    return results


# The server and the load.


class Server:
    def __init__(self, args, env, log_path):
        self.args, self.env, self.log_path = args, env, log_path
        self.base = f"http://127.0.0.1:{args.port}"
        self.process = None

    def start(self):
        command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "allas.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.args.port}",
            "--workers",
            str(self.args.workers),
            "--worker-class",
            "sync",
            "--no-control-socket",
            "--log-level",
            "warning",
            "--error-logfile",
            str(self.log_path),
            "--timeout",
            "120",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited ({self.process.returncode}); see {self.log_path}")
            try:
                if fetch(self.base + "/bench/bare/")[0] == 200 and len(self.workers()) >= 1:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        sys.exit(f"gunicorn did not answer on {self.base}/bench/bare/; see {self.log_path}")

    def workers(self):
        return children(self.process.pid)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pids):
    """User + system CPU time of each process, by pid (from /proc/<pid>/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return times


def cpu_used(before, pids):
    """CPU seconds the processes used since ``before`` (a process that ended is not counted)."""
    after = cpu_seconds(pids)
    return sum(max(0.0, seconds - before.get(pid, 0.0)) for pid, seconds in after.items())


def peak_rss_mb(pids):
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return round(peak / 1024, 1)


def database_pids(database):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


def database_sessions(database):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", [database])
        row = cursor.fetchone()
    return row[0] if row else None


def run_wrk(args, url, headers, seconds, record=True):
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s"]
    command += ["--timeout", "30s", "-s", str(LUA)]
    for header in headers:
        command += ["-H", header]
    command.append(url)
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if not record:
        return None
    match = re.search(r"BENCH-JSON (\{.*\})", text)
    if not match:
        raise RuntimeError(f"wrk gave no summary:\n{text}")
    summary = json.loads(match.group(1))
    summary["wrk_cpu_s"] = round(usage.ru_utime + usage.ru_stime, 2)
    return summary


def load(args, server, url, headers, database):
    full = server.base + url
    run_wrk(args, full, headers, args.warmup, record=False)
    workers = server.workers()
    db_pids = database_pids(database)
    server_cpu, db_cpu, started = cpu_seconds(workers), cpu_seconds(db_pids), time.monotonic()
    summary = run_wrk(args, full, headers, args.duration)
    elapsed = time.monotonic() - started
    seconds = summary["duration_us"] / 1e6
    return {
        "requests_per_s": round(summary["requests"] / seconds, 1),
        "bytes_per_response": round(summary["bytes"] / max(summary["requests"], 1)),
        "p50_ms": round(summary["p50_us"] / 1000, 1),
        "p95_ms": round(summary["p95_us"] / 1000, 1),
        "p99_ms": round(summary["p99_us"] / 1000, 1),
        "requests": summary["requests"],
        "non_2xx_3xx": summary["errors_status"],
        "socket_errors": sum(
            summary[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout")
        ),
        "server_cpu_pct": round(100 * cpu_used(server_cpu, workers) / elapsed),
        "db_cpu_pct": round(100 * cpu_used(db_cpu, db_pids + database_pids(database)) / elapsed),
        "wrk_cpu_pct": round(100 * summary["wrk_cpu_s"] / elapsed),
        "worker_peak_rss_mb": peak_rss_mb(workers),
    }


def conditional_get(server, url, headers):
    """Does a revalidation with the ETag (or Last-Modified) of the first answer get a 304?"""
    status, answer_headers, _body = fetch(server.base + url, headers)
    if status != 200:
        return f"status {status}"
    etag = answer_headers.get("ETag")
    modified = answer_headers.get("Last-Modified")
    if not etag and not modified:
        return "no ETag/Last-Modified"
    again = dict(headers)
    if etag:
        again["If-None-Match"] = etag
    if modified:
        again["If-Modified-Since"] = modified
    status, _headers, _body = fetch(server.base + url, again)
    return "304" if status == 304 else f"{status} (ETag changes between requests?)"


def reconnect_check(server, database):
    """Drop the app's database connections (as a database restart does) and check the next
    requests still succeed: persistent connections with health checks reconnect by themselves."""
    from django.db import connection

    before = [fetch(server.base + "/healthz/")[0] for _ in range(4)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        dropped = cursor.fetchone()[0]
    time.sleep(0.5)
    after = [fetch(server.base + "/healthz/")[0] for _ in range(2 * server.args.workers + 2)]
    return {"connections_dropped": dropped, "status_before": before, "status_after": after}


# EXPLAIN and admin selects.


def explain_filters(refs, today):
    """EXPLAIN every query the directory and the activity list run for each filter alone, each
    pair of filters and all of them; list those with a sequential scan on the big tables."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    network = refs["network"].slug if refs["network"] else ""
    theme = refs["theme"].slug if refs["theme"] else ""
    pages = {
        "partners:partner-list": {
            "q": "ter",
            "kind": "city",
            "region": "europe",
            "country": "ES",
            "network": network,
            "role": "partner",
            "membership": "all",
            "theme": theme,
            "sort": "-name",
        },
        "activities:activity-list": {
            "q": "ciudades",
            "kind": "training",
            "theme": theme,
            "partner": network,
            "country": "ES",
            "year": str(today.year - 1),
            "when": "upcoming",
            "after": f"{today.year - 2}-01-01",
        },
    }
    big_tables = ("activities_activity", "activities_participation")
    report = {"combinations": 0, "queries": 0, "sequential_scans": []}
    client = Client(raise_request_exception=False)
    # Every query a page can run: no page cache, and a new content version before each request
    # so that the data kept per version (option counts, menus) is computed, not read.
    from django.test import override_settings

    from allas.cache import new_content_version

    uncached = override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
    uncached.enable()
    for name, filters in pages.items():
        with translation.override("es"):
            path = reverse(name)
        keys = list(filters)
        combos = [()] + [(k,) for k in keys] + list(itertools.combinations(keys, 2)) + [keys]
        for combo in combos:
            query = "&".join(f"{k}={filters[k]}" for k in combo)
            new_content_version()
            with CaptureQueriesContext(connection) as captured:
                client.get(f"{path}?{query}")
            report["combinations"] += 1
            for sql in (q["sql"] for q in captured.captured_queries):
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                report["queries"] += 1
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                scans = sorted({t for t in big_tables if re.search(rf"Seq Scan on {t}\b", plan)})
                if scans:
                    report["sequential_scans"].append(
                        {"page": f"{path}?{query}", "tables": scans, "sql": sql[:300]}
                    )
    uncached.disable()
    return report


def admin_selects(cookie):
    """Selects of more than MAX_SELECT_OPTIONS options on the admin add forms, by field."""
    from django.conf import settings
    from django.contrib import admin
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    largest = {}
    logging.disable(logging.CRITICAL)  # add forms refused to coordinators log a 403
    for model in admin.site._registry:
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        except NoReverseMatch:
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        html = response.content.decode(errors="replace")
        for match in re.finditer(r"<select[^>]*name=\"([^\"]+)\".*?</select>", html, re.S):
            options = match.group(0).count("<option")
            if options > MAX_SELECT_OPTIONS:
                try:
                    field = model._meta.get_field(match.group(1))
                    grows = field.is_relation
                except Exception:  # a form field that is not a model field
                    grows = True
                # A fixed list (the ISO countries) does not grow with the data; a relation does.
                label = "records, grows with the data" if grows else "fixed list"
                largest[f"{model._meta.label}.{match.group(1)}"] = f"{options} ({label})"
    logging.disable(logging.NOTSET)
    return largest


# Report.


def data_size():
    from activities.models import Activity, Participation, Resource
    from partners.models import Agreement, Membership, Partner

    return {
        model.__name__: model.objects.count()
        for model in (Partner, Membership, Agreement, Activity, Participation, Resource)
    }


def machine():
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW random_page_cost")
        random_page_cost = cursor.fetchone()[0]
    return {
        "load_average_before": Path("/proc/loadavg").read_text().split()[:3],
        "nproc": os.cpu_count(),
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "postgresql": postgres,
        "random_page_cost": random_page_cost,
    }


def page_cache_seconds():
    """The page cache of the measured server (after django.setup(): the server's settings)."""
    from django.conf import settings

    return settings.PUBLIC_PAGE_CACHE_SECONDS


def verdict(kind, row, bare_rps):
    if "requests_per_s" not in row:
        return ""
    if kind == "admin":
        return "ok" if row["p95_ms"] < ADMIN_P95_MS else f"p95 ≥ {ADMIN_P95_MS} ms"
    # Public pages have the cached target when the page cache is on.
    cached = page_cache_seconds() > 0
    target = TARGETS["cached"] if cached and kind in ("list", "detail") else TARGETS.get(kind)
    if target is None or not bare_rps:
        return ""
    ratio = row["requests_per_s"] / bare_rps
    return "ok" if ratio >= target else f"< {target:.0%}"


def print_table(rows):
    header = (
        f"{'page':<38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'× bare':>7} {'SQL':>4} "
        f"{'KB':>6} {'RSS MB':>7} {'srv/db/wrk CPU %':>17} {'304':>5}  target"
    )
    print(header)
    print("-" * len(header))
    # A page slower than the run gets no completed request: say so rather than print zeros.
    for row in rows:
        if row.get("missing") or row.get("error"):
            print(f"{row['name']:<38} {row.get('missing') or row.get('error')}")
            continue
        if "requests_per_s" not in row:
            print(
                f"{row['name']:<38} {'-':>8} {'-':>8} {'-':>8} {'-':>7} "
                f"{row.get('queries', '-'):>4}  status {row.get('status')}"
            )
            continue
        if not row["requests"]:
            print(f"{row['name']:<38} no request completed within the run (wrk timeout 30 s)")
            continue
        cpu = f"{row['server_cpu_pct']}/{row['db_cpu_pct']}/{row['wrk_cpu_pct']}"
        print(
            f"{row['name']:<38} {row['requests_per_s']:>8.1f} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row.get('ratio_to_bare', 0):>7.2f} "
            f"{row.get('queries', '-'):>4} {row.get('bytes_per_response', 0) / 1024:>6.1f} "
            f"{row['worker_peak_rss_mb']:>7.1f} {cpu:>17} {row.get('conditional_get', '')[:5]:>5}"
            f"  {row.get('target', '')}"
        )


def main():
    args = parse_args()
    if not args.no_load and not shutil.which("wrk"):
        sys.exit(
            "wrk is not installed. Install it with `sudo apt-get install -y wrk` "
            "(Debian/Ubuntu) or `brew install wrk` (macOS), or run with --no-load."
        )
    env = server_environment(args)
    os.environ.update(env)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H%M")
    print("Collecting static files…", flush=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    database = settings.DATABASES["default"]["NAME"]
    today = timezone.localdate()
    cookies = prepare_accounts()
    targets, refs = build_targets(today)
    if args.only:
        targets = [t for t in targets if t[1] == "bare" or t[0] in args.only]
    print("Counting queries (in-process)…", flush=True)
    queries = count_queries(targets, cookies)
    result = {
        "date": stamp,
        "machine": machine(),
        "data_size": data_size(),
        "server": {
            "workers": args.workers,
            "worker_class": "sync",
            "debug": False,
            "page_cache": f"on ({page_cache_seconds()} s)" if page_cache_seconds() else "off",
        },
        "load": {
            "tool": "wrk",
            "threads": args.threads,
            "connections": args.connections,
            "seconds_per_url": args.duration,
            "warmup_seconds": args.warmup,
            "accept_encoding": "" if args.no_gzip else "gzip",
        },
        "pages": [],
    }
    server = Server(args, env, RESULTS / f"{stamp}-gunicorn.log")
    sessions_before = database_sessions(database)
    bare_rps = None
    try:
        server.start()
        for name, kind, url, user in targets:
            row = {"name": name, "kind": kind, "url": url, **queries.get(name, {})}
            result["pages"].append(row)
            try:
                measure_page(args, server, row, user, cookies, database, bare_rps)
            except (OSError, RuntimeError) as error:
                row["error"] = f"{type(error).__name__}: {error}"[:200]
                print(f"  {name}: {row['error']}", flush=True)
            if kind == "bare" and "requests_per_s" in row:
                bare_rps = row["requests_per_s"]
                row["ratio_to_bare"], row["target"] = 1.0, ""
        sessions_after = database_sessions(database)
        result["database_sessions_opened"] = (
            None if sessions_before is None else sessions_after - sessions_before
        )
        result["reconnect"] = reconnect_check(server, database)
    finally:
        server.stop()
    if args.explain:
        print("EXPLAIN of the filter combinations…", flush=True)
        result["explain"] = explain_filters(refs, today)
    result["admin_large_selects"] = admin_selects(cookies["coordinator"])
    path = RESULTS / f"{stamp}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    report(result, args)
    print(f"\nJSON: {path.relative_to(ROOT)}")


def measure_page(args, server, row, user, cookies, database, bare_rps):
    from django.conf import settings

    name, kind, url = row["name"], row["kind"], row["url"]
    if url is None:
        row["missing"] = "missing (404): no such URL yet"
        return
    if row.get("in_process_ms", 0) > TOO_SLOW_S * 1000:
        row["error"] = (
            f"too slow to load: {row['in_process_ms'] / 1000:.1f} s and "
            f"{row['bytes'] / 1e6:.1f} MB per request in-process"
        )
        return
    headers = {"Accept-Language": "es"}
    if not args.no_gzip:
        headers["Accept-Encoding"] = "gzip"
    if user:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookies[user]}"
    status, _headers, _body = fetch(server.base + url, headers)
    row["status"] = status
    if status == 404:
        row["missing"] = "missing (404)"
        return
    if status != 200:
        print(f"  {name}: status {status}, not loaded", flush=True)
        return
    if kind == "detail":
        row["conditional_get"] = conditional_get(server, url, headers)
    if args.no_load:
        return
    header_lines = [f"{k}: {v}" for k, v in headers.items()]
    if kind in ("list", "detail"):
        # The bare view again, just before: its throughput drifts by 10-15 % from one minute
        # to the next on a shared machine, more than the differences being measured.
        print(f"  loading the bare view before {name}…", flush=True)
        bare_rps = load(args, server, "/bench/bare/", header_lines, database)["requests_per_s"]
        row["bare_requests_per_s"] = bare_rps
    print(f"  loading {name} ({url})…", flush=True)
    row.update(load(args, server, url, header_lines, database))
    # Let the workers finish what wrk left in flight before the next page.
    fetch(server.base + "/bench/bare/")
    if bare_rps:
        row["ratio_to_bare"] = round(row["requests_per_s"] / bare_rps, 3)
        row["target"] = verdict(kind, row, bare_rps)


def report(result, args):
    m, size = result["machine"], result["data_size"]
    print(
        f"\n{result['date']} · {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM · "
        f"PostgreSQL {m['postgresql']} · gunicorn {args.workers} sync workers · "
        f"wrk {args.threads} thread(s), {args.connections} connections, "
        f"{args.duration} s per URL, "
        + ("no Accept-Encoding" if args.no_gzip else "Accept-Encoding: gzip")
        + f" · page cache {result['server']['page_cache']}"
    )
    print("Data: " + ", ".join(f"{n:,} {k}" for k, n in size.items()))
    load = float(m["load_average_before"][0])
    print(
        f"Load average before the run: {' '.join(m['load_average_before'])}"
        + (
            f"  WARNING: the machine was busy (> {m['nproc'] / 2:g}); figures are low and noisy."
            if load > m["nproc"] / 2
            else ""
        )
        + "\n"
    )
    print_table(result["pages"])
    print(
        "\n× bare = against the bare view loaded just before each public page (its own row is "
        "the first such run).\nCPU % = CPU time per wall-clock second of gunicorn workers / "
        "database backends / wrk (200% = both cores)."
    )
    if "database_sessions_opened" in result:
        print(
            f"Database sessions opened during the load: {result['database_sessions_opened']} "
            f"for {sum(p.get('requests', 0) for p in result['pages']):,} requests "
            f"({args.workers} workers; CONN_MAX_AGE renews each connection now and then)."
        )
    if "reconnect" in result:
        r = result["reconnect"]
        print(
            f"Reconnection: dropped {r['connections_dropped']} connections; statuses after: "
            f"{r['status_after']}"
        )
    if "explain" in result:
        e = result["explain"]
        print(
            f"EXPLAIN: {e['combinations']} filter combinations, {e['queries']} queries, "
            f"{len(e['sequential_scans'])} with a sequential scan on activities/participations."
        )
        for scan in e["sequential_scans"][:20]:
            print(f"  {scan['page']}: {', '.join(scan['tables'])}\n    {scan['sql'][:200]}")
    too_big = result["admin_large_selects"]
    print(
        f"Admin add forms, selects over {MAX_SELECT_OPTIONS} options: "
        + (", ".join(f"{k} ({v})" for k, v in too_big.items()) or "none")
    )
    pages = [p for p in result["pages"] if p.get("largest_select", 0) > MAX_SELECT_OPTIONS]
    print(
        f"Measured pages with a select over {MAX_SELECT_OPTIONS} options: "
        + (", ".join(f"{p['name']} ({p['largest_select']})" for p in pages) or "none")
    )
    print(f"PostgreSQL random_page_cost: {result['machine']['random_page_cost']}")


if __name__ == "__main__":
    main()
