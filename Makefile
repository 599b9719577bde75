# Two commands do all set-up: `make run` (the demo) and `make test` (the whole suite).
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.txt | sha1sum | cut -c1-12)

DEMO_ENV := DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 WHATSAPP_BACKEND=console \
	MIKROTIK_HOST=127.0.0.1 MIKROTIK_PORT=18728 MIKROTIK_USER=admin MIKROTIK_PASSWORD=demo \
	TURNSTILE_VERIFY_URL=http://127.0.0.1:18090/turnstile/v0/siteverify \
	MIDTRANS_SERVER_KEY=SB-Mid-server-DEMO MIDTRANS_SNAP_BASE_URL=http://127.0.0.1:18099/snap/v1 \
	MIDTRANS_API_BASE_URL=http://127.0.0.1:18099
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lpsaring

.PHONY: venv run test test-prepare test-clock lint format requirements clean benchmarks rehearsal

# Installs the pinned, hashed requirements (the grep drops pip's notes about this machine's optional local
# indexes; pipefail keeps real errors), then makes the project importable from the virtualenv (pytest loads
# core.testing before Django).
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt 2>&1 \
		| { grep -v "is ignored: it is neither a file nor a directory" || true; }
	echo "$(CURDIR)" > $$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/lpsaring-project.pth
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

run: venv
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py ensure_schedules
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(DEMO_ENV) $(VENV)/bin/honcho -f Procfile.demo start

# The suite twice: at the real time, and with the clock at 00:30 in Asia/Makassar on the last day of this
# month (LPS_TEST_CLOCK, core/testing/pytest_env.py), so a test that depends on the hour or the date fails
# here first. `make test-clock LPS_TEST_CLOCK=2027-02-28T00:30:00+08:00` runs the suite once at any time.
# NO_BROWSER=1 skips the browser tests (no chromium needed); PYTEST_ARGS passes options to pytest.
MONTH_END_CLOCK := $(shell python3 -c 'import calendar, datetime; t = datetime.date.today(); \
	print(f"{t:%Y-%m}-{calendar.monthrange(t.year, t.month)[1]:02d}T00:30:00+08:00")')
LPS_TEST_CLOCK ?= $(MONTH_END_CLOCK)
TEST_ENV = DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)}
PYTEST = $(VENV)/bin/pytest $(if $(NO_BROWSER),-m "not browser") $(PYTEST_ARGS)

# Then, as root (CI), the deploy rehearsal (`make rehearsal`); NO_REHEARSAL=1 skips it.
test: venv test-prepare
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/import_report.py
	$(TEST_ENV) $(PYTEST)
	$(TEST_ENV) LPS_TEST_CLOCK=$(LPS_TEST_CLOCK) $(PYTEST)
	@if [ -n "$(NO_REHEARSAL)" ]; then echo "make test: deploy rehearsal skipped (NO_REHEARSAL)"; \
	elif [ "$$(id -u)" != 0 ]; then echo "make test: deploy rehearsal skipped (needs root: sudo make rehearsal)"; \
	else $(MAKE) --no-print-directory rehearsal; fi

# What the suite needs on this machine, checked (and started or installed where it can) with the virtualenv's
# Python (psycopg, redis and WeasyPrint answer the checks).
test-prepare: venv
	$(TEST_ENV) scripts/test_prepare $(if $(NO_BROWSER),--no-browser)

test-clock: venv test-prepare
	$(TEST_ENV) LPS_TEST_CLOCK=$(LPS_TEST_CLOCK) $(PYTEST)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Add or upgrade a dependency: edit requirements.in (or requirements-dev.in), then `make requirements`.
requirements:
	test -x $(VENV)/bin/pip-compile || $(MAKE) venv
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements-dev.txt requirements-dev.in

benchmarks: venv
	for script in benchmarks/[!_]*.py; do DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(PY) $$script; done

# The deploy rehearsal (README, "Deployment on Debian 12"): installs the project into a scratch prefix as the
# README says and checks it through nginx; also runs scripts/tests/test_rehearsal_checks.sh. Needs root,
# PostgreSQL (REHEARSAL_PG) and Redis (REHEARSAL_REDIS); stops and removes everything it started.
rehearsal:
	bash scripts/deploy_rehearsal

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts
