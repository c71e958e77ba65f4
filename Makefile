# Copydesk: `make help` lists the targets.
#
# Everything runs from a project-local virtualenv (.venv), created on first use from
# PYTHON (3.11 or newer) and re-synced whenever a lock file changes (stamp files inside
# .venv record what was installed). Dependencies are declared in pyproject.toml and locked,
# every transitive one with its hashes, in requirements/runtime.lock and requirements/dev.lock;
# pip installs them with hash checking (`--require-hashes`).

PYTHON ?= python3
VENV ?= .venv
VENV_PY := $(VENV)/bin/python
PIP := $(VENV_PY) -m pip --disable-pip-version-check
RUNTIME_LOCK := requirements/runtime.lock
DEV_LOCK := requirements/dev.lock
RUNTIME_STAMP := $(VENV)/.copydesk-runtime.stamp
DEV_STAMP := $(VENV)/.copydesk-dev.stamp

# Locks are universal (every OS and Python >= 3.11, with markers where they differ), so one
# pair of files serves Linux, macOS, Windows and the Docker image alike.
UV := $(VENV)/bin/uv
LOCK := $(UV) pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command 'make lock'
# `make upgrade` lifts every pin; `make upgrade PACKAGE="flask rq"` only those packages'.
UPGRADE := $(if $(PACKAGE),$(foreach package,$(PACKAGE),--upgrade-package '$(package)'),--upgrade)

TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test test-postgres gallery lint format migrate venv lock upgrade clean

help:
	@echo "Copydesk"
	@echo ""
	@echo "  make run            install deps into .venv, migrate, start web + worker (+ a private"
	@echo "                      Redis when none answers) and print the URL; Ctrl-C stops all"
	@echo "                      env: PORT (8000), HOST (127.0.0.1), DATABASE_URL, REDIS_URL, .env"
	@echo "  make test           run the test suite (SQLite unless TEST_DATABASE_URL is set;"
	@echo "                      Redis from TEST_REDIS_URL); extra pytest args: PYTEST_ARGS=..."
	@echo "  make test-postgres  the test suite against $(TEST_POSTGRES_URL)"
	@echo "  make gallery        the browser walk of every page, writing the README's screenshots"
	@echo "                      (docs/gallery/) and its gallery table"
	@echo "  make lint           ruff check and ruff format --check (what CI runs)"
	@echo "  make format         ruff check --fix, then ruff format: rewrites files"
	@echo "  make migrate        apply database migrations (flask db upgrade)"
	@echo "  make venv           only create/update .venv with the dev lock ($(DEV_LOCK))"
	@echo "  make lock           re-lock after editing pyproject.toml; other pins stay as they are"
	@echo "  make upgrade        re-lock every package at its newest allowed version;"
	@echo "                      PACKAGE=\"flask rq\" only those (PACKAGE=flask==3.2.0: that version)"
	@echo "  make clean          remove .venv and the tool caches"

$(VENV_PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Copydesk needs Python 3.11 or newer, $(PYTHON) is " + sys.version.split()[0] + "; run make with PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV) (on Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }

$(RUNTIME_STAMP): $(RUNTIME_LOCK) | $(VENV_PY)
	$(PIP) install --require-hashes -r $(RUNTIME_LOCK)
	@touch $@

# The dev lock holds the runtime packages too, at the same versions.
$(DEV_STAMP): $(RUNTIME_LOCK) $(DEV_LOCK) | $(VENV_PY)
	$(PIP) install --require-hashes -r $(DEV_LOCK)
	@touch $@ $(RUNTIME_STAMP)

venv: $(DEV_STAMP)

run: $(RUNTIME_STAMP)
	$(VENV_PY) scripts/run.py

migrate: $(RUNTIME_STAMP)
	$(VENV_PY) scripts/run.py --migrate-only

test: $(DEV_STAMP)
	@echo "$(VENV_PY) -m pytest $(PYTEST_ARGS)"
	@$(VENV_PY) -m pytest $(PYTEST_ARGS) || { status=$$?; \
	  if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests (exit 5), counted as a failure" >&2; \
	  else echo "make test: pytest exited with status $$status" >&2; fi; exit $$status; }

test-postgres:
	TEST_DATABASE_URL='$(TEST_POSTGRES_URL)' $(MAKE) --no-print-directory test

gallery: $(DEV_STAMP)
	UPDATE_GALLERY=1 $(VENV_PY) -m pytest tests/browser/test_gallery.py $(PYTEST_ARGS)

# Both checks run (and report) even when the first fails.
lint: $(DEV_STAMP)
	@status=0; \
	echo "$(VENV)/bin/ruff check ."; $(VENV)/bin/ruff check . || status=$$?; \
	echo "$(VENV)/bin/ruff format --check ."; $(VENV)/bin/ruff format --check . || status=$$?; \
	exit $$status

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The dev lock is constrained by the runtime lock, so both agree on every shared package.
# Pins already in a lock are kept unless pyproject.toml no longer allows them or UPGRADE_ARGS
# lifts them.
UPGRADE_ARGS ?=
lock: $(DEV_STAMP)
	$(LOCK) $(UPGRADE_ARGS) -o $(RUNTIME_LOCK)
	$(LOCK) $(UPGRADE_ARGS) --group dev -c $(RUNTIME_LOCK) -o $(DEV_LOCK)

upgrade: $(DEV_STAMP)
	@$(MAKE) --no-print-directory lock UPGRADE_ARGS="$(UPGRADE)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
