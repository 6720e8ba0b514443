"""One KPI catalogue and one set of number rules: what a board reads must say what it means."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure

import ccosim
from ccosim import kpis
from ccosim.formatting import axis_formatter, format_delta, format_kpi, format_value
from ccosim.sim.model import MONTHLY
from tests.conftest import SCENARIOS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_engine_emits_exactly_the_catalogued_kpis():
    results = ccosim.simulate(
        ccosim.load(SCENARIOS / "cco_full.yaml", {"horizon_years": 1}), runs=1, seed=3
    )
    assert set(results.yearly) == set(kpis.YEARLY), (
        "a yearly KPI missing from, or extra to, the catalogue"
    )
    assert set(results.monthly) == set(kpis.MONTHLY) == set(MONTHLY)
    assert results.segments, "the shipped company reports its segments"
    for segment, table in results.segments.items():
        assert tuple(table) == kpis.SEGMENT_KPIS, f"segment {segment}: {sorted(table)}"


def test_catalogue_entries_are_complete():
    for k in kpis.CATALOGUE.values():
        assert k.unit in kpis.UNITS and k.direction in ("higher", "lower", "neutral"), k.name
        assert k.label and k.description.endswith("."), k.name
        assert k.monthly or k.yearly, f"{k.name} is emitted neither monthly nor yearly"
    for name in (*kpis.HEADLINE, *kpis.SEGMENT_KPIS):
        assert name in kpis.CATALOGUE
    assert kpis.lower_is_better("org_cost") and not kpis.lower_is_better("nrr")


def test_every_catalogue_source_is_a_key_of_sources_md():
    sources = (DOCS / "sources.md").read_text()
    for k in kpis.CATALOGUE.values():
        if k.source != "model":
            assert f"`{k.source}`" in sources, f"{k.name} cites {k.source!r}, not in sources.md"


def test_docs_kpis_md_is_generated_from_the_catalogue():
    text = (DOCS / "kpis.md").read_text()
    assert kpis.refresh_document(text) == text, "docs/kpis.md is stale: run make docs"
    for name in kpis.CATALOGUE:
        assert f"| `{name}` |" in text


@pytest.mark.parametrize(
    ("value", "unit", "signed", "text"),
    [
        (49.8, "$", False, "$49.8"),  # support cost per ticket: never "0k"
        (0.123, "$", False, "$0.123"),
        (512_000, "$", True, "+$512k"),
        (1_234_000, "$", False, "$1.23M"),
        (-2_500, "$", True, "-$2.5k"),
        (0.912, "%", False, "91.2%"),
        (0.012, "pts", True, "+1.2 pts"),
        (-0.00001, "pts", True, "0.0 pts"),  # no "-0.0"
        (3.44, "months", False, "3.4 months"),
        (1810.0, "count", False, "1,810"),
        (6.2, "hours", False, "6.2 h"),
        (3.214, "ratio", False, "3.21"),
        (math.nan, "months", False, "n/a"),
        (None, "$", True, "n/a"),
    ],
)
def test_values_are_written_by_unit(value, unit, signed, text):
    assert format_value(value, unit, signed=signed) == text


def test_differences_of_shares_are_points_and_undefined_is_na():
    assert format_delta("nrr", 0.021) == "+2.1 pts"
    assert format_kpi("nrr", 0.971) == "97.1%"
    assert format_kpi("cac_payback_months", math.nan) == "n/a"
    assert format_kpi("support_cost_per_ticket", 51.2) == "$51.2"


@pytest.mark.parametrize(
    ("unit", "ticks"),
    [
        ("%", [0.88, 0.8825, 0.885, 0.8875, 0.89]),
        ("$", [1.0e8, 1.000002e8, 1.000004e8]),
        ("$", [0, 20, 40, 60]),
        ("pts", [-0.004, -0.002, 0.0, 0.002]),
    ],
)
def test_axis_labels_are_distinct_and_plain(unit, ticks):
    labels = axis_formatter(unit).format_ticks(ticks)
    assert len(set(labels)) == len(labels), labels
    assert not any(re.search(r"e[+-]?\d", label) for label in labels), labels


def test_an_axis_never_shows_an_offset():
    figure = Figure()
    axes = figure.add_subplot()
    axes.plot([0, 1, 2], [1.0e8, 1.0e8 + 10, 1.0e8 + 20])
    axes.yaxis.set_major_formatter(axis_formatter("$"))
    figure.draw_without_rendering()
    assert axes.yaxis.get_offset_text().get_text() == ""
    labels = [t.get_text() for t in axes.get_yticklabels() if t.get_text()]
    assert len(set(labels)) == len(labels), labels


def test_sweep_refuses_an_unknown_kpi_before_running(tmp_path):
    from click.testing import CliRunner

    from ccosim.cli import main

    result = CliRunner().invoke(
        main,
        [
            "sweep",
            str(SCENARIOS / "cco_full.yaml"),
            "--vary",
            "customers.segments.smb.base_churn=0.1:0.2:2",
            "--kpi",
            "gross_rr",
            "-o",
            str(tmp_path / "s"),
        ],
    )
    assert result.exit_code == 2 and "docs/kpis.md" in result.output
    assert not (tmp_path / "s").exists()
