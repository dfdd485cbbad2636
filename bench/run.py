"""``python -m bench.run`` (``make bench``): how fast the portal's pages are next to the
smallest Django view, and how many queries each costs.

1. Uses its own database (``BENCH_DATABASE_URL``), creating, migrating and seeding it
   (``seed_bench --scale province``, then ``seed_budget_bench``: 300 budget lines per
   agency, 2,000 in the bench planner's; ``seed_tender_bench``: 100,000 tenders;
   ``seed_monev_bench``: three contracts per agency with twelve months of progress)
   when it has no bench data yet.
2. Starts gunicorn as production does (sync workers, DEBUG off, collected static files)
   on a free port of 127.0.0.1.
3. Logs in the bench planner and the province coordinator by writing their sessions
   straight into the session store, so no log-in form or rate limit is in the way.
4. Fires requests at each page for a fixed time and divides its requests per second by
   those of ``/healthz/`` measured the same way in the same run; counts each page's
   queries in process against the same database.
5. Prints a table and rewrites ``bench/RESULTS.md``.

Environment: ``BENCH_DATABASE_URL``, ``BENCH_REDIS_URL`` (``none`` for the file cache),
``BENCH_SECONDS``, ``BENCH_CLIENTS``, ``BENCH_WORKERS``, ``BENCH_SCALE``, ``BENCH_SURGE_VENDORS``
(vendors of the deadline surge, ``bench/surge.py``, measured last in the same run).

The monev pages read ``seed_monev_bench``'s contracts (twelve months of 2027 progress), and
the monthly monev report of the province is timed in process against WeasyPrint rendering
the same HTML alone (``monthly_report_timing``).
"""

from __future__ import annotations

import base64
import contextlib
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .load import HOST, Measurement, hammer, wait_until_up
from .report import Page, Report, Row

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var" / "bench"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BASELINE = Page("/healthz/", "planner", "baseline: the minimal Django view")
PAGES = (
    Page("/", "planner", "home page"),
    Page("/api/regions/", "planner", "regions (public reference list)"),
    Page("/api/agencies/", "planner", "agencies, own agency's reach"),
    Page("/api/agencies/", "leader", "agencies, province-wide reach"),
    Page("/api/notifications/", "planner", "own inbox, paginated"),
    Page("/api/me/", "planner", "own roles and unread count"),
)


class BenchError(RuntimeError):
    pass


@dataclass(frozen=True)
class Config:
    database_url: str
    redis_url: str
    seconds: float
    clients: int
    workers: int
    scale: str
    surge_vendors: int

    @classmethod
    def from_env(cls) -> Config:
        get = os.environ.get
        return cls(
            database_url=get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"),
            redis_url=get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
            seconds=float(get("BENCH_SECONDS", "8")),
            clients=int(get("BENCH_CLIENTS", "2")),
            workers=int(get("BENCH_WORKERS", "2")),
            scale=get("BENCH_SCALE", "province"),
            surge_vendors=int(get("BENCH_SURGE_VENDORS", "40")),
        )


def server_env(config: Config) -> dict[str, str]:
    """The environment of every process of the run: production-like, on the bench database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=config.database_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        PORTAL_VAR_DIR=str(VAR_DIR),
        CACHE_KEY_PREFIX="bench",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
        # One bench account stands in for many people: the API throttle still runs (its
        # cost is part of the figures) but with a limit the run never reaches.
        API_THROTTLE_ANON="10000000/min",
        API_THROTTLE_USER="10000000/min",
        # The deadline surge seals bids: a master key for this run only.
        SEALING_MASTER_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    )
    env.pop("REDIS_URL", None)
    if config.redis_url.lower() != "none":
        env["REDIS_URL"] = config.redis_url
    return env


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` when it does not exist."""
    import environ
    import psycopg2
    from psycopg2 import sql

    db = environ.Env.db_url_config(url)
    if "postgresql" not in db["ENGINE"]:
        return
    conn = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    finally:
        conn.close()


def manage(env: dict, *args: str, timeout: float = 600) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, timeout=timeout)


