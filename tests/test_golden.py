"""Golden outputs: the engine's numbers for every shipped scenario, and the docs' tables.

A change that moves results must come with ``make golden`` (which rewrites tests/golden/*.json
and the marked tables of README.md and docs/model.md) and a reviewed diff; until then these
tests fail, so no published number silently goes stale. Same seed, same numbers: the
comparison allows only floating-point summation noise (relative 1e-9).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.golden import regenerate as golden


@pytest.mark.parametrize("path", golden.shipped(), ids=lambda p: p.stem)
def test_small_seeded_run_matches_its_golden_file(path):
    stored = json.loads((golden.GOLDEN / f"{path.stem}.json").read_text())
    assert stored["run"] == golden.GOLDEN_RUN, "run `make golden`: the pinned run changed"
    fresh = golden.golden_numbers(path)
    assert set(fresh) == set(stored["kpis"])
    for kpi, values in fresh.items():
        np.testing.assert_allclose(
            values, stored["kpis"][kpi], rtol=1e-9, err_msg=f"{path.stem} {kpi}: run make golden"
        )


def test_every_shipped_scenario_has_a_golden_file():
    assert {p.stem for p in golden.shipped()} == {p.stem for p in golden.GOLDEN.glob("*.json")}


@pytest.fixture(scope="module")
def regenerated() -> dict[str, str]:
    names = {n for doc in golden.DOCUMENTS for n in golden.marked_tables(doc.read_text())}
    return {name: golden.TABLES[name]() for name in sorted(names)}


@pytest.mark.parametrize("document", golden.DOCUMENTS, ids=lambda p: p.name)
def test_result_tables_in_the_docs_match_a_fresh_run(document, regenerated):
    tables = golden.marked_tables(document.read_text())
    assert tables, f"{document.name} has no golden tables"
    for name, text in tables.items():
        assert text == regenerated[name], f"{document.name} table {name!r}: run make golden"


def test_refresh_replaces_only_the_marked_table():
    text = "before\n<!-- golden:t -->\n| 1 |\n<!-- /golden:t -->\nafter 1.5x\n"
    assert golden.refresh(text, {"t": "| 2 |"}) == text.replace("| 1 |", "| 2 |")
    assert golden.marked_tables(text) == {"t": "| 1 |"}
