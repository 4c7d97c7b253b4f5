# Two commands on a fresh machine (Python 3.11+):
#   make demo   – installs, migrates, loads the demo förbund, serves http://127.0.0.1:8000
#   make test   – runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint check-deploy worker clean

$(STAMP): pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	# axe-core for the accessibility check in the browser tests (tests/e2e/test_axe.py)
	if command -v npm >/dev/null; then npm install --no-audit --no-fund --loglevel=error; fi
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# In parallel (pytest-xdist); JOBS=1 for one process.
JOBS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

worker: $(STAMP)
	$(BIN)/celery -A finsam worker -Q celery,pdf --loglevel=info

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles media .pytest_cache