def prepare(config: Config, env: dict) -> None:
    ensure_database(config.database_url)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    # DEBUG off serves static files from the manifest, as in production. Collecting
    # compresses every file (a minute on two cores), so it is redone only when stale.
    if not static_is_current(VAR_DIR / "static" / "staticfiles.json"):
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "seed_bench", "--scale", config.scale, "--if-empty", timeout=1200)
    manage(env, "seed_budget_bench", "--if-empty", timeout=1800)
    manage(env, "seed_tender_bench", "--if-empty", timeout=1800)
    manage(env, "seed_monev_bench", "--if-empty", timeout=1800)


def budget_pages() -> tuple[Page, ...]:
    """Issue 3's pages: the bench planner's 2,000-line budget document, and the
    province summary the coordinator reads (every regency's approved DPAs)."""
    from ebudgeting.models import BudgetDocument
    from portal.bench_data import BENCH_PLANNER_EMAIL

    document = (
        BudgetDocument.objects.filter(agency__memberships__user__email=BENCH_PLANNER_EMAIL)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if document is None:
        raise BenchError("seed_budget_bench made no document for the bench planner's agency")
    return (
        Page(f"/anggaran/dokumen/{document}/", "planner", "budget document of 2,000 lines"),
        Page("/anggaran/ringkasan/", "leader", "province budget summary, every regency"),
        Page("/perencanaan/", "planner", "plan items of the agency"),
    )


def tender_pages() -> tuple[Page, ...]:
    """The public tender site over the 100,000 bench packages, read without logging in."""
    from eprocurement.bench_data import BENCH_CODE_PREFIX
    from eprocurement.models import Package

    package = Package.objects.filter(code__startswith=BENCH_CODE_PREFIX).order_by("pk").first()
    if package is None:
        raise BenchError("seed_tender_bench made no package")
    return (
        Page("/pengadaan/tender/", "anonymous", "tender list, first page of 100,000"),
        Page("/pengadaan/tender/?q=jalan+kupang", "anonymous", "tender list, full-text search"),
        Page("/pengadaan/tender/?kind=works&status=announced&page=40", "anonymous", "tender list, filters, page 40"),
        Page(f"/pengadaan/tender/{package.pk}/", "anonymous", "tender page"),
    )


MONEV_YEAR = 2027  # the bench DPAs' and contracts' year
MONEV_REGENCY = "53.01"  # Kabupaten Kupang


def monev_pages() -> tuple[Page, ...]:
    """Issue 5's pages over the 2,760 bench contracts with twelve months of accepted
    progress: the dashboard at province and regency level, the trace of one contract of
    the planner's agency, and a regency's public progress page."""
    from emonev.bench_data import trace_contract_id
    from portal.bench_data import BENCH_PLANNER_EMAIL

    contract = trace_contract_id(BENCH_PLANNER_EMAIL)
    if contract is None:
        raise BenchError("seed_monev_bench made no contract in the bench planner's agency")
    year = f"year={MONEV_YEAR}"
    return (
        Page(f"/monev/dasbor/?{year}", "leader", "monev dashboard, province: every regency"),
        Page(f"/monev/dasbor/?{year}&region={MONEV_REGENCY}", "leader", "monev dashboard, one regency's agencies"),
        Page(f"/monev/jejak/kontrak/{contract}/", "planner", "trace of a contract, plan item to progress"),
        Page(f"/monev/publik/{MONEV_REGENCY}/?{year}", "anonymous", "public progress page of a regency"),
    )


def monthly_report_timing() -> list[str]:
    """The monthly monev report of the province region for December (every agency of the
    region, each contract and plan item a row): the whole build — content, HTML, PDF — timed
    against WeasyPrint rendering the same HTML alone, in this process, one after the other."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ebudgeting.pdf import html_to_pdf
    from emonev.reports import monthly_content, monthly_html
    from portal.demo_data import PROVINCE_CODE
    from portal.models import Region

    region = Region.objects.get(code=PROVINCE_CODE)
    html_to_pdf("<p>warm-up</p>")  # WeasyPrint's first call loads fonts: not part of either figure
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        content = monthly_content(region=region, year=MONEV_YEAR, month=12)
        html = monthly_html(content)
    prepared = time.perf_counter() - started
    pdf = html_to_pdf(html)
    full = time.perf_counter() - started
    started = time.perf_counter()
    html_to_pdf(html)
    alone = time.perf_counter() - started
    summary = content.summary
    lines = [
        f"- {region.name}, December {MONEV_YEAR}: {summary['subjects']} rows (contracts and plan items of the "
        f"region's {len({row.agency.pk for row in content.rows})} agencies; {summary['reported']} with an accepted "
        f"report, {summary['missing']} without, {summary['critical']} critical); HTML {len(html) / 1024:.0f} KiB, "
        f"PDF {len(pdf) / 1024:.0f} KiB; {len(queries)} queries for the content.",
        f"- full build (content, HTML and PDF): {full:.2f} s, of which content and HTML {prepared:.2f} s; "
        f"WeasyPrint rendering the same HTML alone: {alone:.2f} s; **{full / alone:.2f} × WeasyPrint alone**.",
    ]
    print("\n".join(lines), flush=True)
    return lines


def static_is_current(manifest: Path) -> bool:
    """True when the collected files are newer than the project's static files and its
    requirements (which bring the packages' static files)."""
    if not manifest.exists():
        return False
    sources = [BASE_DIR / "requirements.txt", *(p for p in (BASE_DIR / "static").rglob("*") if p.is_file())]
    return all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources if p.exists())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, workers: int):
    """A gunicorn serving the portal on a free local port; stopped on the way out."""
    port = free_port()
    log = VAR_DIR / "gunicorn.log"
    command = [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--workers", str(workers)]
    command += ["--bind", f"{HOST}:{port}", "--log-level", "warning"]
    with log.open("w") as log_file:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        try:
            if not wait_until_up(port, BASELINE.path, timeout=30):
                raise BenchError(f"gunicorn did not answer within 30 s; see {log}")
            yield port
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)


