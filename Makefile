# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed
NODE_TOOLS := tools/federation
NODE_STAMP := $(NODE_TOOLS)/node_modules/.installed
PORTAL := clients/portal
PORTAL_STAMP := $(PORTAL)/node_modules/.installed

.PHONY: run test install lint typecheck contracts drift migrations-check pytest lock export-schema trusted-documents portal bench bench-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(STAMP): $(BIN)/python requirements-dev.lock pyproject.toml
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet requirements-dev.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(NODE_STAMP): $(NODE_TOOLS)/package.json $(NODE_TOOLS)/package-lock.json
	cd $(NODE_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(PORTAL_STAMP): $(PORTAL)/package.json $(PORTAL)/package-lock.json
	cd $(PORTAL) && npm ci --no-audit --no-fund --loglevel=error
	touch $(PORTAL_STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/elcorp serve --migrate --seed

test: $(STAMP) $(NODE_STAMP) lint typecheck contracts
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --cov --cov-report= $(PYTEST_ARGS)
	$(BIN)/python -m coverage report

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

lock: $(BIN)/python
	$(UV) pip compile -q pyproject.toml --extra build --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	$(UV) pip compile -q pyproject.toml --extra build --extra dev --python-version 3.11 --generate-hashes --no-header -o requirements-dev.lock

export-schema: $(STAMP)
	$(BIN)/elcorp export-schema

# The portal's typed operations and the trusted-documents manifest (after a schema change
# or an edited operation): codegen from schema.graphql, copied to server/trusted_documents.json.
trusted-documents: $(PORTAL_STAMP)
	npm --prefix $(PORTAL) run codegen

portal: $(PORTAL_STAMP)
	npm --prefix $(PORTAL) run build

# Micro benchmarks, then the load test (bench/README.md); neither is part of `make test`.
bench: $(STAMP)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)

# e.g. make bench-load BENCH_LOAD_ARGS="--users 100 --mixes portal --duration 30"
bench-load: $(STAMP)
	$(BIN)/python -m bench.load $(BENCH_LOAD_ARGS)

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache .coverage $(NODE_TOOLS)/node_modules $(PORTAL)/node_modules
