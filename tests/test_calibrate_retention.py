"""``ccosim calibrate retention``: sBG maximum-likelihood fits to cohort survival counts.

The reference is Fader and Hardie (2007), "How to project customer retention" (Journal of
Interactive Marketing 21(1)): survivors of 1,000 customers over years 0-7, and their published
maximum-likelihood estimates from the seven observed years (High End a = 0.668, b = 3.806;
Regular a = 0.704, b = 1.182). A fit that disagreed with them to two significant figures
would mean a wrong likelihood.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.calibrate.retention import CalibrationError, fit_sbg, parse_cohorts
from ccosim.cli import main
from ccosim.scenario import load

HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]
REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]


def _two_significant(x: float) -> float:
    return float(f"{x:.2g}")


@pytest.mark.parametrize(
    ("counts", "alpha", "beta"), [(HIGH_END, 0.668, 3.806), (REGULAR, 0.704, 1.182)]
)
def test_fit_reproduces_the_published_estimates(counts, alpha, beta):
    fit = fit_sbg({"cohort": counts})
    assert _two_significant(fit.alpha) == _two_significant(alpha)
    assert _two_significant(fit.beta) == _two_significant(beta)
    # And closer than that: the published figures to their three decimals.
    assert fit.alpha == pytest.approx(alpha, abs=6e-4)
    assert fit.beta == pytest.approx(beta, abs=6e-4)
    lo, hi = fit.alpha_interval
    assert lo < fit.alpha < hi and fit.alpha_se > 0


def test_holdout_fits_on_the_first_periods_and_reports_the_projection_error():
    fit = fit_sbg({"regular": REGULAR}, holdout=3)
    assert fit.cohorts["regular"] == REGULAR[:5] and fit.holdout["regular"] == REGULAR[5:]
    assert fit.alpha != pytest.approx(0.704, abs=1e-3)  # fitted on years 1-4 only
    errors = fit.holdout_errors()["regular"]
    expected = [fit.survival(7)[5 + j] - REGULAR[5 + j] / 1000 for j in range(3)]
    assert errors == pytest.approx(expected)
    assert all(abs(e) < 0.03 for e in errors)  # the published projection is this close


def test_cohorts_of_one_segment_share_alpha_and_beta():
    one = fit_sbg({"a": REGULAR})
    two = fit_sbg({"a": REGULAR, "b": REGULAR})
    assert two.alpha == pytest.approx(one.alpha, rel=1e-4)
    assert two.alpha_se == pytest.approx(one.alpha_se / math.sqrt(2), rel=0.02)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("period,active\n0,1000\n1,abc\n", "<cohorts>:3: column 'active': 'abc'"),
        ("period,active\n0,1000\n1.5,900\n", "<cohorts>:3: column 'period'"),
        ("period,active\n0,1000\n1,1100\n", "<cohorts>:3: column 'active'"),
        ("period,activ\n0,1000\n", "<cohorts>:1: no column 'active'"),
        ("period,active\n0,1000\n0,900\n", "<cohorts>:3: column 'period': period 0"),
        ("period,active\n0,1000\n2,900\n", "periods must run 0, 1, 2"),
    ],
)
def test_bad_rows_name_line_and_column(text, where):
    with pytest.raises(CalibrationError) as err:
        parse_cohorts(text)
    assert where in str(err.value)


def test_cli_prints_json_per_segment_and_writes_a_scenario_that_extends(tmp_path: Path):
    csv = tmp_path / "cohorts.csv"
    rows = ["segment,cohort,period,active"]
    rows += [f"big,c1,{t},{n}" for t, n in enumerate(HIGH_END)]
    rows += [f"smb,c1,{t},{n}" for t, n in enumerate(REGULAR)]
    csv.write_text("\n".join(rows) + "\n")
    base = tmp_path / "mine.yaml"
    base.write_text(
        "name: Mine\nhorizon_years: 2\ncustomers:\n  segments:\n"
        "    big: {initial_accounts: 10, acv: 1000, new_accounts_per_year: 1, base_churn: 0.1}\n"
        "    smb: {initial_accounts: 10, acv: 100, new_accounts_per_year: 1, base_churn: 0.3}\n"
        "org:\n  units:\n    - {id: ceo, title: CEO, function: executive}\n"
    )
    out = tmp_path / "calibrated.yaml"
    args = ["calibrate", "retention", str(csv), "--json", "-", "--scenario", str(base)]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert set(data["segments"]) == {"big", "smb"}
    assert data["segments"]["smb"]["alpha"] == pytest.approx(0.704, abs=1e-3)
    text = out.read_text()
    assert "extends: mine.yaml" in text and "# Calibrated by" in text
    seg = load(out).customers.segments["smb"]
    assert seg.churn_alpha == pytest.approx(0.704, abs=1e-3)
    assert seg.annual_churn == pytest.approx(0.704 / (0.704 + 1.182), abs=1e-3)
    again = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert again.exit_code == 2 and "--force" in again.output


def test_cli_json_for_one_cohort_is_flat(tmp_path: Path):
    csv = tmp_path / "one.csv"
    csv.write_text("period,active\n" + "".join(f"{t},{n}\n" for t, n in enumerate(REGULAR)))
    result = CliRunner().invoke(main, ["calibrate", "retention", str(csv), "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert data["alpha"] == pytest.approx(0.704, abs=1e-3) and "segments" not in data
    assert data["beta_95"][0] < data["beta"] < data["beta_95"][1]


def test_cli_chart_is_written(tmp_path: Path):
    chart = tmp_path / "survival.png"
    args = ["calibrate", "retention", "examples/cohorts.csv", "--holdout", "2"]
    result = CliRunner().invoke(main, [*args, "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = CliRunner().invoke(main, [*args, "--chart", str(tmp_path / "x.txt")])
    assert bad.exit_code == 2 and ".png, .svg or .pdf" in bad.output


def test_cli_bad_csv_exits_2_without_traceback(tmp_path: Path):
    csv = tmp_path / "c.csv"
    csv.write_text("period,active\n0,1000\n1,x\n")
    result = CliRunner().invoke(main, ["calibrate", "retention", str(csv)])
    assert result.exit_code == 2 and f"{csv}:3: column 'active'" in result.output
    assert "Traceback" not in result.output


def test_an_output_that_cannot_extend_the_scenario_is_refused_and_leaves_nothing(tmp_path):
    from ccosim.calibrate.writer import write_calibrated

    base = tmp_path / "scenarios" / "mine.yaml"
    base.parent.mkdir()
    base.write_text(
        "name: Mine\nhorizon_years: 2\ncustomers:\n  segments:\n"
        "    smb: {initial_accounts: 10, acv: 100, new_accounts_per_year: 1, base_churn: 0.3}\n"
        "org:\n  units:\n    - {id: ceo, title: CEO, function: executive}\n"
    )
    far = tmp_path / "reports" / "deep" / "calibrated.yaml"
    with pytest.raises(CalibrationError, match="cannot extend"):
        write_calibrated(base, far, {"smb": {"base_churn": 0.2}}, ["test"])
    assert not (tmp_path / "reports").exists()
    near = tmp_path / "reports.yaml"
    write_calibrated(base, near, {"smb": {"base_churn": 0.2}}, ["test"])
    assert load(near).customers.segments["smb"].base_churn == 0.2
