"""Stored calibration targets hold under --draws: today's org is re-fitted in every draw.

The shipped pair (CS under Sales today, the full CCO org hired at month 12): `calibrate kpis`
stores the board's KPIs in the calibrated file; `business-case --draws 100` must then keep
today's org within 0.5 pts of each target in at least 90% of draws, while the NPV still
varies more than customer randomness alone would make it.

What is random and what is not: the re-fit runs on common random numbers (the calibration's
own replications, the same in every draw), so whether a draw lands within tolerance is a
deterministic function of the drawn assumptions; the seed is fixed, so the test cannot flake.
The claims are checked on one seed, not averaged over seeds: a different seed could move the
share of draws within tolerance by a few draws in 100 (measured on this seed: 100 of 100 for
every target, against 28-63% without the re-fit).
"""

from __future__ import annotations

import shutil
import time

import numpy as np
import pytest
from click.testing import CliRunner

from ccosim import load
from ccosim.cli import main
from ccosim.experiment.business_case import business_case_study
from ccosim.experiment.psa import psa, run_psa
from ccosim.experiment.refit import TargetError, refit
from ccosim.experiment.study import Execution
from ccosim.scenario.errors import ScenarioError
from ccosim.workflows.business_case import business_case_draws
from tests.conftest import SCENARIOS

TARGETS = (
    "enterprise.logo_retention=0.92",
    "enterprise.nrr=1.08",
    "mid_market.logo_retention=0.86",
    "mid_market.nrr=1.08",
)
DRAWS = 100
YEARS = 3


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory: pytest.TempPathFactory):
    """The shipped scenarios copied out, and CS under Sales calibrated to the board's KPIs."""
    root = tmp_path_factory.mktemp("refit")
    shutil.copytree(SCENARIOS, root / "scenarios")
    out = root / "calibrated.yaml"
    args = ["calibrate", "kpis", str(root / "scenarios" / "cs_under_sales.yaml")]
    for t in TARGETS:
        args += ["--target", t]
    args += ["--runs", "4", "--years", "2", "-o", str(out), "-q"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return root


def _study(root, runs: int = 2, workers: int = 1):
    return business_case_study(
        root / "calibrated.yaml",
        root / "scenarios" / "cco_full.yaml",
        hire_month=12,
        runs=runs,
        years=YEARS,
        execution=Execution(workers),
    )


def test_calibrate_kpis_stores_what_was_observed(calibrated):
    stored = load(calibrated / "calibrated.yaml").calibration
    assert stored is not None
    assert stored.targets == {
        "enterprise.logo_retention": 0.92,
        "enterprise.nrr": 1.08,
        "mid_market.logo_retention": 0.86,
        "mid_market.nrr": 1.08,
    }
    assert (stored.runs, stored.years, stored.design) == (4, 2, "cs_under_sales.yaml")
    # The stored Jacobian: a point of churn is about a point of retention lost.
    assert stored.slopes is not None
    assert -1.3 < stored.slopes["enterprise.logo_retention"]["enterprise.base_churn"] < -0.7


def test_draws_keep_todays_org_on_its_targets_while_npv_still_varies(calibrated):
    started = time.perf_counter()
    drawn = business_case_draws(_study(calibrated), DRAWS, goal_seek=False)
    fit = drawn.to_dict()["calibration_fit"]
    assert fit["refit"] is True
    for key, row in fit["targets"].items():
        assert row["share_within_tolerance"] >= 0.9, (key, row)
    # The re-fit is what holds them: without it most targets drift out in many draws.
    drift = [row["without_refit_share_within_tolerance"] for row in fit["targets"].values()]
    assert min(drift) < 0.9, drift
    assert "re-fitted in every draw" in drawn.to_text()

    # Customer randomness alone: the same designs and runs, every assumption at its value.
    study = _study(calibrated)
    designs = study.baseline_first()
    plain = run_psa(
        [d.label for d in designs],
        [d.scenario.model_copy(update={"uncertainty": {}}) for d in designs],
        draws=DRAWS,
        runs=2,
        seed=study.seed,
        workers=1,
        draws_needed=False,
    )

    def spread(net: np.ndarray) -> float:
        lo, hi = np.percentile(net, [5, 95])
        return float(hi - lo)

    with_draws, alone = spread(drawn.psa.net_npv[:, 1]), spread(plain.net_npv[:, 1])
    assert with_draws > 1.2 * alone, (with_draws, alone)
    elapsed = time.perf_counter() - started
    assert elapsed < 600, f"took {elapsed:.0f} s"  # measured about 30 s on a quiet machine


def test_the_refit_is_the_same_on_one_or_two_workers(calibrated):
    one = psa(_study(calibrated, workers=1), draws=4)
    two = psa(_study(calibrated, workers=2), draws=4)
    assert one.extras["calibration_fit"] == two.extras["calibration_fit"]
    np.testing.assert_array_equal(one.net_npv, two.net_npv)
    # The lift that pays re-runs draws: with each draw's re-fitted inputs, not the stored ones.
    inputs = one.extras["refit_inputs"]
    assert len(inputs) == 4 and all(set(d) == {"enterprise", "mid_market"} for d in inputs)
    assert inputs[0] != inputs[1]


def test_without_stored_targets_the_draws_say_so(calibrated):
    study = business_case_study(
        calibrated / "scenarios" / "cs_under_sales.yaml",
        calibrated / "scenarios" / "cco_full.yaml",
        hire_month=12,
        runs=1,
        years=2,
        execution=Execution(1),
    )
    drawn = business_case_draws(study, 3, goal_seek=False)
    assert drawn.to_dict()["calibration_fit"]["refit"] is False
    assert "no stored calibration targets" in drawn.to_text()


def test_at_the_assumptions_values_the_refit_is_one_batch(calibrated):
    scenario = load(calibrated / "calibrated.yaml")
    found = refit(scenario)
    assert found is not None and found.steps == 1
    assert np.all(np.abs(found.after) <= 0.005)


def test_a_stored_target_for_a_missing_segment_is_a_clear_error(tmp_path, write_scenario):
    base = write_scenario(
        "name: Mine\nhorizon_years: 1\ncustomers:\n  segments:\n"
        "    smb: {initial_accounts: 50, acv: 9000, new_accounts_per_year: 10,"
        " base_churn: 0.2}\n"
        "org:\n  units:\n    - {id: ceo, title: CEO, function: executive}\n"
        "calibration:\n  targets: {emea.nrr: 1.05}\n"
    )
    # validate refuses it with the file and line; the re-fit still names it if handed one
    with pytest.raises(ScenarioError, match=r"calibration\.targets\.emea\.nrr: segment 'emea'"):
        load(base)
    fine = load(write_scenario(base.read_text().replace("emea.nrr", "smb.nrr"), "fine.yaml"))
    stored = fine.calibration.model_copy(update={"targets": {"emea.nrr": 1.05}})
    with pytest.raises(TargetError, match=r"calibration\.targets\.emea\.nrr: segment 'emea'"):
        refit(fine.model_copy(update={"calibration": stored}))
    bad = write_scenario(base.read_text().replace("emea.nrr", "smb.arr"), "bad.yaml")
    with pytest.raises(ScenarioError, match="calibration"):
        load(bad)
