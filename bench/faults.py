#!/usr/bin/env python
"""Load and database faults: the app under gunicorn keeps serving while PostgreSQL restarts.

    .venv/bin/python bench/faults.py                      # 60 s, 50 clients
    .venv/bin/python bench/faults.py --duration 30 --clients 20

1. creates (or re-creates) the database ``allas_faults`` (``--database-url``), migrates it,
   loads the demo network and a few hundred generated rows, and creates a coordinator and a
   Montevideo staff account with random passwords;
2. starts gunicorn as in production (DEBUG=0, several sync workers, static files through
   WhiteNoise; plain HTTP on 127.0.0.1, so SECURE_SSL_REDIRECT=0);
3. holds ``--clients`` concurrent clients for ``--duration`` seconds: visitors on the public
   pages, staff who log in and log trainings (form posts), coordinators on admin pages;
4. at one third of the run restarts PostgreSQL (``pg_ctlcluster … restart``); at two thirds
   kills every connection to the database (``pg_terminate_backend``) — the app is never
   restarted;
5. prints a table (requests and errors by kind, per phase; recovery time of each fault) and
   exits 1 if a goal is missed: no error outside the faults, recovery within 5 s of the
   database being back, and no failure among requests started after that.

Needs the PostgreSQL server on this machine (to restart it) and its client programs. Run it
alone: restarting PostgreSQL interrupts everything else using it.

One file (longer than the app's modules) on purpose: a script run by hand outside the app and
the suite, in the order of the steps above.
"""

import argparse
import collections
import html.parser
import http.client
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RECOVERY_GOAL = 5.0  # seconds after the database is back
MIX = {"visitor": 0.6, "staff": 0.25, "coordinator": 0.15}
PUBLIC_PATHS = [
    "/es/",
    "/es/partners/",
    "/es/partners/?kind=city",
    "/en/partners/?region=latin_america&sort=name",
    "/es/activities/",
    "/es/activities/?kind=training",
    "/fr/activities/?when=past",
    "/es/resources/",
    "/es/agreements/",
    "/es/partners/montevideo/",
    "/pt/partners/quito/",
    "/es/calendar/activities.ics",
    "/healthz/",
]
ADMIN_PATHS = [
    "/admin/",
    "/admin/partners/partner/",
    "/admin/partners/partner/?kind__exact=city",
    "/admin/partners/agreement/",
    "/admin/partners/membership/",
    "/admin/activities/activity/",
    "/admin/activities/activity/?kind__exact=training",
    "/admin/activities/resource/",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/allas_faults",
        help="PostgreSQL database to create and use (default: allas_faults on localhost).",
    )
    parser.add_argument("--duration", type=float, default=60, help="Seconds of load (60).")
    parser.add_argument("--clients", type=int, default=50, help="Concurrent clients (50).")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers."
    )
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--cluster", default=None, help="pg_ctlcluster version/name, e.g. 15/main.")
    parser.add_argument(
        "--no-setup", action="store_true", help="Reuse the database as it is (already loaded)."
    )
    parser.add_argument(
        "--no-faults", action="store_true", help="Load only (a smoke test of the script)."
    )
    parser.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    return parser.parse_args()


# -- set-up ---------------------------------------------------------------------------------


def say(message):
    print(f"[faults] {message}", flush=True)


def run(command, env, **kwargs):
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def pg_env(url):
    parts = urllib.parse.urlsplit(url)
    env = dict(os.environ)
    env.update(
        PGHOST=parts.hostname or "127.0.0.1",
        PGPORT=str(parts.port or 5432),
        PGUSER=urllib.parse.unquote(parts.username or "postgres"),
    )
    if parts.password:
        env["PGPASSWORD"] = urllib.parse.unquote(parts.password)
    return env, parts.path.lstrip("/")


def psql(url, sql, database="postgres"):
    env, _ = pg_env(url)
    return run(["psql", "-X", "-q", "-At", "-d", database, "-c", sql], env)


def app_env(args, secret):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=args.database_url,
        SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback; TLS is the proxy's job
        LOG_LEVEL="ERROR",
        AXES_FAILURE_LIMIT="1000",
    )
    return env


ACCOUNTS = """
from django.contrib.auth.models import Group, User
from partners.models import Partner, PartnerStaff
import json, sys
passwords = json.loads(sys.stdin.read())
for name, staff in (("faults-coordinator", True), ("faults-staff", False)):
    user, _ = User.objects.get_or_create(username=name, defaults={"is_staff": staff})
    user.set_password(passwords[name]); user.is_staff = staff; user.save()
    if staff:
        user.groups.add(Group.objects.get(name="Coordinators"))
    else:
        montevideo = Partner.objects.get(slug="montevideo")
        PartnerStaff.objects.get_or_create(user=user, partner=montevideo)
"""


