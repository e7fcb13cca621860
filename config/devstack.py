"""Run the whole app for development: every line of the Procfile (web, Celery beat, one
Celery worker per queue) and, when nothing answers at REDIS_URL, a private redis-server under var/.

    python -m config.devstack          # what `make run` calls

Everything it starts stops on Ctrl-C. The Redis helpers are also used by the
test suite to start a private server on a free port.
"""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_answers(url, timeout=1.0):
    """True when a Redis server answers PING at ``url``."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return bool(client.ping())
    except redis.exceptions.RedisError:
        return False
    finally:
        client.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_binary():
    binary = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin:/usr/local/bin:/usr/bin")
    if not binary:
        raise RuntimeError("redis-server is not installed: run `make run` or `apt-get install redis-server`.")
    return binary


def redis_server_command(port, directory):
    """The command line of a private, non-persistent redis-server bound to loopback."""
    return [
        redis_server_binary(),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(directory),
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
    ]


def start_redis(port, directory, timeout=10.0):
    """Start a private redis-server and wait until it answers; return the process."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        redis_server_command(port, directory), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if redis_answers(url, timeout=0.2):
            return process
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"redis-server did not start on port {port}")


def announce_when_ready(url, logins):
    """Print the address and the demo logins once /healthz answers."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}healthz", timeout=2) as response:  # noqa: S310 - our own loopback URL
                status = response.status
        except OSError as exc:
            status = getattr(exc, "code", None)
        if status in (200, 503):
            lines = [f"The app is ready at {url}  (Ctrl-C stops everything)", "Demo logins (development only):"]
            lines += [f"  {role:<10} {username} / {password}" for username, password, role, _name in logins]
            width = max(len(line) for line in lines)
            print("\n" + "=" * width + "\n" + "\n".join(lines) + "\n" + "=" * width + "\n", flush=True)
            return
        time.sleep(0.5)


def procfile_processes(path=BASE_DIR / "Procfile"):
    """The Procfile's processes, in order: {name: command}."""
    from honcho.environ import parse_procfile

    return dict(parse_procfile(Path(path).read_text()).processes)


def main():
    from honcho.manager import Manager

    env = dict(os.environ)
    env.setdefault("DEBUG", "1")
    env.setdefault("PYTHONUNBUFFERED", "1")
    redis_url = env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    bin_dir = Path(sys.executable).parent
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"  # the Procfile's gunicorn and celery: this venv's
    var = BASE_DIR / "var"
    var.mkdir(exist_ok=True)

    manager = Manager()
    if redis_answers(redis_url):
        print(f"Using the Redis that answers at {redis_url}")
    else:
        parts = urlsplit(redis_url)
        if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            sys.exit(f"Nothing answers at REDIS_URL={redis_url}, and it is not local: start that Redis first.")
        port = parts.port or 6379
        print(f"Nothing answers at {redis_url}: starting a private redis-server on port {port} under var/redis/")
        (var / "redis").mkdir(exist_ok=True)
        manager.add_process("redis", subprocess.list2cmdline(redis_server_command(port, var / "redis")), env=env)

    host_port = env.setdefault("BIND", "127.0.0.1:8000")  # config/gunicorn.py binds there
    for name, command in procfile_processes().items():
        manager.add_process(name, command, env=env, cwd=str(BASE_DIR))
    os.environ.update(env)
    import django

    django.setup()
    from wizard.management.commands.seed_demo import DEMO_USERS

    url = f"http://{host_port}/"
    threading.Thread(target=announce_when_ready, args=(url, DEMO_USERS), daemon=True).start()
    manager.loop()
    sys.exit(manager.returncode)


if __name__ == "__main__":
    main()
