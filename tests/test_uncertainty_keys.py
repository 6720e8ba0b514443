"""The ``uncertainty:`` block: distributions, key checks with file:line, applying values."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from pydantic import TypeAdapter

from ccosim.scenario import ScenarioError, load
from ccosim.scenario.uncertainty import Distribution, apply_values, key_value

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
ADAPTER = TypeAdapter(Distribution)
U = (np.arange(20_000) + 0.5) / 20_000  # an even grid of probabilities


def dist(**kwargs):
    return ADAPTER.validate_python(kwargs)


def test_quantile_functions_give_the_stated_distributions():
    uniform = dist(dist="uniform", low=2, high=4).ppf(U)
    assert uniform.min() >= 2 and uniform.max() <= 4 and uniform.mean() == pytest.approx(3)
    tri = dist(dist="triangular", low=0, mode=0.1, high=0.3).ppf(U)
    assert tri.mean() == pytest.approx(0.4 / 3, rel=1e-3)  # (low + mode + high) / 3
    normal = dist(dist="normal", mean=0.16, sd=0.03, low=0.1, high=0.22).ppf(U)
    assert normal.min() >= 0.1 and normal.max() <= 0.22
    assert np.median(normal) == pytest.approx(0.16, abs=1e-3)
    beta = dist(dist="beta", mean=0.2, sd=0.05).ppf(U)
    assert beta.mean() == pytest.approx(0.2, rel=1e-3) and beta.std() == pytest.approx(0.05, 1e-2)
    logn = dist(dist="lognormal", median=250_000, sigma=0.2).ppf(U)
    assert np.median(logn) == pytest.approx(250_000, rel=1e-3)
    by_mean = dist(dist="lognormal", mean=10, sd=2).ppf(U)
    assert by_mean.mean() == pytest.approx(10, rel=2e-3)
    discrete = dist(dist="discrete", values=[1, 2, 3], weights=[1, 1, 2]).ppf(U)
    assert [np.mean(discrete == v) for v in (1, 2, 3)] == pytest.approx([0.25, 0.25, 0.5])
    assert dist(dist="discrete", values=[0.7]).point() == 0.7


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"dist": "uniform", "low": 1, "high": 1}, "low < high"),
        ({"dist": "triangular", "low": 0, "mode": 2, "high": 1}, "low <= mode <= high"),
        ({"dist": "beta", "mean": 0.5, "sd": 0.6}, "sd below"),
        ({"dist": "lognormal", "median": 1}, "median and sigma"),
        ({"dist": "discrete", "values": [1, 2], "weights": [1]}, "2 values but 1 weights"),
    ],
)
def test_impossible_distributions_are_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        dist(**spec)


def _copy_shipped(folder: Path) -> None:
    """The shipped company and CCO org beside a test file (a base is named relatively)."""
    for name in ("_company.yaml", "cco_full.yaml", "post_sales_cs.yaml"):
        shutil.copy(SCENARIOS / name, folder / name)


def _write(tmp_path: Path, block: str) -> Path:
    _copy_shipped(tmp_path)
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: cco_full.yaml\nuncertainty:\n{block}")
    return path


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "  assumptions.handoff.decay_per_hp: {dist: uniform, low: 0, high: 0.3}\n",
            "no key 'decay_per_hp' (did you mean 'decay_per_hop'?)",
        ),
        (
            "  customers.segments.smb.base_churn: {dist: uniform, low: 0.1, high: 1.2}\n",
            "reaches 1.2, outside the key's bounds",
        ),
        (
            "  customers.segments.smb.base_churn: {dist: normal, mean: 0.16, sd: 0.03}\n",
            "normal is unbounded below but the key is not; give low to cut the range",
        ),
        (
            "  assumptions.handoff.reference_hops: {dist: uniform, low: 1, high: 3}\n",
            "whole number",
        ),
        (
            "  assumptions.effects.handoff_friction: {dist: discrete, values: [0, 1]}\n",
            "true/false switch",
        ),
        ("  org.units.nobody.cost: {dist: uniform, low: 1, high: 2}\n", "no item 'nobody'"),
        ("  seed: {dist: discrete, values: [1, 2]}\n", "may be uncertain, not 'seed'"),
        (
            "  assumptions.health.reversion: {dist: betta, alpha: 2, beta: 3}\n",
            "'betta' is not allowed (did you mean 'beta'?)",
        ),
    ],
)
def test_bad_uncertain_keys_name_file_line_and_key(tmp_path, line, message):
    path = _write(
        tmp_path, "  assumptions.span.overload_penalty: {dist: uniform, low: 0, high: 1}\n" + line
    )
    with pytest.raises(ScenarioError) as caught:
        load(path)
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.mark.source == str(path) and problem.mark.line == 4
    assert problem.path.startswith("uncertainty.")


def test_values_are_applied_by_path_with_whole_numbers_rounded():
    scenario = load(SCENARIOS / "cco_full.yaml")
    changed = apply_values(
        scenario,
        {
            "assumptions.handoff.decay_per_hop": 0.25,
            "customers.segments.smb.base_churn": 0.2,
            "org.units.cco.cost": 300_000,
            "assumptions.handoff.reference_hops": 3.0,
            "assumptions.customer_success.accounts_per_csm.high": 10,
        },
    )
    assert key_value(changed, "assumptions.handoff.decay_per_hop") == 0.25
    assert changed.customers.segments["smb"].base_churn == 0.2
    assert changed.customers.segments["enterprise"].base_churn == 0.06
    assert next(u for u in changed.org.units if u.id == "cco").cost == 300_000
    assert changed.assumptions.handoff.reference_hops == 3
    assert isinstance(changed.assumptions.handoff.reference_hops, int)
    assert changed.assumptions.customer_success.accounts_per_csm["pooled"] == 60
    assert scenario.assumptions.handoff.decay_per_hop == 0.1  # the original is untouched


#: Structural effects and the value at which each does nothing.
STRUCTURAL_NEUTRAL = {
    "assumptions.handoff.decay_per_hop": 0.0,
    "assumptions.incentives.sales_lead_multiplier": 1.0,
    "assumptions.incentives.sales_health_multiplier": 1.0,
    "assumptions.incentives.services_diverted_share": 0.0,
    "assumptions.incentives.single_owner_churn_multiplier": 1.0,
    "assumptions.incentives.customer_health_multiplier": 1.0,
    "assumptions.incentives.customer_lead_multiplier": 1.0,
    "assumptions.handoff.signing_gap_penalty": 0.0,
    "assumptions.handoff.deal_support_weight": 0.0,
    "assumptions.incentives.single_owner_expansion_multiplier": 1.0,
    "assumptions.span.overload_penalty": 0.0,
}


def test_shipped_ranges_cover_every_effect_with_a_reason_and_structure_spans_zero():
    scenario = load(SCENARIOS / "cco_full.yaml")
    table = scenario.uncertainty
    assert len(table) >= 18
    for path, spec in table.items():
        assert spec.reason, path
        lo, hi = spec.support()
        assert lo <= key_value(scenario, path) <= hi, path  # the default is inside its range
    for path, neutral in STRUCTURAL_NEUTRAL.items():
        lo, hi = table[path].support()
        assert lo <= neutral <= hi, path
        if neutral == 1.0:  # a multiplier: both helping and harming values are possible
            assert lo < 1.0 < hi, path


def test_an_extending_file_replaces_or_drops_inherited_ranges_whole(tmp_path):
    path = _write(
        tmp_path,
        "  assumptions.handoff.decay_per_hop: {dist: uniform, low: 0, high: 0.2}\n"
        "  assumptions.span.overload_penalty: null\n",
    )
    table = load(path).uncertainty
    assert table["assumptions.handoff.decay_per_hop"].support() == (0.0, 0.2)  # no stray mode
    assert "assumptions.span.overload_penalty" not in table
    assert "assumptions.customer_success.health_lift" in table  # the rest is inherited
    (tmp_path / "none.yaml").write_text("extends: cco_full.yaml\nuncertainty: null\n")
    assert load(tmp_path / "none.yaml").uncertainty == {}


def test_the_shipped_ranges_table_in_the_docs_is_current():
    from ccosim.scenario.uncertainty import refresh_ranges

    text = (ROOT / "docs" / "uncertainty.md").read_text()
    assert refresh_ranges(text, load(SCENARIOS / "_company.yaml")) == text, "run make docs"


def test_set_reaches_a_range_whose_key_is_a_dotted_path():
    path = SCENARIOS / "cco_full.yaml"
    key = "assumptions.handoff.decay_per_hop"
    widened = load(path, set_options=[f"uncertainty.{key}.high=0.35"])
    assert widened.uncertainty[key].high == 0.35
    added = load(
        path, set_options=["uncertainty.assumptions.span.limit={dist: discrete, values: [5, 9]}"]
    )
    assert added.uncertainty["assumptions.span.limit"].values == [5, 9]
    with pytest.raises(ScenarioError, match="is a range; --set changes one of its fields"):
        load(path, set_options=[f"uncertainty.{key}.low.x=1"])