def set_up(args, env):
    passwords = {name: secrets.token_urlsafe(16) for name in ("faults-coordinator", "faults-staff")}
    _, database = pg_env(args.database_url)
    if not args.no_setup:
        say(f"creating database {database}")
        psql(args.database_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        psql(args.database_url, f'CREATE DATABASE "{database}"')
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([PYTHON, "manage.py", "load_demo_data"], env)
        run([PYTHON, "manage.py", "generate_synthetic_data", "--size", "tiny", "--seed", "3"], env)
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env)
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", ACCOUNTS],
        cwd=ROOT,
        env=env,
        input=json.dumps(passwords),
        text=True,
        check=True,
        capture_output=True,
    )
    return passwords


def start_gunicorn(args, env, log_path):
    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    log = open(log_path, "w")  # noqa: SIM115 -- kept open for the server's lifetime
    process = subprocess.Popen(
        [
            gunicorn,
            "allas.wsgi:application",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            "--no-control-socket",
            "--timeout=60",
            "--graceful-timeout=5",
            "--backlog=256",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            status, _, _ = request(args.port, "GET", "/healthz/", timeout=2)
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            sys.exit(f"gunicorn exited; see {log_path}")
        time.sleep(0.2)
    process.terminate()
    sys.exit(f"gunicorn did not answer; see {log_path}")


# -- HTTP -----------------------------------------------------------------------------------


def request(port, method, path, *, body=None, headers=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


class FormReader(html.parser.HTMLParser):
    """The default values of the biggest POST form of a page (what a browser would send)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and "__prefix__" not in a["name"]:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind not in {"submit", "button", "file"}:
                self._form.setdefault(a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in self._form:
                self._form[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea] += data


def read_post_form(page):
    reader = FormReader()
    reader.feed(page.decode("utf-8", "replace"))
    return max(reader.forms, key=len) if reader.forms else {}


# -- clients --------------------------------------------------------------------------------


@dataclass
class Outcome:
    started: float
    ended: float
    role: str
    action: str
    error: str | None  # None: success; otherwise the kind of failure


class Client:
    def __init__(self, number, role, port, passwords, record, stop):
        self.number, self.role, self.port = number, role, port
        self.passwords, self.record, self.stop = passwords, record, stop
        self.cookies = {}
        self.logged_in = False
        self.posted = 0
        self.rng = random.Random(number)

    def http(self, method, path, fields=None, referer=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{referer or path}"
        status, response_headers, content = request(
            self.port, method, path, body=body, headers=headers
        )
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        location = {k.lower(): v for k, v in response_headers}.get("location", "")
        return status, location, content

    def timed(self, action, call, expect):
        """Run one request, classify the outcome, record it. Returns the response or None."""
        started = time.monotonic()
        error, result = None, None
        try:
            result = call()
            status, location, _ = result
            if status >= 500:
                error = f"HTTP {status}"
            elif status not in expect:
                error = f"HTTP {status} (expected {'/'.join(map(str, sorted(expect)))})"
            elif status == 302 and "/login/" in location:
                error = "sent to login"
        except TimeoutError:
            error = "timeout"
        except ConnectionRefusedError:
            error = "connection refused"
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            error = f"connection: {type(exc).__name__}"
        self.record(Outcome(started, time.monotonic(), self.role, action, error))
        if error == "sent to login":
            self.logged_in = False
        return None if error else result

    def login(self, path, username):
        page = self.timed(f"{self.role} login page", lambda: self.http("GET", path), {200})
        if page is None:
            return False
        fields = read_post_form(page[2])
        fields.update(username=username, password=self.passwords[username])
        done = self.timed(f"{self.role} login", lambda: self.http("POST", path, fields), {302})
        self.logged_in = done is not None
        return self.logged_in

    def log_training(self):
        path = "/es/staff/trainings/new/"
        page = self.timed("staff training form", lambda: self.http("GET", path), {200})
        if page is None:
            return
        self.posted += 1
        fields = read_post_form(page[2])
        fields.update(
            title=f"Load-test training {self.number}-{self.posted}-{secrets.token_hex(3)}",
            starts_on=time.strftime("%Y-%m-%d"),
            hours="3",
            format="online",
            venue_type="online",
            organiser_attendees="12",
            action="draft",
        )
        self.timed("staff training post", lambda: self.http("POST", path, fields), {302})

    def step(self):
        if self.role == "visitor":
            path = self.rng.choice(PUBLIC_PATHS)
            self.timed("public page", lambda: self.http("GET", path), {200})
        elif self.role == "staff":
            if not self.logged_in:
                self.login("/es/staff/login/", "faults-staff")
            elif self.rng.random() < 0.5:
                self.log_training()
            else:
                self.timed("staff list", lambda: self.http("GET", "/es/staff/"), {200})
        else:
            if not self.logged_in:
                self.login("/admin/login/", "faults-coordinator")
            else:
                path = self.rng.choice(ADMIN_PATHS)
                self.timed("admin page", lambda: self.http("GET", path), {200})

    def loop(self):
        while not self.stop.is_set():
            self.step()


# -- faults ---------------------------------------------------------------------------------


def cluster_name(args):
    if args.cluster:
        return args.cluster.split("/")
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True)
    port = str(urllib.parse.urlsplit(args.database_url).port or 5432)
    for line in out.stdout.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return version, name
    sys.exit("No local PostgreSQL cluster on that port (pg_lsclusters); give --cluster.")


def wait_for_database(args, limit=60):
    env, database = pg_env(args.database_url)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        probe = subprocess.run(
            ["psql", "-X", "-At", "-d", database, "-c", "SELECT 1"],
            env=env,
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0:
            return time.monotonic()
        time.sleep(0.05)
    sys.exit("PostgreSQL did not come back within a minute.")


def restart_postgres(args):
    version, name = cluster_name(args)
    started = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart", "-m", "fast"],
        check=True,
        capture_output=True,
    )
    return started, wait_for_database(args)


def kill_connections(args):
    _, database = pg_env(args.database_url)
    started = time.monotonic()
    killed = psql(
        args.database_url,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()",
    ).strip()
    return started, time.monotonic(), int(killed or 0)


def inject_faults(args, t0):
    """A PostgreSQL restart at one third of the run, every connection killed at two thirds."""
    time.sleep(max(0, t0 + args.duration / 3 - time.monotonic()))
    say("restarting PostgreSQL")
    start, back = restart_postgres(args)
    faults = [{"name": "PostgreSQL restart", "start": start, "back": back}]
    say(f"PostgreSQL back after {back - start:.2f} s")
    time.sleep(max(0, t0 + 2 * args.duration / 3 - time.monotonic()))
    say("terminating every connection to the database")
    start, back, killed = kill_connections(args)
    faults.append({"name": "connections killed", "start": start, "back": back, "killed": killed})
    say(f"{killed} connections terminated")
    return faults


# -- report ---------------------------------------------------------------------------------


def analyse(outcomes, faults, t0, t_end):
    """Phases, errors by kind, recovery of each fault, and the goals.

    A request belongs to a fault's window when it overlaps [fault starts, database back + 5 s)
    (one in flight when the fault hit counts there too); failures in a window are expected.
    Every other request belongs to the quiet phase it started in, where the goal is 0 errors.
    """
    windows = [(f["name"], f["start"], f["back"] + RECOVERY_GOAL) for f in faults]
    names = ["before the faults"]
    for fault in faults:
        names += [f"{fault['name']} (until back + {RECOVERY_GOAL:.0f} s)", f"after {fault['name']}"]
    buckets = {name: [] for name in names}
    for o in outcomes:
        window = next((w for w in windows if o.started < w[2] and o.ended >= w[1]), None)
        if window is not None:
            buckets[f"{window[0]} (until back + {RECOVERY_GOAL:.0f} s)"].append(o)
            continue
        phase = "before the faults"
        for fault in faults:
            if o.started >= fault["back"] + RECOVERY_GOAL:
                phase = f"after {fault['name']}"
        buckets[phase].append(o)
    phases = [
        {
            "phase": name,
            "requests": len(items),
            "errors": dict(collections.Counter(o.error for o in items if o.error)),
            "tolerated": "until back" in name,
        }
        for name, items in buckets.items()
    ]
    for fault in faults:
        # Requests after the database was back, not cut by the next fault (those count there).
        after = sorted(
            (
                o
                for o in outcomes
                if fault["back"] <= o.started < fault["next"] and o.ended < fault["next"]
            ),
            key=lambda o: o.started,
        )
        first_ok = next((o for o in after if o.error is None), None)
        failures = [o for o in after if o.error]
        last_failure = max((o.started for o in failures), default=None)
        fault["outage_s"] = round(fault["back"] - fault["start"], 3)
        fault["first_success_after_back_s"] = (
            round(first_ok.ended - fault["back"], 3) if first_ok else None
        )
        # Recovered when the last request that failed had started (0 when none failed).
        fault["recovery_s"] = (
            round(max(0.0, last_failure - fault["back"]) if last_failure else 0.0, 3)
            if first_ok
            else float("inf")
        )
        fault["failures_after_back"] = len(failures)
    goals = {
        "no error outside the faults": all(not p["errors"] for p in phases if not p["tolerated"]),
        f"recovery within {RECOVERY_GOAL:.0f} s of the database being back": all(
            f["recovery_s"] <= RECOVERY_GOAL for f in faults
        ),
        f"no failure among requests started {RECOVERY_GOAL:.0f} s after the database was back": all(
            not o.error
            for f in faults
            for o in outcomes
            if f["back"] + RECOVERY_GOAL <= o.started and o.ended < f["next"]
        ),
    }
    return phases, goals


def print_report(args, outcomes, phases, faults, goals, elapsed):
    ok = sum(1 for o in outcomes if o.error is None)
    print()
    print(
        f"Load and faults: {args.clients} clients for {elapsed:.0f} s, gunicorn {args.workers} "
        f"sync workers, PostgreSQL {args.database_url.rsplit('/', 1)[-1]}"
    )
    print(
        f"Requests: {len(outcomes)} ({ok} ok, {len(outcomes) - ok} failed), "
        f"{len(outcomes) / elapsed:.0f}/s"
    )
    by_action = collections.Counter(o.action for o in outcomes)
    print("By kind: " + ", ".join(f"{k} {v}" for k, v in sorted(by_action.items())))
    print()
    print(f"| {'phase':<44} | {'requests':>8} | errors by kind")
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 40}")
    for p in phases:
        errors = ", ".join(f"{k}: {v}" for k, v in sorted(p["errors"].items())) or "0"
        print(f"| {p['phase']:<44} | {p['requests']:>8} | {errors}")
    print()
    print(
        f"| {'fault':<26} | {'outage s':>8} | {'first ok after back s':>21} | "
        f"{'recovered after s':>17} | failures after back"
    )
    print(f"|{'-' * 28}|{'-' * 10}|{'-' * 23}|{'-' * 19}|{'-' * 20}")
    for f in faults:
        extra = f" ({f['killed']} connections)" if "killed" in f else ""
        print(
            f"| {f['name'] + extra:<26} | {f['outage_s']:>8} | "
            f"{str(f['first_success_after_back_s']):>21} | {f['recovery_s']:>17} | "
            f"{f['failures_after_back']}"
        )
    print()
    for goal, met in goals.items():
        print(f"{'PASS' if met else 'FAIL'}  {goal}")


def main():
    args = parse_args()
    secret = secrets.token_urlsafe(50)
    env = app_env(args, secret)
    passwords = set_up(args, env)
    log_path = ROOT / "bench" / "results" / "faults-gunicorn.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    server = start_gunicorn(args, env, log_path)
    say(f"gunicorn up on 127.0.0.1:{args.port} with {args.workers} workers; log {log_path}")

    outcomes, lock = [], threading.Lock()

    def record(outcome):
        with lock:
            outcomes.append(outcome)

    stop = threading.Event()
    roles = [
        role for role, share in MIX.items() for _ in range(max(1, round(share * args.clients)))
    ][: args.clients]
    clients = [Client(n, role, args.port, passwords, record, stop) for n, role in enumerate(roles)]
    threads = [threading.Thread(target=c.loop, daemon=True) for c in clients]
    t0 = time.monotonic()
    for thread in threads:
        thread.start()

    faults = []
    try:
        if not args.no_faults:
            faults = inject_faults(args, t0)
        time.sleep(max(0, t0 + args.duration - time.monotonic()))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
        t_end = time.monotonic()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    for index, fault in enumerate(faults):
        fault["next"] = faults[index + 1]["start"] if index + 1 < len(faults) else t_end
    phases, goals = analyse(outcomes, faults, t0, t_end)
    print_report(args, outcomes, phases, faults, goals, t_end - t0)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "phases": phases,
                    "faults": [
                        {k: v for k, v in f.items() if k not in {"start", "back", "next"}}
                        for f in faults
                    ],
                    "goals": goals,
                    "requests": len(outcomes),
                },
                indent=2,
            )
        )
    failures = [o for o in outcomes if o.error]
    if failures:
        sample = collections.Counter((o.action, o.error) for o in failures).most_common(8)
        print(
            "\nFailures by request and kind: "
            + "; ".join(f"{a} / {e}: {n}" for (a, e), n in sample)
        )
    sys.exit(0 if all(goals.values()) else 1)


if __name__ == "__main__":
    main()
