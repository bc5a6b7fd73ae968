# The two-command quickstart: `make run` (demo data through the whole pipeline), `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LANDING ?= data/landing
HOME_DIR ?= data/home
SCALE ?= M

export VRO_LANDING ?= $(abspath $(LANDING))
export VRO_HOME ?= $(abspath $(HOME_DIR))

.PHONY: run test lint ui demo ingest bench clean install

# Create the virtualenv and install the pinned dependencies (again only when they change).
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/vro demo --landing $(VRO_LANDING)

# Writes the demo exports when the landing folder is empty, then runs the whole pipeline.
run: $(STAMP)
	@if [ -z "$$(ls -A $(VRO_LANDING) 2>/dev/null)" ]; then $(BIN)/vro demo --landing $(VRO_LANDING) >/dev/null && echo "demo exports written to $(VRO_LANDING)"; fi
	$(BIN)/vro run --landing $(VRO_LANDING) --home $(VRO_HOME)

ingest: $(STAMP)
	$(BIN)/vro ingest --landing $(VRO_LANDING) --home $(VRO_HOME)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check ingest orchestration tests
	$(BIN)/ruff format --check ingest orchestration tests

# The Dagster UI on the same definitions, with its state under the home folder.
ui: $(STAMP)
	mkdir -p $(VRO_HOME)/dagster
	test -f $(VRO_HOME)/dagster/dagster.yaml || printf 'telemetry:\n  enabled: false\n' > $(VRO_HOME)/dagster/dagster.yaml
	DAGSTER_HOME=$(VRO_HOME)/dagster $(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

clean:
	rm -rf data dbt_project/target dbt_project/logs .pytest_cache
