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

test: $(VENV)/.installed
	./scripts/system-deps
	$(BIN)/python -m pytest

# The benchmark: timings of every stage and of whole builds, into BENCHMARKS.md (minutes).
bench: $(VENV)/.installed
	./scripts/system-deps
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed
	$(BIN)/ruff check scorecard tests bench

clean:
	rm -rf $(VENV) output/scorecard.* output/.cache dist build
