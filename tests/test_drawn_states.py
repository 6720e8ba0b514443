"""Every state a draw can produce is validated like a fixed value, or its range is refused.

Each row of the table is a class of range that passed ``validate`` before and then ran (or
crashed on) a scenario the loader refuses: a range beyond the key's bounds, NaN or infinite
parameters, weights that cannot be normalised, a normal so wide every draw is one value, two
ranges that together break a unit's rule, timeline months outside the horizon or out of
order, a contract term beyond the horizon, a plan of too many accounts. The property at the
end: any uncertainty block that validates produces only draws that load.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ccosim.experiment.psa import PsaError, UncertainKey, draw_parameters
from ccosim.scenario import Scenario, ScenarioError, load_text
from ccosim.scenario.checks import check_scenario
from ccosim.scenario.uncertainty import apply_values
from tests.conftest import MINIMAL

#: MINIMAL with a support team added at month 12 and grown at month 24 (3-year horizon).
BASE = (
    MINIMAL
    + """\
timeline:
  - {month: 12, action: add_unit, unit: {id: ts, title: TS, function: support, reports_to: cco}}
  - {month: 24, action: set_headcount, id: ts, headcount: 3}
"""
)


def _block(ranges: dict[str, str]) -> str:
    return BASE + "uncertainty:\n" + "".join(f"  {k}: {{dist: {v}}}\n" for k, v in ranges.items())


SMB = "customers.segments.smb."
CHURN = SMB + "base_churn"
CSM = "org.units.csm."
BANDS = "assumptions.health_bands."
HOP = "assumptions.handoff.decay_per_hop"
REFUSED = [
    # (the class, {key: range}, words the message must hold)
    ("range beyond bounds", {CHURN: "uniform, low: 0.1, high: 1.5"}, "reaches 1.5"),
    ("unbounded normal", {CHURN: "normal, mean: 0.1, sd: 0.02"}, "unbounded below"),
    (
        "absurd sd",
        {CHURN: "normal, mean: 0.1, sd: 1e300, low: 0.05, high: 0.3"},
        "1000 times the width",
    ),
    ("infinite sd", {CHURN: "normal, mean: 0.1, sd: .inf, low: 0.05, high: 0.3"}, "finite"),
    (
        "cut far from mean",
        {CHURN: "normal, mean: 0.9, sd: 0.001, low: 0.05, high: 0.3"},
        "holds no probability",
    ),
    (
        "log sigma absurd",
        {SMB + "acv": "lognormal, median: 9000, sigma: 1e300, low: 100, high: 20000"},
        "less than or equal to 5",
    ),
    (
        "log sd overflow",
        {SMB + "acv": "lognormal, mean: 9000, sd: 1e300, low: 100, high: 20000"},
        "sigma of the log",
    ),
    ("beta sd tiny", {CHURN: "beta, mean: 0.2, sd: 1e-200"}, "shapes exceed"),
    ("NaN weight", {CHURN: "discrete, values: [0.1, 0.2], weights: [.nan, 1]"}, "finite"),
    ("infinite weight", {CHURN: "discrete, values: [0.1, 0.2], weights: [.inf, 1]"}, "finite"),
    (
        "weights overflow",
        {CHURN: "discrete, values: [0.1, 0.2], weights: [1e308, 1e308]"},
        "too large to add up",
    ),
    (
        "negative weight",
        {CHURN: "discrete, values: [0.1, 0.2], weights: [-1, 2]"},
        "must be positive",
    ),
    ("NaN end", {HOP: "uniform, low: .nan, high: 0.2"}, "finite"),
    (
        "open above headcount together",
        {
            CSM + "open_headcount": "discrete, values: [0, 3]",
            CSM + "headcount": "discrete, values: [1, 4]",
        },
        "open_headcount (3) exceeds headcount (1)",
    ),
    (
        "bands cross together",
        {
            BANDS + "red_max": "uniform, low: 40, high: 70",
            BANDS + "yellow_max": "uniform, low: 60, high: 80",
        },
        "red_max must be below yellow_max",
    ),
    (
        "month after horizon",
        {"timeline.1.month": "discrete, values: [24, 40]"},
        "after the horizon",
    ),
    (
        "months out of order",
        {"timeline.0.month": "discrete, values: [6, 30]"},
        "names no unit present at month 24",
    ),
    (
        "two months crossing",
        {
            "timeline.0.month": "discrete, values: [6, 18]",
            "timeline.1.month": "discrete, values: [14, 30]",
        },
        "names no unit present at month 14",
    ),
    (
        "term beyond horizon",
        {SMB + "contract_months": "discrete, values: [12, 48]"},
        "exceeds the horizon",
    ),
    (
        "term times churn",
        {
            SMB + "contract_months": "discrete, values: [12, 36]",
            CHURN: "uniform, low: 0.1, high: 0.5",
        },
        "churn at each renewal",
    ),
    (
        "too many accounts",
        {
            SMB + "new_accounts_per_year": "uniform, low: 10, high: 1000000",
            SMB + "new_accounts_growth": "uniform, low: 0, high: 10",
        },
        "the most a simulation holds",
    ),
]


@pytest.mark.parametrize(("kind", "ranges", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_range_that_can_draw_a_refused_state_is_refused_with_file_line_and_key(
    kind, ranges, words
):
    with pytest.raises(ScenarioError) as caught:
        load_text(_block(ranges), "s.yaml")
    text = str(caught.value)
    assert words in text, text
    # the file, the line and column of one of the keys in the block, and that key
    first = BASE.count("\n") + 2
    named = [f"s.yaml:{first + i}:3: uncertainty.{key}" for i, key in enumerate(ranges)]
    assert any(where in text for where in named), text


def test_ranges_that_only_draw_valid_states_still_pass():
    scenario = load_text(
        _block(
            {
                CSM + "open_headcount": "discrete, values: [0, 1]",
                CSM + "headcount": "discrete, values: [2, 4]",
                "timeline.0.month": "discrete, values: [3, 12, 20]",
                "timeline.1.month": "discrete, values: [22, 35]",
                CHURN: "normal, mean: 0.15, sd: 5, low: 0.05, high: 0.3",
                HOP: "discrete, values: [0.1, 0.2], weights: [1e300, 1]",
            }
        ),
        "s.yaml",
    )
    assert len(scenario.uncertainty) == 6


def test_a_draw_outside_its_checked_range_stops_before_any_simulation():
    """The last guard: a quantile function that left its range names the key and the draw."""

    class Broken:
        def support(self):
            return 0.0, 1.0

        def ppf(self, u):
            return np.where(u > 0.5, np.nan, u)

        def describe(self):
            return "a broken range"

    key = UncertainKey("customers.segments.smb.base_churn", Broken(), (0,))
    with pytest.raises(PsaError, match=r"smb.base_churn: draw \d+ of a broken range is nan"):
        draw_parameters([key], 10, seed=1)


# --- the property -------------------------------------------------------------------------

#: (key, lowest and highest end tried, whole numbers): ends reach beyond the keys' bounds, so
#: the examples hold blocks that validate and blocks that do not.
KEYS = [
    ("customers.segments.smb.base_churn", -0.2, 1.2, False),
    ("customers.segments.smb.new_accounts_per_year", 0, 3e6, False),
    ("customers.segments.smb.new_accounts_growth", -1.5, 12, False),
    ("customers.segments.smb.contract_months", 0, 70, True),
    ("org.units.csm.headcount", 0, 8, False),
    ("org.units.csm.open_headcount", 0, 8, False),
    ("org.units.cco.open_headcount", 0, 2, False),
    ("timeline.0.month", 0, 40, True),
    ("timeline.1.month", 0, 40, True),
    ("timeline.1.headcount", -1, 10, False),
    ("assumptions.health_bands.red_max", -10, 110, False),
    ("assumptions.health_bands.yellow_max", -10, 110, False),
]


@st.composite
def ranges(draw: st.DrawFn) -> dict[str, str]:
    chosen = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True))
    block = {}
    for path, lo, hi, whole in chosen:
        if whole:
            values = draw(st.lists(st.integers(int(lo), int(hi)), min_size=1, max_size=4))
            block[path] = f"{{dist: discrete, values: {values}}}"
            continue
        a, b = sorted(draw(st.lists(st.floats(lo, hi), min_size=2, max_size=2, unique=True)))
        kind = draw(st.sampled_from(["uniform", "triangular", "normal", "beta", "discrete"]))
        block[path] = {
            "uniform": f"{{dist: uniform, low: {a!r}, high: {b!r}}}",
            "triangular": f"{{dist: triangular, low: {a!r}, mode: {b!r}, high: {b!r}}}",
            "normal": f"{{dist: normal, mean: {a!r}, sd: {b - a!r}, low: {a!r}, high: {b!r}}}",
            "beta": f"{{dist: beta, alpha: 2, beta: 3, low: {a!r}, high: {b!r}}}",
            "discrete": f"{{dist: discrete, values: [{a!r}, {b!r}], weights: [1, 3]}}",
        }[kind]  # fmt: skip
    return block


def _loads(drawn: Scenario) -> list:
    """What the loader says of the drawn scenario as a file (no ranges): [] when it loads."""
    plain = Scenario.model_validate({**drawn.model_dump(), "uncertainty": {}})
    return list(check_scenario(plain))


@settings(
    max_examples=60,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(block=ranges(), corner=st.integers(0, 2**12 - 1))
def test_any_block_that_validates_draws_only_scenarios_that_load(block, corner):
    text = BASE + "uncertainty:\n" + "".join(f"  {k}: {v}\n" for k, v in block.items())
    try:
        scenario = load_text(text, "s.yaml")
    except ScenarioError:
        event("refused")
        return  # refused with a message: what the property allows
    event("validated: drawn and loaded")
    keys = [UncertainKey(p, d, (0,)) for p, d in scenario.uncertainty.items()]
    draws = draw_parameters(keys, 8, seed=corner)
    # ... and the farthest draws the sampler can make, one end per key as `corner` says.
    extreme = [
        k.dist.ppf(np.array([1 - 1e-12 if corner >> i & 1 else 1e-12]))[0]
        for i, k in enumerate(keys)
    ]
    for row in [*draws, extreme]:
        drawn = apply_values(scenario, dict(zip(scenario.uncertainty, row, strict=True)))
        assert _loads(drawn) == [], (block, dict(zip(scenario.uncertainty, row, strict=True)))
