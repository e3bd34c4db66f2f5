# cxgov — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip -q --disable-pip-version-check

.PHONY: run test setup setup-dev messages lint bench clean

# Sets up and serves the app on its embedded defaults (SQLite, eager Celery, console e-mail, demo data).
run: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Sets up and runs the whole test suite (SQLite unless DATABASE_URL / REDIS_URL are set).
test: setup-dev
	$(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

setup: $(VENV)/bin/python
	./scripts/system-packages.sh base
	$(PIP) install -r requirements.txt
	$(PY) manage.py compilemessages -v 0 --ignore=.venv

setup-dev: $(VENV)/bin/python
	./scripts/system-packages.sh test
	$(PIP) install -r requirements-dev.txt
	$(PY) manage.py compilemessages -v 0 --ignore=.venv

# Refreshes the message catalogues after changing user-facing strings.
messages:
	$(PY) manage.py makemessages -l fr -l en --no-location --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py makemessages -d djangojs -l fr -l en --no-location --ignore=.venv --ignore=static/vendor --ignore=tests

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

bench: setup-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .ci-state test-artifacts
