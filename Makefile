# The two commands of the README. Both build a virtual environment in .venv first.
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := selector

.PHONY: serve test venv

venv:
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Install, build the SQLite schema, load the content and serve on http://127.0.0.1:5000
serve: venv
	$(BIN)/python -m pip install -q -e .
	$(BIN)/flask db upgrade
	$(BIN)/flask content load
	$(BIN)/flask run

# Install what the tests need, lint, and run the whole suite
# (the tests that can differ by dialect again on PostgreSQL when TEST_DATABASE_URL is set).
test: venv
	$(BIN)/python -m pip install -q -e '.[test]'
	tools/install-test-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest
