"""Sweep grids: what `--vary` means, and main effects for the tornado chart."""

from __future__ import annotations

import pytest

from ccosim.experiment.sweep import Factor, SweepError, factorial, main_effects, parse_vary


def test_ranges_and_lists():
    assert parse_vary("customers.segments.smb.base_churn=0.1:0.3:3") == Factor(
        "customers.segments.smb.base_churn", (0.1, 0.2, 0.3)
    )
    assert parse_vary("org.units.csm_smb.headcount=2:10:5").values == (2, 4, 6, 8, 10)
    assert parse_vary("assumptions.org_effects=true,false").values == (True, False)


@pytest.mark.parametrize(
    "bad", ["nopath", "a=1:2", "a=1:2:1", "a=x:2:3", "a=1", "=1,2", "a=1:2:2.5"]
)
def test_bad_vary_options_say_what_is_wrong(bad):
    with pytest.raises(SweepError, match=r"--vary"):
        parse_vary(bad)


def test_grid_order_is_fixed_first_factor_slowest():
    a, b = Factor("a", (1, 2)), Factor("b", ("x", "y", "z"))
    grid = factorial([a, b])
    assert grid[:3] == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 1, "b": "z"}]
    assert len(grid) == 6
    with pytest.raises(SweepError, match="only once"):
        factorial([a, a])
    with pytest.raises(SweepError, match="limit"):
        factorial([Factor(str(i), tuple(range(10))) for i in range(5)])


def test_main_effects_separate_the_factors():
    a, b = Factor("a", (0, 1)), Factor("b", (0, 10))
    grid = factorial([a, b])
    kpi = [3 * p["a"] + 0.1 * p["b"] for p in grid]  # a swings 3, b swings 1
    effects = main_effects(grid, kpi, [a, b])
    assert effects["a"][1] - effects["a"][0] == pytest.approx(3)
    assert effects["b"][10] - effects["b"][0] == pytest.approx(1)


def test_sweep_cli_ranks_factors_and_writes_outputs(tmp_path):
    from click.testing import CliRunner

    from ccosim.cli import main
    from tests.conftest import SCENARIOS

    out = tmp_path / "sweep"
    result = CliRunner().invoke(
        main,
        [
            "sweep",
            str(SCENARIOS / "cco_full.yaml"),
            "--runs",
            "2",
            "--workers",
            "1",
            "-q",
            "--vary",
            "customers.segments.smb.base_churn=0.10:0.22:2",
            "--vary",
            "assumptions.incentives.sales_lead_multiplier=1:1.5:2",
            "--set",
            "horizon_years=2",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "base_churn" in lines[1], "the widest swing is listed first"
    assert "swing 0.0 pts" in lines[2], "in cco_full CS does not report to sales"
    header = (out / "sweep.csv").read_text().splitlines()[0].split(",")
    assert header == [
        "point",
        "customers.segments.smb.base_churn",
        "assumptions.incentives.sales_lead_multiplier",
        "replication",
        "year",
        "kpi",
        "value",
    ], "long, like every other data table"
    assert (out / "manifest.json").exists() and (out / "datapackage.json").exists()
    assert (out / "tornado.png").exists() and (out / "tornado.svg").exists()
    bad = CliRunner().invoke(
        main,
        [
            "sweep",
            str(SCENARIOS / "cco_full.yaml"),
            "--vary",
            "customers.segments.smb.base_churn=0.5:1.5:2",
            "-o",
            str(tmp_path / "bad"),
        ],
    )
    assert bad.exit_code == 2 and "base_churn" in bad.output and "Traceback" not in bad.output
    assert not (tmp_path / "bad").exists()
