# Two commands on a fresh machine: `make lab` opens the course, `make test` runs every check.
# Both create .venv if it is missing. Other targets: build (regenerate notebooks), voila, check-data.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
# Jupyter refuses to run as root unless told; containers and CI often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test build voila check-data browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## Open the course in JupyterLab at the start notebook.
lab: $(VENV)/.installed
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

## The same notebooks, code-free, in Voilà.
voila: $(VENV)/.installed
	$(BIN)/voila notebooks/00_start_here.ipynb

## Unit tests, data checks, nbval on every notebook, and the browser tests.
test: $(VENV)/.installed-test browser
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env -p no:cacheprovider

## After editing data/: validate it, then re-execute every notebook so stored outputs match.
build: $(VENV)/.installed
	$(BIN)/python -m helpers.build --refresh

check-data: $(VENV)/.installed
	$(BIN)/python -m helpers.data check

## The browser tests drive Debian's Chromium; install it when missing (needs root or sudo).
browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
		else echo "The browser tests need Chromium at $(CHROMIUM): install Debian's 'chromium' package." >&2; exit 1; fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache
