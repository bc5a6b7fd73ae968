# The two-command quickstart: `make run` (demo data through the whole pipeline), `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INSTALL_LOG := $(VENV)/install.log
LANDING ?= data/landing
HOME_DIR ?= data/home
SCALE ?= M

export VRO_LANDING ?= $(abspath $(LANDING))
export VRO_HOME ?= $(abspath $(HOME_DIR))

.PHONY: run test lint ui demo ingest bench clean install sources

# Create the virtualenv and install the pinned dependencies (again only when they change). pip's
# output and warnings go to $(INSTALL_LOG); a failure prints its last lines.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@echo "installing dependencies (log: $(INSTALL_LOG))"
	@( $(BIN)/python -m pip install --upgrade pip \
	  && $(BIN)/python -m pip install -c constraints.txt -e '.[dev]' ) > $(INSTALL_LOG) 2>&1 \
	  || { tail -n 20 $(INSTALL_LOG); echo "make: installing failed, see $(INSTALL_LOG)"; exit 1; }
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/vro demo --landing $(VRO_LANDING)

# The dbt sources YAML (staging/<source>/_<source>__sources.yml) rewritten from ingest/contract.py.
sources: $(STAMP)
	$(BIN)/python -m ingest.dbt_sources

# Writes the demo exports when the landing folder is empty, then runs the whole pipeline.
run: $(STAMP)
	@if [ -z "$$(ls -A $(VRO_LANDING) 2>/dev/null)" ]; then $(BIN)/vro demo --landing $(VRO_LANDING) >/dev/null && echo "demo exports written to $(VRO_LANDING)"; fi
	@$(BIN)/vro run --landing $(VRO_LANDING) --home $(VRO_HOME)

ingest: $(STAMP)
	$(BIN)/vro ingest --landing $(VRO_LANDING) --home $(VRO_HOME)

# The browser tests need Debian's Chromium (installed here when missing; CI runs as root).
test: lint $(STAMP) browser-deps node-deps
	$(BIN)/python -m pytest -q

# ruff on the Python; sqlfluff (dbt_project/.sqlfluff) on the dbt models and data tests. Its dbt
# templater compiles the project against a scratch home, never the real warehouse.
lint: $(STAMP)
	$(BIN)/ruff check ingest orchestration tests
	$(BIN)/ruff format --check ingest orchestration tests
	@scratch=$$(mktemp -d) && cd dbt_project \
	  && VRO_HOME=$$scratch DBT_TARGET_PATH=$$scratch/target DBT_LOG_PATH=$$scratch/logs \
	  ../$(BIN)/sqlfluff lint models tests --disable-progress-bar; \
	  status=$$?; rm -rf $$scratch; exit $$status

# The Dagster UI on the same definitions, with its state under the home folder.
ui: $(STAMP)
	$(BIN)/vro ui --landing $(VRO_LANDING) --home $(VRO_HOME)

# Full, no-change and 1%-delta runs at a demo scale against DuckDB's own read (data/bench/<scale>/).
bench: $(STAMP)
	$(BIN)/vro bench --scale $(SCALE)

clean:
	rm -rf data dbt_project/target dbt_project/logs .pytest_cache

# Debian's headless Chromium for the browser tests (tests/browser/); installed only when missing.
.PHONY: browser-deps
browser-deps:
	command -v chromium || (apt-get update && apt-get install -y chromium)

# Node.js and npm for the BI reader test of @duckdb/node-api (tests/unit/test_bi_readers.py installs the
# package itself into .venv/node-api); installed only when missing.
.PHONY: node-deps
node-deps:
	command -v npm || (apt-get update && apt-get install -y nodejs npm)

# The VRO dashboard (Streamlit) on the published marts of $(VRO_HOME), on http://127.0.0.1:8501.
.PHONY: dashboard
dashboard: $(STAMP)
	$(BIN)/streamlit run orchestration/dashboard/app.py --server.address 127.0.0.1 --server.port 8501 --server.headless true --browser.gatherUsageStats false
