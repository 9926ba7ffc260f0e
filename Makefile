# One entry point for everything. Finds Python 3.12+ by itself.
SHELL := /bin/bash
PYTHON ?= $(shell for c in python3.13 python3.12 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo $$c; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Two cores and two test workers: numerical libraries must not start threads of their own.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1

.PHONY: help venv install migrate messages catalogues demo serve test test-fast lint typecheck bench chromium clean

help:
	@echo "make demo   - create the environment, load the demo municipality and serve it on http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)"
	@echo "make catalogues - extract new strings into the translation catalogues and compile them"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - benchmarks and load tests (figures go to docs/performance.md)"

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Hittade ingen Python 3.12 eller senare (python3.13, python3.12 eller pyenv)." >&2; exit 1; fi
	@echo "Using $(PYTHON)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv install: $(STAMP)

messages: $(STAMP)
	cd src/delaktig && ../../$(BIN)/delaktig compilemessages --ignore=.venv >/dev/null

# Extract the Swedish strings into every catalogue, then compile. Each directory with a
# locale/ (an app, a method app under participation/, the package root for templates/) gets
# the strings of its own files; a nested app's files go to the nested catalogue.
catalogues: $(STAMP)
	cd src/delaktig && for loc in $$(find . -name locale -type d -not -path './.venv/*' | sort); do \
		dir=$$(dirname $$loc); \
		nested=$$(cd $$dir && find . -mindepth 2 -maxdepth 2 -name locale -type d | cut -d/ -f2 | sed 's/^/-i /'); \
		(cd $$dir && $(abspath $(BIN))/delaktig makemessages -l en --no-obsolete -i migrations -i static $$nested >/dev/null) || exit 1; \
	done
	$(MAKE) messages

migrate: messages
	$(BIN)/delaktig migrate --noinput

demo: migrate
	$(BIN)/delaktig load_demo
	$(BIN)/delaktig runserver $(HOST):$(PORT)

serve: migrate
	$(BIN)/delaktig runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
			echo "Installerar Chromium för webbläsartesterna..."; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || exit 1; \
		else echo "Chromium saknas: installera paketet chromium (/usr/bin/chromium)." >&2; exit 1; fi; \
	fi

test: messages chromium
	$(BIN)/python -m pytest -q -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: messages
	$(BIN)/python -m pytest -q -n 2 -m "not browser and not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

bench: migrate
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var
