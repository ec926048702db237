# Two commands on a fresh machine: `make lab` opens the course, `make test` runs every check.
# Both create .venv if it is missing. Other targets: test-fast (no notebooks, no browser), build (regenerate
# notebooks), bench (how long things take), voila, check-data, test-hub (a real JupyterHub, run by CI).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
# Jupyter refuses to run as root unless told; containers and CI often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test test-fast build bench voila check-data browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## Open the course in JupyterLab on your own copies (workspace/), at the start notebook.
lab: $(VENV)/.installed
	$(BIN)/python -m helpers.launch lab $(ROOT_FLAG)

## Every notebook, code-free, in Voilà (read-only: nothing a learner does there is saved in the notebooks).
voila: $(VENV)/.installed
	$(BIN)/python -m helpers.launch voila

PYTEST := $(BIN)/python -m pytest -p no:cacheprovider --durations=10

## Unit tests, data checks, nbval on every notebook (chart images compared by their alt text, not their pixels),
## and the browser tests, on both cores (one file per worker).
test: $(VENV)/.installed-test browser
	$(PYTEST) -n 2 --dist loadfile tests notebooks --nbval --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg

## The quick loop while editing helpers: no notebook execution, no browser.
test-fast: $(VENV)/.installed-test
	$(PYTEST) -n 2 tests -m "not slow and not browser"

## How long the notebooks, the table load and (with TESTS=1) the test commands take on this machine.
bench: $(VENV)/.installed-test
	$(BIN)/python -m helpers.bench $(if $(TESTS),--tests)

## After editing data/: validate it, then re-execute every notebook so stored outputs match.
build: $(VENV)/.installed
	$(BIN)/python -m helpers.build --refresh --outputs

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

## The hub test's tools: JupyterHub and the idle culler into .venv, configurable-http-proxy into .cache/chp (npm).
HUB_PROXY := .cache/chp/node_modules/.bin/configurable-http-proxy
.PHONY: test-hub hub-deps
hub-deps: $(VENV)/.installed-hub $(HUB_PROXY)

$(VENV)/.installed-hub: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet 'jupyterhub>=5,<7' 'jupyterhub-idle-culler>=1.4,<2'
	touch $@

$(HUB_PROXY):
	mkdir -p .cache/chp
	npm install --silent --no-audit --no-fund --prefix .cache/chp configurable-http-proxy@5

## A real JupyterHub (deploy/jupyterhub) on 127.0.0.1 with three learners in Chromium, culling, and the dashboard.
test-hub: $(VENV)/.installed-test hub-deps browser
	CPT64612_HUB_TESTS=1 $(PYTEST) tests/hub
