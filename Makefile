# coopkit: `make run` serves the worksheets, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.coopkit-installed
TEST_STAMP := $(VENV)/.coopkit-test-installed
PORT ?= 8866
# pytest-xdist workers for the unit and browser tests (each browser worker runs its own Voila).
JOBS ?= 2

.PHONY: run test lint unit notebooks browser browser-deps reference benchmark screenshot clean

# The virtual environment, created on first use and refreshed when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## make run: serve the worksheets with Voila at http://127.0.0.1:8866
run: $(STAMP)
	$(BIN)/coopkit serve --port $(PORT)

## make test: lint, unit tests and doctests, notebooks (nbval), browser tests (Voila + headless Chromium)
test: lint unit notebooks browser

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Tests and notebooks save cases in a throw-away workspace, never ~/coopkit-workspace.
unit notebooks browser: export COOPKIT_WORKSPACE = $(CURDIR)/.pytest_cache/workspace

unit: $(TEST_STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --doctest-modules --doctest-glob=README.md tests/unit coopkit README.md

notebooks: $(TEST_STAMP)
	$(BIN)/python -m pytest --nbval-lax notebooks/00_start_here.ipynb notebooks/frameworks notebooks/options notebooks/sales notebooks/executive
	$(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/notebooks/sanitize.cfg notebooks/reference

browser: $(TEST_STAMP) browser-deps
	$(BIN)/python -m pytest -n $(JOBS) tests/browser

browser-deps:
	@sh scripts/ensure-chromium

## make reference: re-execute the reference notebooks in place (then review the diff)
reference: $(TEST_STAMP)
	$(BIN)/python -m jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.record_timing=False notebooks/reference/*.ipynb
	$(BIN)/python scripts/clean_notebooks.py

## make benchmark: Monte Carlo draw rate, Shapley at scale, time-to-interactive and interaction latency in Voila (see BENCHMARKS.md)
benchmark: $(TEST_STAMP) browser-deps
	$(BIN)/python benchmarks/monte_carlo.py
	$(BIN)/python benchmarks/shapley.py
	$(BIN)/python benchmarks/time_to_interactive.py
	$(BIN)/python benchmarks/interaction_latency.py

## make screenshot: refresh docs/img/win_win_check.png from a live Voila page
screenshot: $(TEST_STAMP) browser-deps
	$(BIN)/python scripts/screenshot.py docs/img/win_win_check.png

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
