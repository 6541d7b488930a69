# The two commands of the README:
#   make run   - the portal with demo data on SQLite at http://127.0.0.1:8000 (no services needed)
#   make test  - the whole test suite on PostgreSQL and Redis, with real Celery worker and Chromium
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local
PORT ?= 8000

.PHONY: run test venv venv-dev migrate-local lint messages bench clean

$(VENV)/bin/activate:
	python3 -m venv $(VENV)

venv: $(VENV)/bin/activate
	$(PIP) install -q -r requirements.txt

venv-dev: $(VENV)/bin/activate
	$(PIP) install -q -r requirements-dev.txt

run: venv
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py load_wilayah
	$(LOCAL) $(PY) manage.py seed_demo
	@echo "Portal: http://127.0.0.1:$(PORT)  (stop with Ctrl+C)"
	$(LOCAL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv-dev
	PY=$(PY) scripts/ensure-test-services.sh
	$(PY) -m pytest --create-db $(PYTEST_ARGS)

# National-scale benchmark (PostgreSQL + Redis): generates the dataset on first use (about a minute).
bench: venv-dev
	PY=$(PY) scripts/ensure-test-services.sh
	$(PY) bench/rollup.py $(BENCH_ARGS)
	$(PY) bench/federation.py

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# Regenerate the Indonesian catalogue after changing UI text, then compile it.
messages: venv-dev
	$(LOCAL) $(PY) manage.py makemessages -l id --no-location --ignore='.venv/*' --ignore='staticfiles/*' --ignore='tests/*'
	$(LOCAL) $(PY) manage.py compilemessages -l id --ignore='.venv'

clean:
	rm -rf staticfiles .test-media .test-worker.log db.sqlite3
