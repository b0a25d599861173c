# One entry point for newcomers and CI: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install site serve test lint format bench clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==26.3
	PIP_CONSTRAINT=$(CURDIR)/constraints.txt $(BIN)/python -m pip install --quiet -e '.[docs,test,dev]'
	touch $@

install: $(STAMP)  ## Create .venv and install the pinned dependencies

site: $(STAMP)  ## Build the site into site/
	$(BIN)/python -m mkdocs build --strict

serve: $(STAMP)  ## Preview the site with live reload
	$(BIN)/python -m mkdocs serve

lint: $(STAMP)  ## Ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint  ## Run every test (after lint)
	$(BIN)/python -m pytest

bench: $(STAMP)  ## Print benchmark ratios against named baselines
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:  ## Remove build output (keeps .venv)
	rm -rf site docs/generated .pytest_cache .mypy_cache .ruff_cache
