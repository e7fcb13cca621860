"""What every benchmark needs: a database of its own, the app under gunicorn, a load generator, a table."""

import http.client
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
SECRET = "bench-only-secret-key-never-used-for-a-real-site-0123456789"  # noqa: S105 - loopback benchmark


# ----- the database ----------------------------------------------------------------------------------------


def bench_database_url():
    """BENCH_DATABASE_URL, else DATABASE_URL's PostgreSQL server with a database of its own, else SQLite.

    The benchmark drops and recreates this database: never the one in DATABASE_URL.
    """
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/')}_bench"))
    return f"sqlite:///{VAR / 'bench.sqlite3'}"


def fresh_database(url):
    """An empty database at ``url`` (dropped first when it exists)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if os.environ.get("DATABASE_URL") and urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/") == name:
        raise SystemExit("refusing to drop the database in DATABASE_URL")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def environment(database_url, redis_url, **extra):
    """The environment of every process of the run (this one included): production-like, on loopback."""
    return {
        "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", str(VAR)),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "SMS_BACKEND": "lib.sms.backends.FileBackend",
        "SMS_FILE_PATH": str(VAR / "sms"),
        # Reminder messages at full speed: the benchmark measures what a worker can do, not the relay's limit.
        "REMINDER_EMAILS_PER_SECOND": "0",
        "REMINDER_SMS_PER_SECOND": "0",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_LOG_LEVEL": "warning",
        **extra,
    }


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# ----- processes -------------------------------------------------------------------------------------------


def free_port():
    from config.devstack import free_port as pick

    return pick()


def children(pid):
    """The pids whose parent is ``pid`` (gunicorn's workers)."""
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


def cpu_seconds(pid):
    """CPU time a process has used so far, all its threads, in seconds (the scheduler's nanoseconds).

    Unlike wall time it does not count the time spent waiting for a core that another process holds.
    """
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e9


def peak_rss_mib(pid):
    """The process's peak resident memory (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    """gunicorn with the project's config file, on a free loopback port, with ``workers`` workers."""

    def __init__(self, env, workers=2):
        self.port = free_port()
        self.log = (VAR / f"web-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "config/gunicorn.py",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                status, _headers, _body = request(self.port, "GET", "/")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not come up")

    def workers(self):
        return children(self.process.pid)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def request(port, method, path, headers=None, body=None):
    """One HTTP request on a new connection (gunicorn's sync workers close every connection)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


# ----- load ------------------------------------------------------------------------------------------------


@dataclass
class Load:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list = field(default_factory=list)
    error_samples: list = field(default_factory=list)

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self):
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p95_ms(self):
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def hammer(call, duration, concurrency):
    """Run ``call(worker_number)`` from ``concurrency`` threads for ``duration`` seconds.

    ``call`` makes one request and returns None when it went as expected, or a short error text.
    """
    load = Load()
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker(number):
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                error = call(number)
            except Exception as exception:  # noqa: BLE001 - counted and reported
                error = repr(exception)
            elapsed = time.perf_counter() - started
            with lock:
                load.requests += 1
                load.latencies.append(elapsed)
                if error:
                    load.errors += 1
                    if len(load.error_samples) < 5:
                        load.error_samples.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.monotonic() - started
    return load


# ----- the table -------------------------------------------------------------------------------------------


@dataclass
class Row:
    section: str
    measure: str
    value: str
    target: str = ""
    ok: bool | None = None  # None: a figure without a target

    @property
    def verdict(self):
        return "" if self.ok is None else ("ok" if self.ok else "OVER")


def print_table(rows, out=sys.stdout):
    headers = ("", "measure", "value", "target", "")
    cells = [headers] + [(r.section, r.measure, r.value, r.target, r.verdict) for r in rows]
    widths = [max(display_width(str(row[i])) for row in cells) for i in range(len(headers))]
    for number, row in enumerate(cells):
        line = "  ".join(pad(str(cell), widths[i]) for i, cell in enumerate(row))
        print(line.rstrip(), file=out)
        if number == 0:
            print("  ".join("-" * width for width in widths), file=out)


def display_width(text):
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text, width):
    return text + " " * (width - display_width(text))


def machine():
    """One paragraph about the machine and the stack the numbers come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}; {system}; Python {platform.python_version()}"


def clean_var():
    shutil.rmtree(VAR / "media", ignore_errors=True)
    VAR.mkdir(parents=True, exist_ok=True)


class Statements:
    """Count the SQL statements run on the default connection while the block runs (no log, no limit).

    Transaction control (BEGIN, SAVEPOINT, ...) is left out: PostgreSQL sends it
    implicitly, SQLite as statements; the count is the same on both.
    """

    CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(self.CONTROL):
            self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)
