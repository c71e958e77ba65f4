# Copydesk: `make help` lists the targets.
#
# Everything runs from a project-local virtualenv (.venv), created on first use from
# PYTHON (3.11 or newer) and re-synced whenever requirements*.txt change (stamp files
# inside .venv record what was installed).

PYTHON ?= python3
VENV ?= .venv
VENV_PY := $(VENV)/bin/python
PIP := $(VENV_PY) -m pip --disable-pip-version-check
RUNTIME_STAMP := $(VENV)/.copydesk-runtime.stamp
DEV_STAMP := $(VENV)/.copydesk-dev.stamp

TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run test test-postgres migrate venv clean

help:
	@echo "Copydesk"
	@echo ""
	@echo "  make run            install deps into .venv, migrate, start web + worker (+ a private"
	@echo "                      Redis when none answers) and print the URL; Ctrl-C stops all"
	@echo "                      env: PORT (8000), HOST (127.0.0.1), DATABASE_URL, REDIS_URL, .env"
	@echo "  make test           run the test suite (SQLite unless TEST_DATABASE_URL is set;"
	@echo "                      Redis from TEST_REDIS_URL); extra pytest args: PYTEST_ARGS=..."
	@echo "  make test-postgres  the test suite against $(TEST_POSTGRES_URL)"
	@echo "  make migrate        apply database migrations (flask db upgrade)"
	@echo "  make venv           only create/update .venv with the dev requirements"
	@echo "  make clean          remove .venv"

$(VENV_PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Copydesk needs Python 3.11 or newer, $(PYTHON) is " + sys.version.split()[0] + "; run make with PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV) (on Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }

$(RUNTIME_STAMP): requirements.txt | $(VENV_PY)
	$(PIP) install -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV_PY)
	$(PIP) install -r requirements-dev.txt
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

clean:
	rm -rf $(VENV) .pytest_cache
