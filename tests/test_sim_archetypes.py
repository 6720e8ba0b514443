"""The young company's bookings mix and the five archetypes: the shapes docs/model.md explains."""

from __future__ import annotations

import numpy as np
import pytest

import ccosim
from ccosim.sim.params import compile_params
from ccosim.stats import t_quantile
from tests.conftest import ARCHETYPES, SCENARIOS

YOUNG_RUNS = 24
YOUNG_CHECKS = 11  # the year-9 band, year 1 below 1, year 3 above 1, 8 year-on-year steps
T_YOUNG = t_quantile(1 - 1e-3 / YOUNG_CHECKS / 2, YOUNG_RUNS - 1)  # about 4.4
#: The year-9 installed-base / new-business ratio docs/model.md states for young_growth.
YOUNG_YEAR9_BAND = (5.5, 6.5)


def _mean_se(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return samples.mean(axis=0), samples.std(axis=0, ddof=1) / np.sqrt(samples.shape[0])


@pytest.mark.slow
def test_young_company_installed_base_overtakes_new_business():
    """A young, moderate-to-high-growth company (scenarios/young_growth.yaml).

    Installed-base bookings overtake new business within three years and reach about six times
    it by year 9 (docs/model.md states the band). Every check is on the mean of
    ``YOUNG_RUNS`` replications, allowing ``T_YOUNG`` standard errors (Student t, 11 checks,
    false-alarm rate below 0.1% for the file's claims together); the seed is fixed.
    """
    results = ccosim.simulate(SCENARIOS / "young_growth.yaml", runs=YOUNG_RUNS, seed=15, workers=1)
    ratio = results.yearly["installed_base_to_new"]  # replications x years
    mean, se = _mean_se(ratio)
    lo, hi = YOUNG_YEAR9_BAND
    assert lo - T_YOUNG * se[8] <= mean[8] <= hi + T_YOUNG * se[8], (mean[8], se[8])
    assert mean[0] + T_YOUNG * se[0] < 1 < mean[2] - T_YOUNG * se[2]
    step, step_se = _mean_se(np.diff(ratio, axis=1))  # paired: the same replication each year
    assert np.all(step >= -T_YOUNG * step_se), (step, step_se)  # it rises year on year


@pytest.mark.slow
def test_the_shipped_company_has_no_young_company_rise():
    """The shipped company (a mature base, NRR below 100%) shows no young-company rise.

    Installed-base bookings are several times new business from year 1 and stay near that
    level, rather than rising from below 1.

    Mean of 12 replications; one-sided checks with t at 11 degrees of freedom, 1e-3 / 2 each.
    """
    scenario = ccosim.load(SCENARIOS / "cco_full.yaml")
    runs = 12
    ratio = ccosim.simulate(scenario, runs=runs, seed=15, workers=1).yearly["installed_base_to_new"]
    t = t_quantile(1 - 1e-3 / 2, runs - 1)
    mean, se = _mean_se(ratio)
    assert mean[0] - t * se[0] > 3.0, (mean[0], se[0])  # long past the cross-over in year 1
    rise, rise_se = _mean_se(ratio[:, 8] - ratio[:, 0])  # paired: year 9 less year 1
    assert rise + t * rise_se < 2.0, (rise, rise_se)  # the young company rises by about 5.5


@pytest.mark.slow
def test_five_archetypes_run_on_the_same_customers():
    grr, nrr = {}, {}
    for name in ARCHETYPES:
        scenario = ccosim.load(SCENARIOS / f"{name}.yaml", {"horizon_years": 3})
        results = ccosim.simulate(scenario, runs=4, seed=21, workers=1)
        grr[name], nrr[name] = results.mean("grr")[-1], results.mean("nrr")[-1]
    # Explained in docs/model.md, "The five archetypes": no CS team at all is the worst GRR,
    # the full CCO org (single owner, no hand-off friction) the best.
    assert min(grr, key=grr.get) == "vp_services"
    assert max(grr, key=grr.get) == "cco_full"
    # Only the full CCO org has one executive owning CS, renewals and onboarding (the
    # "single owner" column of docs/model.md's archetype table).
    owners = {
        name: compile_params(ccosim.load(SCENARIOS / f"{name}.yaml")).epochs[0].effects.single_owner
        for name in ARCHETYPES
    }
    assert owners == {name: name == "cco_full" for name in ARCHETYPES}
