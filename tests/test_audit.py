"""The dependency audit in `make test` (config/audit.py): it runs pip-audit when PyPI's advisory data answers,
and otherwise skips with one line instead of "passing" with every package unaudited."""

import contextlib
import http.server
import socket
import subprocess
import threading

import pytest

from config import audit

ANSWERS = {
    "/advisories": (200, b'{"info": {"name": "pip"}, "vulnerabilities": []}'),
    "/login-page": (200, b"<html>Sign in to the proxy</html>"),
    "/other-json": (200, b'{"info": {"name": "pip"}}'),
}


class Answers(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        status, body = ANSWERS.get(self.path, (404, b""))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    """A small HTTP server on loopback standing in for PyPI or for a mirror that lacks its JSON API."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_only_an_answer_with_advisories_counts_as_reachable(loopback):
    assert audit.advisories_reachable(f"{loopback}/advisories")
    for path in ["/missing", "/login-page", "/other-json"]:  # a mirror's 404, a proxy's page, some other JSON
        assert not audit.advisories_reachable(f"{loopback}{path}"), path
    with silent_address() as url:
        assert not audit.advisories_reachable(url, timeout=0.5)  # the probe is short


def test_make_audit_skips_with_one_line_when_advisories_cannot_be_reached(loopback, settings):
    for url in [f"{loopback}/missing", "http://127.0.0.1:1/pypi/pip/24.0/json"]:  # 404, and nobody listening
        result = subprocess.run(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "audit"],  # -o: no pip install here
            cwd=settings.BASE_DIR,
            env={"PATH": "/usr/bin:/bin", "AUDIT_PROBE_URL": url},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.splitlines() == [
            f"Dependency audit skipped: PyPI's advisory data ({url}) cannot be reached from here."
        ]
        assert result.stderr == ""


def test_the_audit_runs_on_every_pin_and_fails_when_pip_audit_fails(loopback, monkeypatch):
    monkeypatch.setenv("AUDIT_PROBE_URL", f"{loopback}/advisories")
    commands = []

    def pip_audit(command, **kwargs):
        commands.append(command)
        return subprocess.CompletedProcess(command, 1)  # a vulnerability found

    monkeypatch.setattr(audit.subprocess, "run", pip_audit)
    assert audit.main() == 1
    (command,) = commands
    assert command[1:3] == ["-m", "pip_audit"]
    assert "--strict" in command  # a package it could not audit fails the audit, never passes it
    pairs = list(zip(command, command[1:], strict=False))
    assert ("--requirement", "requirements.txt") in pairs and ("--requirement", "requirements-dev.txt") in pairs


def test_pip_audit_is_pinned_with_the_test_tools(settings):
    pins = (settings.BASE_DIR / "requirements-dev.txt").read_text().splitlines()
    assert any(line.startswith("pip-audit==") for line in pins)


@contextlib.contextmanager
def silent_address():
    """A loopback address that accepts a connection and then says nothing."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield f"http://127.0.0.1:{server.getsockname()[1]}/pypi/pip/24.0/json"
