# Every target sets up what it needs first, so each works on a fresh machine with only Python 3.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help

help: ## List every target with what it does
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its test extras

serve: $(STAMP) ## Serve the site at http://127.0.0.1:8000; saving a page shows it in about a second
	@# Not strict: a page "changed since review" or with a failing check still previews, with its caution
	@# on the page and the problem in the terminal (hooks/serve.py rebuilds only what an edit changes).
	$(BIN)/mkdocs serve --no-strict --dev-addr 127.0.0.1:$(PORT)

build: $(STAMP) ## Strict production build into site/ (the old site stays if the build fails)
	$(BIN)/medsite build

test: $(STAMP) node ## Run the whole test suite (browser tests need Debian's chromium: make browser)
	@# pytest exits 5 when it collected nothing: that is a failure, said plainly.
	$(BIN)/python -m pytest || { status=$$?; [ $$status -eq 5 ] && echo "pytest collected no tests" >&2; exit $$status; }

node: ## Install the npm tools of the checks (axe-core, Lighthouse, Nu HTML checker) into node_modules/
	@if ! command -v npm >/dev/null; then \
	  echo "npm not found: the axe-core browser tests will be skipped (make browser installs it)"; \
	elif [ ! node_modules/.installed -nt package-lock.json ] || [ ! node_modules/.installed -nt package.json ]; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	fi

judges: $(STAMP) node ## Lighthouse and the W3C Nu HTML checker on the built site (a report; fails only if they cannot run)
	$(BIN)/python benchmarks/judges.py

browser: ## Install Debian's chromium, and node/npm if missing, for the browser tests (needs root)
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)

.PHONY: help install serve build test node judges browser
