# Two commands from a fresh clone: `make run` (build the graph from seeds/ and serve it) and
# `make test` (lint and the whole test suite). Each sets up its own virtual environment.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
OUT ?= build
PORT ?= 8080

.PHONY: run test build lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(BIN)/conflict-ld build --seeds seeds --out $(OUT) --base-uri http://localhost:$(PORT)/

run: build
	$(BIN)/conflict-ld serve --out $(OUT) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache *.egg-info
