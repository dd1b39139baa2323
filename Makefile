# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
DEMO_SUBJECTS ?= 3000
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test db demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

db: install
	$(FLASK) portal init-db

demo: db
	$(FLASK) portal seed --subjects $(DEMO_SUBJECTS) --if-empty
	$(FLASK) portal sync-index

# Plain http on the local machine: the demo cannot use Secure cookies.
run: demo
	PORTAL_SECURE_COOKIES=0 $(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) instance search_index/* .pytest_cache
