# EveryChild: `make run` serves the demonstration area; `make test` runs every test.
# Both set up everything they need first (a virtual environment in .venv, front-end packages).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Demonstration settings: embedded SQLite, staff second factor relaxed (refused in production).
DEMO_ENV := EVERYCHILD_ENVIRONMENT=development EVERYCHILD_RELAX_2FA=1
# The demonstration sign-ins' password: DEMO_PASSWORD=... or one generated on the first run and
# kept in var/ (not committed), so every `make run` prints sign-ins that work.
DEMO_PASSWORD_FILE := var/demo-password

.PHONY: run test setup lint format benchmarks clean load-test fault-test

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The compiled SEN2 screen (decision 0292), built against the installed lxml.
SCREEN := everychild/returns/sen2/_screen
$(SCREEN).built: $(SCREEN).pyx $(VENV)/.installed
	$(PY) everychild/returns/sen2/build_screen.py
	touch $@

everychild/static/govuk/.built: node_modules/.installed $(VENV)/.installed
	$(PY) manage.py build_frontend
	touch $@

setup: $(VENV)/.installed node_modules/.installed everychild/static/govuk/.built $(SCREEN).built

run: setup
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	@[ -n "$(DEMO_PASSWORD)" ] && printf '%s' "$(DEMO_PASSWORD)" > $(DEMO_PASSWORD_FILE) || true
	@[ -s $(DEMO_PASSWORD_FILE) ] || $(PY) -c "import secrets; print(secrets.token_urlsafe(12), end='')" > $(DEMO_PASSWORD_FILE)
	$(DEMO_ENV) $(PY) manage.py seed_demo_area --password "$$(cat $(DEMO_PASSWORD_FILE))"
	@if [ -d ../shared/data/dfe-ehcp-statistics-2025/data ]; then $(DEMO_ENV) $(PY) manage.py import_dfe_statistics ../shared/data/dfe-ehcp-statistics-2025/data --unless-loaded; fi
	$(DEMO_ENV) $(PY) manage.py seed_demo_improvement_plan
	$(DEMO_ENV) $(PY) manage.py seed_demo_advice
	$(DEMO_ENV) $(PY) manage.py seed_demo_families
	$(DEMO_ENV) $(PY) manage.py seed_demo_plans
	$(DEMO_ENV) $(PY) manage.py seed_demo_schools
	$(DEMO_ENV) $(PY) manage.py seed_demo_support
	@# Last of the seeds: its forecasts count every request and plan the others made.
	$(DEMO_ENV) $(PY) manage.py seed_demo_finance --password "$$(cat $(DEMO_PASSWORD_FILE))"
	@echo "Running the scheduled work once (reminders, notices, messages): see var/scheduled-work.log"
	@$(DEMO_ENV) $(PY) manage.py run_scheduled_work > var/scheduled-work.log 2>&1 || echo "Some scheduled work failed: see var/scheduled-work.log"
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "EveryChild is at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	@# Background jobs (SEN2 checks, forecasts, board packs) run in a worker beside the web
	@# workers, as in production: no request may run over 10 s (gunicorn.conf.py).
	$(DEMO_ENV) EVERYCHILD_TASK_BACKEND=database $(PY) manage.py db_worker --no-reload --no-startup-delay > var/worker.log 2>&1 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) EVERYCHILD_TASK_BACKEND=database $(BIN)/gunicorn everychild.wsgi --bind $(HOST):$(PORT) --workers 3 --timeout 10 --access-logfile -

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with its own test database;
# a test file stays in one process, so a module's shared data is built once (decision 0225).
TEST_WORKERS ?= 2
test: setup lint
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

benchmarks: setup
	$(PY) benchmarks/run.py

# Load and fault tests against PostgreSQL (docs/operations.md): LOAD_SECONDS=60 to shorten,
# SCALE=1 for the demonstration area as it is (default 5: a council the size of Kent), USERS.
SCALE ?= 5
USERS ?= 100
$(VENV)/.load-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test,load]"
	touch $@

load-test: setup $(VENV)/.load-installed
	$(PY) ops/load/run.py --scale $(SCALE) --users $(USERS)

fault-test: setup $(VENV)/.load-installed
	$(PY) ops/load/run.py --scale $(SCALE) --users $(USERS) --fault postgres-restart

clean:
	rm -rf $(VENV) node_modules everychild/static/govuk staticfiles .pytest_cache $(SCREEN).c $(SCREEN).*.so $(SCREEN).built
