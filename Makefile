# One entry point for newcomers and CI: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip

# What .venv holds, recorded by stamp files: the docs lock (`make site`,
# `make serve`) or the full lock (everything else). The full lock contains
# the docs lock at the same versions, so installing it also satisfies the
# docs stamp; a venv made by `make site` is completed by `make test`.
DOCS_STAMP := $(VENV)/.installed-docs
ALL_STAMP  := $(VENV)/.installed-all

# MkDocs 1.x prints a notice about its successor on every build; the stack
# notes (docs/about.md) cover it.
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help install install-docs site serve test lint format bench dist lock clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# Every package comes from a lock in requirements/ and is checked against
# its SHA-256 hashes: pip first (the venv's own pip installs the locked one),
# then the lock, wheels only, so that pip builds nothing and fetches no build
# dependency of its own. Last, convdemo itself, editable, built by the locked
# setuptools with no index to fetch from (--no-index --no-deps
# --no-build-isolation).
define install_locked
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import platform, sys; sys.version_info[:2] == (3, 11) and platform.system() == "Linux" and platform.machine() == "x86_64" or print("warning: requirements/*.txt are locked for CPython 3.11 on Linux x86_64, not", platform.python_implementation(), platform.python_version(), "on", platform.system(), platform.machine(), file=sys.stderr)'
	$(PIP) install --quiet --require-hashes --only-binary :all: -r requirements/bootstrap.txt
	$(PIP) install --quiet --require-hashes --only-binary :all: -r $(1)
	$(PIP) install --quiet --no-index --no-deps --no-build-isolation -e .
endef

$(DOCS_STAMP): requirements/bootstrap.txt requirements/docs.txt pyproject.toml
	$(call install_locked,requirements/docs.txt)
	touch $@

$(ALL_STAMP): requirements/bootstrap.txt requirements/all.txt pyproject.toml
	$(call install_locked,requirements/all.txt)
	touch $@ $(DOCS_STAMP)

install: $(ALL_STAMP)  ## Create .venv with everything (hash-checked, from requirements/all.txt)

install-docs: $(DOCS_STAMP)  ## Create .venv with what the site needs only (requirements/docs.txt)

site: $(DOCS_STAMP)  ## Build the site into site/ and print a build report
	$(BIN)/python scripts/build_report.py --build

serve: $(DOCS_STAMP)  ## Preview the site with live reload
	$(BIN)/python -m mkdocs serve

lint: $(ALL_STAMP)  ## Ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(ALL_STAMP)  ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint  ## Run every test (after lint)
	$(BIN)/python -m pytest

bench: $(ALL_STAMP)  ## Print benchmark ratios against named baselines
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

dist: $(ALL_STAMP)  ## Build the sdist and wheel into dist/ and check them with twine
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/twine check --strict dist/*

# The one command that rewrites the locks, from pyproject.toml and
# requirements/bootstrap.in, for CPython 3.11 on Linux x86_64 (run it there).
# It resolves against PyPI alone, whatever pip configuration the machine has,
# and keeps every version already locked; to move one, pass
# LOCK_UPGRADE="--upgrade-package NAME" (or "--upgrade" for all). The docs
# lock and the bootstrap lock are constrained by the full lock, so a package
# has the same version in all three.
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL \
	-u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --index-url https://pypi.org/simple

lock: $(ALL_STAMP)  ## Regenerate requirements/*.txt with hashes (needs PyPI)
	$(PIP_COMPILE) $(LOCK_UPGRADE) --all-extras --output-file requirements/all.txt pyproject.toml requirements/bootstrap.in
	$(PIP_COMPILE) --extra docs --constraint requirements/all.txt --output-file requirements/docs.txt pyproject.toml requirements/bootstrap.in
	$(PIP_COMPILE) --constraint requirements/all.txt --output-file requirements/bootstrap.txt requirements/bootstrap.in

clean:  ## Remove build output (keeps .venv)
	rm -rf site docs/generated dist build .pytest_cache .mypy_cache .ruff_cache
