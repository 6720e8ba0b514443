"""Demand-driven go-to-market: marketing and SDRs grow with the new logos, CAC with them.

A board member reads LTV:CAC against benchmarks: with marketing and sales development frozen
while new logos triple, CAC falls and the ratio climbs far above any benchmark. Staffed by a
ratio on the new-logo plan they grow with it, and a ratio outside the usual band is flagged.
The comparisons are of deterministic staffing (the workforce follows the plan) or of means
whose noise is far below the margins used (stated where made).
"""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from ccosim import load
from ccosim.bands import LTV_CAC_BAND, ltv_cac_notes
from ccosim.cli import main
from ccosim.scenario import load_text
from ccosim.simulate import simulate
from tests.conftest import SCENARIOS

GTM = """
name: gtm
horizon_years: 3
customers:
  segments:
    smb: {{initial_accounts: 500, acv: 20000, new_accounts_per_year: 400,
           new_accounts_growth: 0.5, base_churn: 0.1}}
org:
  units:
    - {{id: ceo, title: CEO, function: executive}}
    - {{id: ae, title: AEs, function: new_business_sales, reports_to: ceo, headcount: 4}}
    - {{id: sdr, title: SDRs, function: new_business_sales, reports_to: ceo, headcount: 5{sdr}}}
    - {{id: demand, title: Demand Generation, function: marketing, reports_to: ceo,
        headcount: 4{demand}}}
"""
DRIVEN = (
    ", staffing: {policy: ratio, driver: new_accounts, per_head: 80, time_to_fill_months: 0}",
    ", staffing: {policy: ratio, driver: new_accounts, per_head: 100, time_to_fill_months: 0}",
)


def _run(driven: bool) -> object:
    sdr, demand = DRIVEN if driven else ("", "")
    return simulate(load_text(GTM.format(sdr=sdr, demand=demand)), runs=4, seed=1, workers=1)


def test_marketing_and_sdrs_staffed_by_the_new_logo_plan_grow_with_it():
    fixed, driven = _run(False), _run(True)
    # The plan grows 1.5x a year: year 3 asks 900 new logos, so ceil(900 / 100) = 9 demand
    # generation heads (from 4) and ceil(900 / 80) = 12 SDRs (from 5).
    marketing = driven.monthly["cost_marketing"][0]
    assert marketing[-1] / marketing[0] == pytest.approx(9 / 4, rel=0.02)
    # Fixed: the same 4 heads, less the attrition still being backfilled.
    frozen = fixed.monthly["cost_marketing"][0]
    assert frozen[-1] == pytest.approx(frozen[0], rel=0.05)
    # Frozen, CAC falls as new logos grow; driven, only the fixed account executives' share
    # of it does (means of 4 runs on the same customers; CAC's noise is about 2%).
    cac_fixed, cac_driven = fixed.mean("cac"), driven.mean("cac")
    fall_fixed, fall_driven = cac_fixed[-1] / cac_fixed[0], cac_driven[-1] / cac_driven[0]
    assert fall_fixed < 0.7
    assert fall_driven > fall_fixed + 0.1, (cac_fixed, cac_driven)


def test_shipped_company_grows_its_sdrs_and_demand_generation():
    scenario = load(SCENARIOS / "cco_full.yaml")
    units = {u.id: u for u in scenario.org.units}
    for unit in ("sdr", "demand_gen"):
        staffing = units[unit].staffing
        assert staffing.policy == "ratio" and staffing.driver == "new_accounts", unit


def test_ltv_cac_outside_the_band_gets_a_note_naming_the_design():
    low, high = LTV_CAC_BAND
    notes = ltv_cac_notes({"current": high + 2, "cco": (low + high) / 2, "lean": low - 1}, 9)
    assert len(notes) == 2
    assert "below 3" in notes[0] and "lean (2.0)" in notes[0] and "benchmarks 8.1" in notes[0]
    assert "above 5" in notes[1] and "current (7.0)" in notes[1] and "cco" not in notes[1]
    assert ltv_cac_notes({"a": float("nan"), "b": 4.0}, 9) == []


def test_run_prints_the_note(tmp_path):
    path = tmp_path / "gtm.yaml"
    path.write_text(GTM.format(sdr="", demand=""))
    results = simulate(load(path), runs=1, seed=1, workers=1)
    ratio = float(results.mean("ltv_to_cac")[-1])
    out = CliRunner().invoke(main, ["run", str(path), "--runs", "1", "--seed", "1", "-q"])
    assert out.exit_code == 0, out.output
    inside = LTV_CAC_BAND[0] <= ratio <= LTV_CAC_BAND[1] or np.isnan(ratio)
    assert ("note: LTV:CAC in year 3" in out.output) != inside, (ratio, out.output)
