"""Sweeps as first-class outputs: ranking.json, --json, the ranking map and its HTML page.

A strategist who runs a sweep over several designs needs to see where each design wins
without reading a text table, and to hand the grid on as data.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.text import Text

from ccosim.cli import main
from ccosim.experiment.sweep import Factor
from ccosim.experiment.sweep_ranking import RankingSweep
from ccosim.report.sweep_page import ranking_data, ranking_map, value_labels
from tests.conftest import SCENARIOS

CURRENT, CCO = str(SCENARIOS / "post_sales_cs.yaml"), str(SCENARIOS / "cco_full.yaml")
SMALL = ["--set", "horizon_years=1", "--runs", "2", "--workers", "1", "--quiet"]


def hand_made() -> RankingSweep:
    churn = Factor("customers.segments.smb.base_churn", (0.1, 0.16, 0.22))
    decay = Factor("assumptions.handoff.decay_per_hop", (0.0, 0.1, 0.2, 0.3))
    points = [{churn.path: c, decay.path: d} for c in churn.values for d in decay.values]
    # The CCO org leads where churn is high; the other design elsewhere.
    npv = np.array([[1.0, 2.0] if p[churn.path] > 0.15 else [2.0, 1.0] for p in points]) * 1e6
    shares = np.array([[0.1, 0.9] if a < b else [0.96, 0.04] for a, b in npv])
    return RankingSweep(
        ("post-sales + CS", "CCO org"),
        (churn, decay),
        points,
        npv,
        shares,
        100,
        2,
        "assumption uncertainty and customer randomness",
    )


def test_ranking_json_names_the_winner_at_every_grid_point():
    data = ranking_data(hand_made())
    assert len(data["points"]) == 12
    for point in data["points"]:
        high_churn = point["values"]["customers.segments.smb.base_churn"] > 0.15
        assert point["winner"] == ("CCO org" if high_churn else "post-sales + CS")
        assert point["clear"] == (not high_churn)  # 90 of 100 is a lead, 96 a clear win
    assert data["wins"] == {"CCO org": 8, "post-sales + CS": 4}
    assert data["p_best_over"] == "100 draws"


def test_ranking_map_names_the_designs_and_its_ticks_equal_the_grid_values():
    figure = ranking_map(hand_made())
    axes = figure.axes[0]
    for ticks, labels, values in (
        (axes.get_xticks(), axes.get_xticklabels(), (0.0, 0.1, 0.2, 0.3)),
        (axes.get_yticks(), axes.get_yticklabels(), (0.1, 0.16, 0.22)),
    ):
        assert len(ticks) == len(values)
        assert [float(t.get_text()) for t in labels] == list(values)
    cells = [t.get_text() for t in axes.findobj(Text) if "\n" in t.get_text()]
    assert len(cells) == 12
    assert sum(c.startswith("CCO org\n") for c in cells) == 8
    assert "CCO org\n90 of 100" in cells and "post-sales + CS\n96 of 100" in cells


@pytest.mark.parametrize(
    ("values", "labels"),
    [((0.1, 0.16, 0.22), ["0.1", "0.16", "0.22"]), ((4, 8, 12), ["4", "8", "12"]),
     ((True, False), ["True", "False"])],
)  # fmt: skip
def test_value_labels_show_each_value_exactly(values, labels):
    assert value_labels(values) == labels


def test_a_multi_design_sweep_writes_ranking_json_html_charts_and_a_datapackage(tmp_path):
    folder = tmp_path / "sweep"
    args = [
        "sweep", CURRENT, CCO,
        "--vary", "assumptions.incentives.single_owner_churn_multiplier=0.8,1.2",
        "--vary", "customers.segments.smb.base_churn=0.1,0.2",
        *SMALL, "--json", "-", "-o", str(folder),
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)  # standard output carries the JSON only
    stored = json.loads((folder / "ranking.json").read_text())
    assert printed == stored
    assert stored["designs"] == ["post-sales + CS", "CCO org"]  # names, not file stems
    rows = list(csv.DictReader(io.StringIO((folder / "ranking.csv").read_text())))
    assert len(stored["points"]) == 4 and len(rows) == 8
    for i, point in enumerate(stored["points"]):
        mine = rows[2 * i : 2 * i + 2]
        best = max(mine, key=lambda r: float(r["expected_npv"]))
        assert point["winner"] == best["design"] and best["best"] == "True"
    package = json.loads((folder / "datapackage.json").read_text())
    assert "ranking.csv" in [r["path"] for r in package["resources"]]
    html = (folder / "report.html").read_text()
    assert "Where each design leads" in html and "CCO org" in html
    for stem in ("ranking_map", "npv_by_factor"):
        assert (folder / f"{stem}.png").stat().st_size > 5_000


def test_a_one_design_sweep_prints_its_swings_as_json(tmp_path):
    args = [
        "sweep", CCO, "--vary", "customers.segments.smb.base_churn=0.1,0.2",
        *SMALL, "--json", "-", "-o", str(tmp_path / "s"),
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["design"] == "CCO org" and data["kpi"] == "nrr"
    (factor,) = data["factors"]
    assert factor["swing"] == pytest.approx(factor["at_highest"] - factor["at_lowest"])
    assert factor["swing"] < 0  # more churn, lower NRR
    lo, hi = factor["swing_interval"]
    assert lo <= factor["swing"] <= hi
