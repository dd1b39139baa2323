# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_SUBJECTS ?= 3000
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test lint lock db demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exact versions (with hashes) from the lock file; pyproject keeps ranges for library users.
$(VENV)/.installed: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Re-resolve both lock files after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes --quiet \
		-o requirements-dev.lock

db: install
	$(FLASK) portal init-db

demo: db
	$(FLASK) portal seed --subjects $(DEMO_SUBJECTS) --if-empty
	$(FLASK) portal sync-index

# Plain http on the local machine: the demo cannot use Secure cookies.
run: demo
	PORTAL_SECURE_COOKIES=0 $(FLASK) run --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Three workers on two cores: a third of the suite's time is spent waiting (browsers, servers,
# subprocesses), so a third worker fills it; worksteal keeps the long tests from ending alone.
test: install lint
	$(BIN)/python -m pytest -n 3 --dist worksteal

# Search, listings and index lag at 1,000,000 records on every backend (bench/README.md); long.
bench: install
	$(BIN)/python bench/search_bench.py --records 1000000

clean:
	rm -rf $(VENV) instance search_index/* .pytest_cache