def setup_django(env: dict) -> None:
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()


def settle_database() -> None:
    """Freshly seeded tables have no planner statistics and an empty visibility map:
    measure them as autovacuum would leave them after a minute, not before."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def open_sessions() -> dict[str, str]:
    """Session keys of the bench planner and leader, logged in without a form."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from portal.bench_data import BENCH_LEADER_EMAIL, BENCH_PLANNER_EMAIL
    from portal.models import User

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {}
    for who, email in (("planner", BENCH_PLANNER_EMAIL), ("leader", BENCH_LEADER_EMAIL)):
        user = User.objects.get(email=email)
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        keys[who] = session.session_key
    keys["anonymous"] = ""  # public pages, read without logging in
    return keys


def close_sessions(keys: dict[str, str]) -> None:
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys.values():
        if key:
            store(session_key=key).delete()


def count_queries(page: Page, session_key: str) -> int:
    """Queries of one steady-state request: the second of a logged-in session."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME=HOST)
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.get(page.path)  # the first request stamps the session and fills caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path)
    if response.status_code != 200:
        raise BenchError(f"{page.path} as {page.who} answered {response.status_code}, not 200")
    return len(queries)


def measure(port: int, page: Page, sessions: dict, config: Config):
    from django.conf import settings

    key = sessions[page.who]
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={key}"} if key else {}
    hammer(port, page.path, seconds=min(1.0, config.seconds), clients=config.clients, headers=headers)  # warm-up
    result = hammer(port, page.path, seconds=config.seconds, clients=config.clients, headers=headers)
    print(f"  {page.path:<22} {page.who:<8} {result.per_second:8.0f} req/s", flush=True)
    return result


def machine_facts() -> dict[str, str]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0]
    return {
        "CPUs (nproc)": str(len(os.sched_getaffinity(0))),
        "CPU": _proc_field("/proc/cpuinfo", "model name"),
        "memory": _memory(),
        "system": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "database": database.split(" on ")[0],
    }


def _memory() -> str:
    total = _proc_field("/proc/meminfo", "MemTotal")  # "24683656 kB"
    return f"{int(total.split()[0]) / 2**20:.1f} GiB" if total[:1].isdigit() else total


def _proc_field(path: str, name: str) -> str:
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    return "unknown"


def data_facts() -> dict[str, int]:
    from emonev.models import PlannedPoint, ProgressReport
    from eprocurement.models import Contract
    from portal.models import Agency, Membership, Notification, Region, User

    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
        "notifications": Notification.objects.count(),
        "contracts": Contract.objects.count(),
        "planned curve months": PlannedPoint.objects.count(),
        "progress reports": ProgressReport.objects.count(),
    }


def run(config: Config) -> Report:
    env = server_env(config)
    prepare(config, env)
    setup_django(env)
    settle_database()
    sessions = open_sessions()
    pages = (*PAGES, *budget_pages(), *tender_pages(), *monev_pages())
    try:
        queries = {page: count_queries(page, sessions[page.who]) for page in (BASELINE, *pages)}
        monthly_lines = monthly_report_timing()  # before gunicorn starts: the machine is quiet
        with gunicorn(env, config.workers) as port:
            print(f"Measuring on http://{HOST}:{port}/ for {config.seconds:g} s per page ...", flush=True)
            load_before = os.getloadavg()[0]
            first = measure(port, BASELINE, sessions, config)
            measured = [(page, measure(port, page, sessions, config)) for page in pages]
            last = measure(port, BASELINE, sessions, config)
            surge_lines, surge_ok = deadline_surge(port, config, (first.per_second + last.per_second) / 2)
            load_after = os.getloadavg()[0]
    finally:
        close_sessions(sessions)
    report = Report(
        when=time.strftime("%Y-%m-%d %H:%M %Z"),
        machine={**machine_facts(), "load average (1 min), before → after": f"{load_before:.2f} → {load_after:.2f}"},
        data=data_facts(),
        settings={
            "gunicorn": f"{config.workers} sync workers, DEBUG off",
            "clients": f"{config.clients} keep-alive threads (http.client), in the same machine",
            "seconds per page": f"{config.seconds:g} (after a warm-up)",
            "cache and sessions": "Redis" if "REDIS_URL" in env else "file cache",
        },
        baseline_runs=[first, last],
    )
    both = Measurement(BASELINE.path, first.seconds + last.seconds, first.ok + last.ok, first.errors + last.errors)
    report.rows = [Row(BASELINE, both, queries[BASELINE])]
    report.rows += [Row(page, result, queries[page]) for page, result in measured]
    report.surge, report.surge_ok = surge_lines, surge_ok
    report.monthly = monthly_lines
    return report


def deadline_surge(port: int, config: Config, baseline: float) -> tuple[list[str], bool]:
    """Many vendors submitting at once around a deadline (bench/surge.py): throughput
    as a ratio to /healthz/, and the proof that no bid was late or lost."""
    from .surge import fire, prepare, verify

    setup = prepare(vendors=config.surge_vendors, lead=6.0)
    result = fire(port, setup, window=4.0)
    verdict = verify(setup, result)
    ok = (
        verdict.late_accepted == 0
        and verdict.lost == 0
        and verdict.late_refused == verdict.late_total
        and verdict.on_time_accepted == verdict.on_time_total
        and verdict.receipts_per_bid_max <= 1
        and not result.errors
    )
    statuses = ", ".join(f"{code}: {count}" for code, count in sorted(result.statuses.items()))
    lines = [
        f"- {len(setup.bids)} vendors with sealed draft bids; {len(setup.bids) - len(setup.late)} submit at "
        "random moments of the last 4 s before the deadline and resend once with the same key after their "
        f"receipt, {len(setup.late)} first submit 50 ms after it (API, token auth, gunicorn as above).",
        f"- {result.requests} submit requests in {result.seconds:.1f} s: {result.per_second:.0f} req/s, "
        f"**{result.per_second / baseline:.2f} × /healthz/**; answers {statuses}; "
        f"connection errors {sum(result.errors.values())}.",
        f"- accepted {verdict.accepted} (on time: {verdict.on_time_accepted} of {verdict.on_time_total}); "
        f"**late accepted {verdict.late_accepted}**; **lost {verdict.lost}** "
        f"(a receipt a client got without its submitted bid); late-only vendors refused "
        f"{verdict.late_refused} of {verdict.late_total}; most receipts for one bid {verdict.receipts_per_bid_max}.",
        f"- verdict: {'zero late, zero lost' if ok else 'FAILED'}.",
    ]
    print("\n".join(lines), flush=True)
    return lines, ok


def main() -> int:
    sys.path.insert(0, str(BASE_DIR))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    report = run(Config.from_env())
    print()
    print(report.text())
    RESULTS.write_text(report.markdown())
    print(f"\nWritten to {RESULTS.relative_to(BASE_DIR)}.")
    failed = [row for row in report.rows if row.measurement.errors]
    return 1 if failed or not report.surge_ok else 0


if __name__ == "__main__":
    sys.exit(main())
