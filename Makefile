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
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (python3 is $$(python3 -V 2>&1))."; exit 1; }
	@echo "Creating the virtual environment $(VENV) (nothing is installed outside this folder)..."
	@python3 -m venv $(VENV) || { rm -rf $(VENV); echo "python3 cannot create a virtual environment:" \
		"install python3-venv (Debian: sudo apt-get install python3-venv) and run make again."; exit 1; }

venv: $(VENV)/bin/activate
	@echo "Installing the portal's Python packages (requirements.txt) into $(VENV)..."
	$(PIP) install -q -r requirements.txt

venv-dev: $(VENV)/bin/activate
	$(PIP) install -q -r requirements-dev.txt

run: venv
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py load_wilayah
	$(LOCAL) $(PY) manage.py seed_demo
	@echo "Portal: http://127.0.0.1:$(PORT)  (stop with Ctrl+C)"
	$(LOCAL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# .test-services.env holds the database role the services script had to create (servers without trust auth).
LOAD_TEST_ENV := set -a; [ -n "$$DATABASE_URL" ] || [ ! -f .test-services.env ] || . ./.test-services.env; set +a

test: venv-dev
	$(LOAD_TEST_ENV); PY=$(PY) scripts/ensure-test-services.sh
	$(LOAD_TEST_ENV); $(PY) -m pytest --create-db $(PYTEST_ARGS)

# National-scale benchmark (PostgreSQL + Redis, no browser): generates the dataset on first use (minutes).
# Its database: DATABASE_URL when set, otherwise BENCH_DATABASE (default kopdes_bench) on the test suite's
# server and role (never the suite's own database); see bench/rollup.py.
bench: venv-dev
	$(LOAD_TEST_ENV); NO_BROWSER=1 PY=$(PY) scripts/ensure-test-services.sh
	nice -n 5 $(PY) bench/rollup.py $(BENCH_ARGS)
	nice -n 5 $(PY) bench/page_cost.py
	nice -n 5 $(PY) bench/page_cost.py --drawn
	nice -n 5 $(PY) bench/federation.py

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# Regenerate the Indonesian catalogue after changing UI text, then compile it.
messages: venv-dev
	$(LOCAL) $(PY) manage.py makemessages -l id --no-location --ignore='.venv/*' --ignore='staticfiles/*' --ignore='tests/*'
	$(LOCAL) $(PY) manage.py compilemessages -l id --ignore='.venv'

clean:
	rm -rf staticfiles .test-media .test-worker*.log db.sqlite3
