# Two commands on a fresh machine with only python3 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: demo test lint schema docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,distributed]"
	touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/ccosim validate scenarios/*.yaml
	$(BIN)/ccosim org stats scenarios/[a-z]*.yaml -o reports/demo-org --force
	@echo "Org analytics for the five archetypes are in reports/demo-org/ (summary.txt compares them)."

test: $(DEVSTAMP)
	$(BIN)/ruff check ccosim tests benchmarks
	$(BIN)/python -m pytest

lint: $(DEVSTAMP)
	$(BIN)/ruff check ccosim tests benchmarks
	$(BIN)/ruff format --check ccosim tests benchmarks

schema: $(STAMP)
	$(BIN)/ccosim schema -o scenarios/scenario.schema.json --force

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

docs: $(STAMP)
	$(BIN)/python -c "from pathlib import Path; from ccosim.scenario.reference import refresh_document as r; p = Path('docs/scenario-format.md'); p.write_text(r(p.read_text()))"
