# The project's tasks. `make example` builds the bundled example; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: example test lint bench clean

# A virtual environment with the tool and its test tools, remade when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

example: $(VENV)/.installed
	$(BIN)/scorecard build .

# Test-only npm packages (the W3C HTML checker), pinned in package-lock.json; no install scripts.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test: $(VENV)/.installed
	./scripts/system-deps
	$(MAKE) node_modules/.installed
	$(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check scorecard tests

clean:
	rm -rf $(VENV) node_modules output/scorecard.* output/.cache dist build
