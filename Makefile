# Two commands for a reader or an instructor (see README.md):
#   make lab    set up .venv if needed, then start JupyterLab on notebooks/ (localhost, with its token)
#   make test   set up .venv if needed, then lint and run every test: unit tests and every notebook (nbval)
#   make test-browser  run every notebook in JupyterLab in headless Chromium (tests/browser; needs Chromium)
# The environment is (re)built only when requirements.txt or pyproject.toml changed since the last install.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg
# JupyterLab refuses to start as root unless told; containers often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test lint unit notebooks format nav bench clean test-browser chromium

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("make: Python 3.10 or newer is needed, found " + sys.version.split()[0] + " (set PYTHON=python3.x)") if sys.version_info < (3, 10) else None'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# `jupyter trust` signs the notebooks (in this user's Jupyter data folder): JupyterLab draws the saved sliders and
# figures of trusted notebooks only, and a fresh clone's notebooks are not trusted yet. They are this repository's.
lab: $(STAMP)
	$(BIN)/jupyter trust notebooks/[0-9][0-9]_*.ipynb
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks $(ROOT_FLAG)

# One BLAS thread per process: pytest-xdist already runs a process per core, and oversubscribed OpenBLAS threads
# make small matrix operations tens of times slower. The notebook kernels that nbval starts inherit it.
test: lint
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n auto --dist loadfile $(NBVAL)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP)
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n auto --dist loadfile tests

# For authors: format, refresh the navigation lines, and execute every notebook in place (outputs are committed).
notebooks: $(STAMP)
	$(BIN)/ruff format notebooks
	$(BIN)/python tools/notebooks.py nav
	$(BIN)/python tools/notebooks.py execute

nav: $(STAMP)
	$(BIN)/python tools/notebooks.py nav

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_training.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# The notebooks as readers meet them: JupyterLab in headless Chromium, driven by Playwright (tests/browser).
BROWSER_STAMP := $(VENV)/.installed-browser
CHROMIUM ?= /usr/bin/chromium

$(BROWSER_STAMP): $(STAMP) requirements-browser.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-browser.txt
	touch $(BROWSER_STAMP)

chromium:
	@CHROMIUM=$(CHROMIUM) sh tests/browser/ensure_chromium.sh

test-browser: $(BROWSER_STAMP) chromium
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests/browser --browser
