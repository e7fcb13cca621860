"""The project's settings plus the benchmark's reference views, bench/views.py (never part of the real site)."""

from config.settings import *  # noqa: F403 - the same settings, one URLconf more
from config.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
