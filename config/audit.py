"""The dependency audit that `make test` runs: pip-audit on the pinned requirements.

    python -m config.audit        # what `make audit` calls

pip-audit asks PyPI's JSON API for each pinned version's known vulnerabilities.
A machine that reaches only a package index (a mirror, a proxy, no network)
gets 404 or nothing there, and pip-audit would then "pass" with every package
skipped. So a short probe comes first: without an answer the audit is skipped
with one line, and with one, a package it cannot audit fails the audit
(--strict). AUDIT_PROBE_URL points the probe elsewhere (the tests use it).
"""

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# One published release: what pip-audit itself asks for each pin (name/version/json).
PROBE_URL = "https://pypi.org/pypi/pip/24.0/json"
PROBE_SECONDS = 5
AUDIT_SECONDS = 600
REQUIREMENTS = ["requirements.txt", "requirements-dev.txt"]


def advisories_reachable(url, timeout=PROBE_SECONDS):
    """True when ``url`` answers PyPI's JSON with its ``vulnerabilities`` list within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a fixed https URL or the test's
            return "vulnerabilities" in json.load(response)
    except (OSError, ValueError):  # no route, refused, timed out, 404, or not JSON
        return False


def audit_command():
    """pip-audit on every pinned requirement, as pinned (no resolution, no pip), failing on any it cannot audit."""
    command = [sys.executable, "-m", "pip_audit", "--strict", "--no-deps", "--disable-pip"]
    command += ["--progress-spinner", "off", "--timeout", "15"]
    for requirements in REQUIREMENTS:
        command += ["--requirement", requirements]
    return command


def main():
    url = os.environ.get("AUDIT_PROBE_URL") or PROBE_URL
    if not advisories_reachable(url):
        print(f"Dependency audit skipped: PyPI's advisory data ({url}) cannot be reached from here.")
        return 0
    try:
        return subprocess.run(audit_command(), cwd=BASE_DIR, timeout=AUDIT_SECONDS, check=False).returncode  # noqa: S603
    except subprocess.TimeoutExpired:
        print(f"Dependency audit failed: pip-audit took more than {AUDIT_SECONDS} s.")
        return 1


if __name__ == "__main__":
    sys.exit(main())
