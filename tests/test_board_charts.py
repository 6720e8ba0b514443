"""Charts a board expects: the ARR bridge, cohort retention curves, the XLSX summary sheet.

A board member reads the bridge as accounting: if start + new + expansion - contraction -
churn did not equal the end, the chart would be wrong in a way anyone can check.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

import ccosim
from ccosim.cli import main
from ccosim.report.arr_bridge import arr_bridge
from ccosim.report.cohort_curves import retention_curve
from ccosim.results import Results
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def results() -> Results:
    scenario = ccosim.load(SCENARIOS / "cco_full.yaml", {"horizon_years": 3})
    return ccosim.simulate(scenario, runs=2, seed=11, workers=1)


def test_the_arr_bridge_closes_every_year_and_over_the_whole_run(results):
    periods = [(y, y) for y in results.years] + [(1, len(results.years))]
    for first, last in periods:
        bridge = arr_bridge(results, "CCO org", first, last)
        assert dict(bridge.steps)["new"] > 0 and dict(bridge.steps)["churn"] > 0
        assert abs(bridge.gap()) <= 1e-12 * bridge.end, (first, last, bridge)
    # The year's bridge starts where the previous one ended.
    assert arr_bridge(results, "x", 2, 2).start == pytest.approx(arr_bridge(results, "x", 1, 1).end)
    assert arr_bridge(results, "x", 3, 3).end == pytest.approx(results.mean("arr")[-1])


def test_the_cohort_record_adds_up_to_the_new_logos_accounts_and_arr(results):
    signed, active, arr = (results.cohorts[k] for k in ("signed", "active", "arr"))
    # Accounts signed in year k (all segments) are the year's new logos.
    for k in results.years:
        np.testing.assert_array_equal(
            signed[:, -1, :, k].sum(axis=1), results.yearly["new_logos"][:, k - 1]
        )
    # Every account active at a year end is in exactly one cohort (0: the initial base).
    np.testing.assert_array_equal(active.sum(axis=(2, 3)), results.yearly["accounts"])
    np.testing.assert_allclose(arr.sum(axis=(2, 3)), results.yearly["arr"], rtol=1e-12)
    # By segment too.
    for s, segment in enumerate(results.cohort_segments):
        np.testing.assert_array_equal(
            active[:, :, s].sum(axis=2), results.segments[segment]["accounts"]
        )


def test_retention_curve_chains_the_cohorts_that_reach_each_age():
    # One run, one segment, three years; cohorts 1-3 signed 10, 20 and 5 accounts.
    signed = np.zeros((1, 3, 1, 4))
    signed[0, :, 0, 1:] = [10, 20, 5]
    active = np.zeros((1, 3, 1, 4))
    active[0, 0, 0, 1] = 10
    active[0, 1, 0, 1:3] = [8, 20]
    active[0, 2, 0, 1:4] = [6, 15, 5]
    r = Results("t", 1, 1, (1, 2, 3), {}, {}, {}, {"signed": signed, "active": active}, ("smb",))
    curve, total = retention_curve(r, "smb")
    # Age 1: cohorts 1 and 2 keep 23 of 30; age 2: cohort 1 keeps 6 of its 8.
    np.testing.assert_allclose(curve, [1.0, 23 / 30, 23 / 30 * 6 / 8])
    np.testing.assert_array_equal(total, [35, 30, 10])


def test_compare_report_has_the_bridge_cohorts_and_a_formatted_summary_sheet(tmp_path):
    out = tmp_path / "report"
    args = [
        "compare",
        str(SCENARIOS / "post_sales_cs.yaml"),
        str(SCENARIOS / "cco_full.yaml"),
        "--runs", "2", "--years", "3", "--no-attribution", "--workers", "1", "--quiet",
        "--format", "xlsx", "-o", str(out),
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    for name in ("arr_bridge.png", "cohort_retention.png"):
        assert (out / "figures" / name).stat().st_size > 10_000
    html = (out / "report.html").read_text()
    assert "ARR bridge" in html and "Cohort retention by segment" in html
    assert (out / "data" / "cohorts.csv").is_file()
    book = openpyxl.load_workbook(out / "data" / "tables.xlsx")
    assert book.sheetnames[0] == "summary"
    sheet = book["summary"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert cells["design"].font.b and cells["GRR"].font.b  # headers bold
    row = next(r for r in sheet.iter_rows() if r[0].value == "CCO org")
    formats = {c.number_format for c in row[1:] if isinstance(c.value, (int, float))}
    assert {'"$"#,##0', "0.0%", "0.00", "#,##0"} <= formats
    diff = [r for r in sheet.iter_rows() if r[0].value == "CCO org"][1]
    assert '+0.0" pts";-0.0" pts";0.0" pts"' in {c.number_format for c in diff}
