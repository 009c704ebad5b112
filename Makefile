# The project's tasks. `make example` builds the bundled example; `make test` runs the tests;
# `make check` runs the fast ones (after each change); `make lint` checks format, lint and types.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: example test check lint bench clean catalogs

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

# The fast tests: no browser, no system package, no W3C checker, no PDF judge (under 30 s).
check: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not slow" -q

# Interface translations (Babel): extract the text to translate, merge it into each language's
# .po (then translate what is new or fuzzy), compile the .mo files that ship in the package.
catalogs: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -c Translators: \
	  --project scorecard -o scorecard/locale/scorecard.pot .
	$(BIN)/pybabel update -D scorecard -i scorecard/locale/scorecard.pot -d scorecard/locale \
	  --width 100 --ignore-obsolete
	$(BIN)/pybabel compile -D scorecard -d scorecard/locale --statistics

# The benchmark: timings of every stage and of whole builds, into BENCHMARKS.md (minutes).
bench: $(VENV)/.installed
	./scripts/system-deps
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed
	$(BIN)/ruff check scorecard tests bench scripts
	$(BIN)/ruff format --check scorecard tests bench scripts
	$(BIN)/mypy scorecard

clean:
	rm -rf $(VENV) node_modules output/scorecard.* output/.cache dist build
