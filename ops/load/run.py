"""The load test (`make load-test`) and the fault test (`make fault-test`).

Starts the service as production runs it, on 127.0.0.1: gunicorn with several workers against
PostgreSQL (database `everychild_load`, or `everychild_load_s<N>` at --scale N, created,
migrated and seeded with the demonstration area at that scale if absent) and the task worker
(`manage.py db_worker`, EVERYCHILD_TASK_BACKEND=database);
then locust, headless, with --users simulated people of mixed roles (ops/load/locustfile.py) for
LOAD_SECONDS (default 180). Beside them a writer adds a case note every second and a probe
opens the caseload twice a second, each recording what it was told.

--fault postgres-restart restarts the PostgreSQL cluster (pg_ctlcluster) 40 % of the way
through and records what people saw while it was down, how long the service took to recover
by itself, and whether every note the service acknowledged is still in the database.

The figures are written to benchmarks/results/load-<date>.md (a fault run adds its own
section to that file) and printed. Staff sign in without a second factor here
(EVERYCHILD_RELAX_2FA=1, refused in production)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import requests

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RESULTS = REPO / "benchmarks" / "results"
TARGET_P95_MS = 300.0
TARGET_PAGES = ("caseload (/cases/)", "case page (/cases/<id>/)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _db_params(url: str) -> dict:
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password,
        "dbname": parts.path.lstrip("/"),
    }


def _connect(url: str, **overrides):
    import psycopg

    params = {k: v for k, v in {**_db_params(url), **overrides}.items() if v is not None}
    return psycopg.connect(**params, autocommit=True)


def prepare_database(url: str, env: dict, password: str, scale: float = 1) -> None:
    name = _db_params(url)["dbname"]
    with _connect(url, dbname="postgres") as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=REPO, env=env, check=True)
    started = time.perf_counter()
    subprocess.run(
        [*manage, "seed_demo_area", "--password", password, "--scale", f"{scale:g}"],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # The rest of the demonstration (plans and their reviews, finance, families, schools),
    # as `make run` loads it: the people look at plans and the family portal. Each command
    # does nothing it has already done.
    for more in (
        ["seed_demo_advice"],
        ["seed_demo_plans"],
        ["seed_demo_finance", "--password", password],
        ["seed_demo_improvement_plan"],
        ["seed_demo_families"],
        ["seed_demo_schools"],
        ["seed_demo_support"],
    ):
        subprocess.run([*manage, *more], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    log(f"demonstration area at scale {scale:g} ready ({time.perf_counter() - started:.0f} s)")


class Supervised:
    """A process restarted whenever it exits, as systemd's Restart=always would."""

    def __init__(self, argv: list[str], env: dict, logfile: Path):
        self.argv, self.env, self.logfile = argv, env, logfile
        self.restarts = 0
        self._stop = threading.Event()
        self.process: subprocess.Popen | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Supervised:
        self._thread.start()
        return self

    def _run(self) -> None:
        with self.logfile.open("a") as out:
            while not self._stop.is_set():
                self.process = subprocess.Popen(
                    self.argv, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT
                )
                self.process.wait()
                if self._stop.is_set():
                    break
                self.restarts += 1
                time.sleep(1)

    def stop(self) -> None:
        self._stop.set()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._thread.join(timeout=25)


