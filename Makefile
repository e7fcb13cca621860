# The dispute ladder: `make run` and `make test` set up everything they need on a
# fresh Debian/Ubuntu machine (system packages, .venv, database, translations).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Setup commands run with DEBUG on unless the caller says otherwise; the test
# suite itself runs with DEBUG off.
MANAGE := DEBUG=$${DEBUG:-1} $(PY) manage.py

# System packages the app needs: WeasyPrint's pango, HarfBuzz subsetting (without
# it a Chinese letter takes ~20 s instead of ~0.3 s), the letter font (LXGW WenKai,
# OFL, one TrueType file per weight), Redis and gettext for the translations.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-lxgw-wenkai redis-server gettext
# The browser tests also need Debian's Chromium (never a downloaded browser) and
# npm for axe-core; npm counts as present when the command exists. The letters'
# golden tests read the PDFs with poppler's pdftotext; the Nu HTML validator (npm's vnu-jar) runs on Java.
TEST_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) chromium faketime poppler-utils default-jre-headless
# The tests whose answers depend on the date. make test runs them a second time with the
# whole process's clock moved years ahead (Debian's faketime), so a test that leans on
# today's date fails the day it is written, not the day the calendar catches up with it.
DATE_SENSITIVE_TESTS := tests/escalation tests/cases/test_models.py tests/reminders/test_reminders.py \
  tests/wizard/test_wizard.py tests/documents/test_letters.py tests/reminders/test_calendar.py \
  tests/review/test_review.py tests/wizard/test_pages.py tests/cases/test_deadlines.py \
  tests/documents/test_facts.py tests/documents/test_golden_letters.py tests/documents/test_signing.py \
  tests/documents/test_money_facts.py tests/cases/test_state_changes.py tests/reminders/test_snooze.py \
  tests/reminders/test_sweep.py
CLOCK_AHEAD ?= +1900d
E2E_NODE := tests/e2e/node_modules/.package-lock.json

.PHONY: run test test-clock-ahead audit lock typecheck bench mutation setup setup-test system-packages test-system-packages messages static migrate seed lint pytest clean

run: setup seed
	$(PY) -m config.devstack

test: setup-test lint
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-clock-ahead
	$(MAKE) --no-print-directory bench QUICK=1
	$(MAKE) --no-print-directory audit

# Known vulnerabilities in the pinned requirements (pip-audit, config/audit.py). Skipped with one
# line when PyPI's advisory data cannot be reached (a mirror, a proxy, no network).
audit: $(VENV)/.installed
	@$(PY) -m config.audit

# The date-sensitive tests with the clock moved CLOCK_AHEAD (about five years by default).
test-clock-ahead: setup-test
	faketime -f "$(CLOCK_AHEAD)" $(PY) -m pytest -q -p no:cacheprovider -m "not redis and not e2e" $(DATE_SENSITIVE_TESTS)

# Benchmarks (bench/README.md): one table of ratios against the limits, on a database
# of their own. QUICK=1 uses small sizes and short runs: make test runs it so they never rot.
bench: system-packages $(VENV)/.installed messages
	$(PY) -m bench.run $(if $(QUICK),--quick,)

# Mutation testing of the modules that hold the rules (docs/MUTATION.md): mutmut, each module's fast
# tests, two mutants at a time, at most MUTATION_BUDGET minutes; the report is var/mutation/report.md.
# Not part of make test. MUTATION_ARGS=--keep tests only what changed since the last run.
MUTATION_BUDGET ?= 30
mutation: $(VENV)/.installed messages
	nice -n 10 $(PY) -m mutation.run --budget $(MUTATION_BUDGET) $(MUTATION_ARGS)

setup: system-packages $(VENV)/.installed messages static migrate

setup-test: test-system-packages $(VENV)/.installed messages static $(E2E_NODE)

# install_missing(packages, commands): install the Debian packages that are missing, and
# the packages named like the commands that are not on the PATH.
define install_missing
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version 2>&1))."; exit 1; }
	@missing=""; \
	for package in $(1); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	for command in $(2); do command -v $$command >/dev/null || missing="$$missing $$command"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo "Missing system packages:$$missing"; echo "Install them with your package manager, then run make again."; exit 1; \
	fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null; then sudo="sudo"; \
	else \
	  echo "Missing system packages:$$missing"; \
	  echo "Install them as root, then run make again:"; \
	  echo "  apt-get update && apt-get install -y --no-install-recommends$$missing"; \
	  exit 1; \
	fi; \
	echo "Installing system packages:$$missing"; \
	$$sudo apt-get update -qq && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing
endef

system-packages:
	$(call install_missing,$(SYSTEM_PACKAGES),)

test-system-packages:
	$(call install_missing,$(TEST_SYSTEM_PACKAGES),npm)

# requirements*.txt are lock files: every package pinned with its hashes, so pip checks each
# download (hash-checking mode). Edit requirements.in or requirements-dev.in, then `make lock`.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(VENV)/.installed
	$(PY) -m piptools compile $(LOCK_FLAGS) -o requirements.txt requirements.in
	$(PY) -m piptools compile $(LOCK_FLAGS) -o requirements-dev.txt requirements-dev.in

# axe-core for the browser tests, pinned by tests/e2e/package-lock.json.
$(E2E_NODE): tests/e2e/package.json tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error

messages: $(VENV)/.installed
	@$(MANAGE) compilemessages --ignore $(VENV) --verbosity 0

static: $(VENV)/.installed
	@$(MANAGE) collectstatic --noinput --verbosity 0

migrate: $(VENV)/.installed
	$(MANAGE) migrate --verbosity 0

seed: migrate
	$(MANAGE) seed_demo

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	$(MAKE) --no-print-directory typecheck

# mypy with django-stubs over what pyproject.toml's [tool.mypy] lists: lib/ and the model modules.
typecheck: $(VENV)/.installed
	DEBUG=1 $(VENV)/bin/mypy

pytest: setup-test
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var tests/e2e/node_modules tests/e2e/artifacts
