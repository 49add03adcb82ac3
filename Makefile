# The two commands a newcomer needs (see README): `make dev` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
ARGS   ?=

.PHONY: install dev test test-fast bench serve check lint

# A virtualenv with the project (editable) and its test extras; re-run when pyproject.toml changes.
$(BIN)/vatstats: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/vatstats

install: $(BIN)/vatstats

# Install, then start PostgreSQL (embedded unless VATSTATS_DATABASE_URL is set), the UI and the daemon.
# Offline or just trying it out: make dev ARGS=--simulate
dev: install
	$(BIN)/vatstats dev $(ARGS)

# Install, then run every test (embedded PostgreSQL unless VATSTATS_TEST_DATABASE_URL is set).
test: install
	$(BIN)/python -m pytest $(ARGS)

# The fast tests only: no browser, no `vatstats dev` processes.
test-fast: install
	$(BIN)/python -m pytest -m "not slow" $(ARGS)

bench: install
	$(BIN)/vatstats bench $(ARGS)

# The read API on http://127.0.0.1:8000 (docs at /docs); e.g. make serve ARGS="--host 0.0.0.0 --port 8080"
serve: install
	$(BIN)/vatstats serve $(ARGS)

# The linter and the type checker (rules in pyproject.toml).
lint: install
	$(BIN)/ruff check vatstats_assets vatstats_tests bench
	$(BIN)/mypy

# Lint, then Dagster loads and validates every definition, as a user's `dg check defs` in this folder would:
# the root dagster.yaml, with Dagster's storage on the embedded PostgreSQL unless one is configured.
check: lint
	VIRTUAL_ENV=$(abspath $(VENV)) PATH=$(abspath $(BIN)):$$PATH $(BIN)/dg check defs