def signed_in_session(base: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/account/sign-in/", timeout=10)
    token = CSRF.search(form.text)
    response = session.post(
        f"{base}/account/sign-in/",
        {"email": email, "password": password, "csrfmiddlewaretoken": token.group(1)},
        timeout=10,
    )
    if "/account/sign-in/" in response.url:
        raise SystemExit(f"Could not sign in as {email}: is LOAD_PASSWORD the seeded one?")
    return session


class Probe(threading.Thread):
    """Opens the caseload twice a second: when the service failed, and what it showed."""

    def __init__(self, base: str, password: str):
        super().__init__(daemon=True)
        self.base, self.password = base, password
        # (sent at, answered at, status, traceback shown); status 0: no answer at all
        self.samples: list[tuple[float, float, int, bool]] = []
        self.load: list[float] = []  # the machine's 1-minute load average, sampled
        self.stop = threading.Event()

    def run(self) -> None:
        session = signed_in_session(self.base, "caseworker@demo.test", self.password)
        while not self.stop.is_set():
            at = time.time()
            self.load.append(os.getloadavg()[0])
            try:
                response = session.get(f"{self.base}/cases/", timeout=10)
                ok = response.status_code == 200 and "/account/sign-in/" not in response.url
                status = response.status_code if ok or response.status_code != 200 else 302
                self.samples.append((at, time.time(), status, "Traceback" in response.text))
            except requests.RequestException:
                self.samples.append((at, time.time(), 0, False))
            self.stop.wait(0.5)


class Writer(threading.Thread):
    """Adds a numbered note to one case every second and keeps the numbers the service
    acknowledged (a redirect back to the case): each must be in the database afterwards."""

    def __init__(self, base: str, password: str, run_id: str):
        super().__init__(daemon=True)
        self.base, self.password, self.run_id = base, password, run_id
        self.acknowledged: set[int] = set()
        self.failed = 0
        self.case_id: str | None = None
        self.stop = threading.Event()

    def marker(self, n: int) -> str:
        return f"load-writer {self.run_id} #{n}"

    def run(self) -> None:
        session = signed_in_session(self.base, "caseworker@demo.test", self.password)
        self.case_id = CASE_LINK.findall(session.get(f"{self.base}/cases/", timeout=10).text)[0]
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                response = session.post(
                    f"{self.base}/cases/{self.case_id}/notes/",
                    {
                        "text": self.marker(n),
                        "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
                    },
                    headers={"Referer": f"{self.base}/cases/{self.case_id}/"},
                    allow_redirects=False,
                    timeout=10,
                )
                if response.status_code == 302 and "#notes" in response.headers.get("Location", ""):
                    self.acknowledged.add(n)
                else:
                    self.failed += 1
            except requests.RequestException:
                self.failed += 1
            self.stop.wait(1.0)
        self.attempted = n


def wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if requests.get(f"{base}/account/sign-in/", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"The service did not start at {base}: see var/load/gunicorn.log")


def postgres_cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"))
    version = os.environ.get("LOAD_PG_VERSION", versions[-1])
    return version, os.environ.get("LOAD_PG_CLUSTER", "main")


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def read_failures(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def stats_table(rows: list[dict]) -> list[str]:
    lines = [
        "| Page | Requests | Errors | Requests/s | p50 ms | p95 ms | p99 ms | Target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if int(row["Request Count"]) == 0:
            continue  # the sign-in pages, once the sign-in phase is over
        name = row["Name"] if row["Type"] else "**All**"
        target = ""
        if row["Name"] in TARGET_PAGES:
            met = float(row["95%"] or 0) < TARGET_P95_MS
            target = f"p95 < {TARGET_P95_MS:.0f} ms: {'met' if met else 'NOT met'}"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} | "
            f"{target} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", 180)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 50)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", 4)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", 8111)))
    parser.add_argument(
        "--scale",
        type=float,
        default=float(os.environ.get("LOAD_SCALE", 1)),
        help="the demonstration area's size (seed_demo_area --scale); `make load-test` gives 5",
    )
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL"))
    parser.add_argument("--fault", choices=["none", "postgres-restart"], default="none")
    args = parser.parse_args()
    if not args.database_url:
        # One database per size, so a run at scale 5 never finds a scale-1 area and stops.
        name = "everychild_load" if args.scale == 1 else f"everychild_load_s{args.scale:g}"
        args.database_url = f"postgres://postgres@127.0.0.1:5432/{name.replace('.', '_')}"
    if not shutil.which(str(BIN / "locust")):
        raise SystemExit("locust is not installed: run `make load-test` (installs the load extra)")

    password = os.environ.get("LOAD_PASSWORD", "load-test-password-1")
    data_dir = REPO / "var" / "load"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        EVERYCHILD_ENVIRONMENT="development",
        EVERYCHILD_RELAX_2FA="1",
        EVERYCHILD_TASK_BACKEND="database",
        EVERYCHILD_DATA_DIR=str(data_dir),
        LOAD_PASSWORD=password,
    )
    env.pop("EVERYCHILD_DEBUG", None)
    prepare_database(args.database_url, env, password, args.scale)

    base = f"http://127.0.0.1:{args.port}"
    for stale in data_dir.glob("*.log"):
        stale.unlink()
    web = Supervised(
        [
            str(BIN / "gunicorn"),
            "everychild.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "10",  # as in production: no request longer than 10 s (docs/operations.md)
            "--error-logfile",
            "-",
        ],
        env,
        data_dir / "gunicorn.log",
    ).start()
    # The task worker runs at a lower priority than the web workers, as in production
    # (docs/operations.md: Nice=10): a SEN2 check of the whole area may take a core for a
    # minute, and the people using the pages come first.
    worker = Supervised(
        ["nice", "-n", "10", str(BIN / "python"), "manage.py", "db_worker"],
        env,
        data_dir / "db_worker.log",
    ).start()
    run_id = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    fault: dict = {}
    try:
        wait_until_up(base)
        log(f"service up at {base} ({args.workers} gunicorn workers, task worker running)")
        probe, writer = Probe(base, password), Writer(base, password, run_id)
        probe.start()
        writer.start()
        prefix = data_dir / f"locust-{run_id}"
        sign_in_file = data_dir / f"sign-in-{run_id}.json"
        env["LOAD_SIGN_IN_STATS"] = str(sign_in_file)
        sen2_job_file = data_dir / f"sen2-job-{run_id}.json"
        env["LOAD_SEN2_JOB_STATS"] = str(sen2_job_file)
        log(f"locust: {args.users} people for {args.seconds} s")
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                str(REPO / "ops" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                "5",
                "--run-time",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--loglevel",
                "WARNING",
            ],
            cwd=REPO,
            env=env,
        )
        if args.fault == "postgres-restart":
            time.sleep(args.seconds * 0.4)
            version, cluster = postgres_cluster()
            log(f"FAULT: restarting PostgreSQL (pg_ctlcluster {version} {cluster} restart)")
            fault["restart_started"] = time.time()
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
                check=True,
            )
            fault["restart_finished"] = time.time()
            took = fault["restart_finished"] - fault["restart_started"]
            log(f"PostgreSQL back after {took:.1f} s")
        locust.wait()
        time.sleep(2)  # the probe and the writer see the service after the crowd has gone
        probe.stop.set()
        writer.stop.set()
        probe.join(15)
        writer.join(15)
    finally:
        web.stop()
        worker.stop()

    with _connect(args.database_url) as conn:
        stored = {
            int(text.rsplit("#", 1)[1])
            for (text,) in conn.execute(
                "SELECT text FROM casework_casenote WHERE text LIKE %s",
                [f"load-writer {run_id} #%"],
            )
        }
    lost = sorted(writer.acknowledged - stored)
    stats = read_stats(prefix)
    failures = read_failures(prefix)
    sign_in = json.loads(sign_in_file.read_text()) if sign_in_file.exists() else None
    sen2_job = json.loads(sen2_job_file.read_text()) if sen2_job_file.exists() else None
    report = render(
        args, stats, failures, sign_in, probe, writer, stored, lost, fault, web, worker, sen2_job
    )
    print("\n".join(report))
    write_results(report, fault=bool(fault))
    sign_in_errors = sign_in["errors"] if sign_in else 1
    ok = not lost and (
        fault or (sign_in_errors == 0 and all(int(r["Failure Count"]) == 0 for r in stats))
    )
    return 0 if ok else 1


