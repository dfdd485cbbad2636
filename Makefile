# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default runs in DEBUG unless told otherwise; production sets SECRET_KEY.
export DEBUG ?= 1
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14

.PHONY: run test install messages migrate demo worker beat lint check-migrations import-contracts e2e bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# The compiled catalogues are committed; they are rebuilt here when gettext is present.
messages: $(STAMP)
	if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv --verbosity 0; fi

migrate: install messages
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations: install
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run

import-contracts: install
	$(VENV)/bin/lint-imports

test: install messages lint check-migrations import-contracts
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest

e2e: install messages
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest tests/e2e

bench: install messages
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) var/static var/cache
