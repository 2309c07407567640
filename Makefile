# reader: `make run` opens the seed library; `make test` runs the whole suite.
# Both create .venv and install everything they need on a fresh machine.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
PYTEST_ARGS ?=

.PHONY: run test bench lint clean venv tmux emacs screenshot

run: $(VENV)/.installed
	$(BIN)/reader

test: $(VENV)/.installed-test tmux emacs
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)
	$(BIN)/lint-imports

lint: $(VENV)/.installed-test
	$(BIN)/lint-imports

bench: $(VENV)/.installed-bench tmux
	$(PY) bench/journeys.py
	$(PY) bench/startup.py
	$(PY) bench/content.py
	$(PY) bench/search.py
	$(PY) bench/results_list.py
	$(PY) bench/store.py
	$(PY) bench/scale.py
	$(PY) bench/bigdoc.py
	$(PY) bench/search_typing.py
	$(PY) bench/optimize.py

venv: $(VENV)/.installed

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "reader needs Python 3.11 or newer on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	@touch $@

# the benchmarks' baselines (bm25s, trafilatura, readability-lxml) run beside reader
$(VENV)/.installed-bench: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[test,bench]"
	@touch $@ $(VENV)/.installed-test $(VENV)/.installed

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.installed

# the end-to-end tests drive the real program in tmux
tmux:
	@command -v tmux >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq tmux >/dev/null; }

# the Org export is checked by Emacs's own Org (emacs-nox: Emacs 28, Org 9.5)
emacs:
	@command -v emacs >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends emacs-nox >/dev/null; }

clean:
	rm -rf $(VENV) dist build .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +

screenshot: $(VENV)/.installed
	$(PY) docs/screenshot.py
