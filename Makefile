# Two commands on a fresh machine with only python3 and make: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: demo test lint schema docs bench clean golden

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# After installing, run a one-month model once: it compiles the engine's kernels (about
# 8 s, once) into their cache, so that no later run pauses for it.
WARM_UP := $(BIN)/python -c "import ccosim; ccosim.simulate(ccosim.load('scenarios/cco_full.yaml', {'horizon_years': 1}))"

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[studio]"
	$(WARM_UP)
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,distributed,xlsx,studio]"
	$(WARM_UP)
	touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/ccosim validate scenarios/*.yaml
	$(BIN)/ccosim compare scenarios/vp_services.yaml scenarios/post_sales_cs.yaml \
		scenarios/cco_full.yaml scenarios/cs_under_sales.yaml scenarios/cxo_tech_touch.yaml \
		--baseline post_sales_cs --runs 20 -o reports/demo --force
	$(BIN)/ccosim business-case scenarios/post_sales_cs.yaml --with scenarios/cco_full.yaml \
		--answers examples/readiness_answers.yaml \
		--hire-month 12 --runs 20 -o reports/demo-business-case --force
	@echo
	@echo "Open reports/demo/report.html (the five designs compared) and"
	@echo "reports/demo-business-case/report.html (the CEO's one-pager)."

test: $(DEVSTAMP)
	$(BIN)/ruff check ccosim tests benchmarks
	$(BIN)/ruff format --check ccosim tests benchmarks
	$(BIN)/python -m pytest

lint: $(DEVSTAMP)
	$(BIN)/ruff check ccosim tests benchmarks
	$(BIN)/ruff format --check ccosim tests benchmarks

schema: $(STAMP)
	$(BIN)/ccosim schema -o scenarios/scenario.schema.json --force

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/studio.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

docs: $(STAMP)
	$(BIN)/python -c "from pathlib import Path; from ccosim.scenario.reference import refresh_document as r; p = Path('docs/scenario-format.md'); p.write_text(r(p.read_text()))"
	$(BIN)/python -c "from pathlib import Path; from ccosim import load; from ccosim.scenario.uncertainty import refresh_ranges as r; p = Path('docs/uncertainty.md'); p.write_text(r(p.read_text(), load('scenarios/_company.yaml')))"
	$(BIN)/python -c "from pathlib import Path; from ccosim.kpis import refresh_document as r; p = Path('docs/kpis.md'); p.write_text(r(p.read_text()))"
	$(BIN)/python -c "from pathlib import Path; from ccosim.calibrate.ledger import refresh_document as r; p = Path('docs/calibration.md'); p.write_text(r(p.read_text()))"

# After a change meant to move results: rewrite tests/golden/*.json and the result tables of
# README.md and docs/model.md (between <!-- golden:NAME --> markers); review the diff.
golden: $(STAMP)
	$(BIN)/python -m tests.golden.regenerate
