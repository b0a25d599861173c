# One entry point for newcomers and CI: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# MkDocs 1.x prints a notice about its successor on every build; the stack
# notes (docs/about.md) cover it.
export NO_MKDOCS_2_WARNING := 1

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

site: $(STAMP)  ## Build the site into site/ and print a build report
	$(BIN)/python scripts/build_report.py --build

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