def render(
    args, stats, failures, sign_in, probe, writer, stored, lost, fault, web, worker, sen2_job=None
) -> list[str]:
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    title = "Fault run: PostgreSQL restarted under load" if fault else "Load run"
    lines = [
        f"## {title} ({when})",
        "",
        f"{args.users} simulated people on the demonstration area at scale {args.scale:g} "
        f"(database {urlsplit(args.database_url).path.lstrip('/')}; caseworkers (caseload, "
        "cases, plans), team managers, educational psychologists, board members, parents "
        "(home, their child, the plan) and one of the data team running the SEN2 checks in "
        f"the background) for {args.seconds} s against gunicorn with "
        f"{args.workers} workers, PostgreSQL and the task worker (nice 10), all on one 2-core "
        "machine "
        "shared with other work (127.0.0.1). Command: "
        + ("`make fault-test`" if fault else "`make load-test`")
        + f" (SCALE={args.scale:g} USERS={args.users} LOAD_SECONDS={args.seconds}). People "
        "wait 3-10 s between pages (parents and the board 5-15 s).",
        "",
    ]
    if sign_in:
        lines += [
            f"**Sign-in phase** (everyone signing in, 5 a second): {sign_in['people']} people "
            f"signed in within {sign_in['seconds']} s; sign-in p50 {sign_in['sign_in_p50']} ms, "
            f"p95 {sign_in['sign_in_p95']} ms (password hashing: PBKDF2, deliberately slow); "
            f"{sign_in['requests']} requests, errors: {sign_in['errors']}"
            + (f" ({sign_in['errors_by_cause']})" if sign_in["errors"] else "")
            + ".",
            "",
            "**Steady state** (from the last sign-in to the end of the run):",
            "",
        ]
    else:
        lines += ["Not everyone managed to sign in: the figures cover the whole run.", ""]
    lines += [*stats_table(stats), ""]
    if failures:
        lines += ["Errors by page and cause:", ""]
        lines += [
            f"- {f['Method']} {f['Name']}: {f['Error']} x {f['Occurrences']}" for f in failures
        ]
        lines.append("")
    statuses = Counter(status for _, _, status, _ in probe.samples)
    tracebacks = sum(1 for _, _, _, shown in probe.samples if shown)
    lines += [
        f"Probe (caseload, twice a second): {len(probe.samples)} requests, answers "
        + ", ".join(f"{s or 'none'} x {n}" for s, n in sorted(statuses.items()))
        + f"; tracebacks shown: {tracebacks}.",
        f"Writer (a note a second): {len(writer.acknowledged)} acknowledged, "
        f"{writer.failed} refused or failed, {len(stored)} in the database afterwards, "
        f"acknowledged but missing: {len(lost)}.",
        f"Processes restarted by their supervisor: web {web.restarts}, task worker "
        f"{worker.restarts}.",
        (
            f"SEN2 checks started in the background by the data team: {sen2_job['outcome']} "
            f"{sen2_job['seconds']:.0f} s after the press (seen on the page, looked at every "
            "10-20 s)."
            if sen2_job
            else "SEN2 checks started in the background by the data team: not finished (or "
            "not started) by the end of the run."
        ),
    ]
    if probe.load:
        lines.append(
            f"Machine load (1-minute average, {os.cpu_count()} cores, everything included): "
            f"mean {sum(probe.load) / len(probe.load):.1f}, highest {max(probe.load):.1f}."
        )
    if fault:
        start, end = fault["restart_started"], fault["restart_finished"]
        failed = [(sent, status) for sent, _, status, _ in probe.samples if status != 200]
        after = [(sent, done, status) for sent, done, status, _ in probe.samples if sent > end]
        failed_after = [sent for sent, _, status in after if status != 200]
        first_after = after[0] if after else None
        lines += [
            "",
            f"PostgreSQL restart took {end - start:.1f} s. Probe requests that failed: "
            f"{len(failed)}"
            + (
                " (sent "
                + ", ".join(f"{sent - start:+.1f} s" for sent, _ in failed)
                + " from the start of the restart)"
                if failed
                else ""
            )
            + ". "
            + (
                f"The first request sent after PostgreSQL was back was answered "
                f"{first_after[2]} in {1000 * (first_after[1] - first_after[0]):.0f} ms; "
                f"requests failing after PostgreSQL was back: {len(failed_after)}"
                + (
                    " - the service recovered by itself (no process restarted by hand)."
                    if not failed_after
                    else " - it did NOT recover by itself."
                )
                if first_after
                else "No request was sent after PostgreSQL was back."
            ),
        ]
    lines.append("")
    return lines


def write_results(report: list[str], *, fault: bool) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"load-{dt.date.today().isoformat()}.md"
    heading = "## Fault run" if fault else "## Load run"
    sections: list[str] = []
    if path.exists():
        # Keep the other kind of run's section; replace this kind's.
        text = path.read_text()
        body = text.split("\n## ")
        sections = ["## " + s for s in body[1:] if not ("## " + s).startswith(heading)]
    document = [
        "# Load and fault test results",
        "",
        "Written by ops/load/run.py (see docs/operations.md). Targets: 0 errors under load; "
        f"p95 < {TARGET_P95_MS:.0f} ms on the caseload and case pages.",
        "",
    ]
    parts = sections + ["\n".join(report)]
    parts.sort(key=lambda s: 0 if s.startswith("## Load run") else 1)
    path.write_text("\n".join(document) + "\n" + "\n".join(p.rstrip() + "\n" for p in parts))
    log(f"written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    raise SystemExit(main())
