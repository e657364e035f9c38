# Throughline: `make demo` and `make test` are all a fresh clone needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo build serve test lint setup clean close-month bench

demo: setup ## set up, build the demo warehouse with the nightly job, then serve both UIs
	$(BIN)/python -m pipelines.cli build
	$(BIN)/python -m pipelines.cli serve

build: setup ## run the nightly job once, headless; non-zero exit on failure
	$(BIN)/python -m pipelines.cli build

serve: setup ## Dagster UI (with the schedule live) and the dashboards
	$(BIN)/python -m pipelines.cli serve

close-month: setup ## freeze a month as published now: make close-month MONTH=2026-10
	$(BIN)/python -m pipelines.cli close-month $(MONTH)

test: setup ## the whole suite
	$(BIN)/python -m pytest

# B1 from the demo generator (cached under data/bench), full build, a night, the hand-written
# DuckDB and pandas baselines, every dashboard page's queries: make bench SCALE=0.1 RUNS=3
SCALE ?= 1
RUNS  ?= 3
bench: setup ## the benchmark of issue 8; results in data/bench/results-<scale>.json
	$(BIN)/python -m bench --scale $(SCALE) --runs $(RUNS)

lint: setup
	$(BIN)/ruff check pipelines connectors dashboards bench tests dbt_project/models
	$(BIN)/ruff format --check pipelines connectors dashboards bench tests dbt_project/models

setup: $(STAMP) .env

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

# A random salt for hashing e-mails and phones, kept out of git; keep it stable once data exists.
.env:
	@$(PYTHON) -c 'import secrets; print("THROUGHLINE_PII_SALT=" + secrets.token_hex(16))' > .env
	@echo "wrote .env with a new THROUGHLINE_PII_SALT"

clean:
	rm -rf data dbt_project/target dbt_project/logs
