"""Analytic expectations the engine must reproduce with ``org_effects: false``.

With the org switched off every account sits at the reference service level: its latent
health is stationary normal, ``X = h - reference ~ N(0, s^2)``, and the churn, contraction and
expansion multipliers ``m(X) = exp(-beta X) / E[exp(-beta X)]``, ``g(X) = exp(gamma X) /
E[exp(gamma X)]`` and the fit multiplier average exactly 1. A renewal then multiplies an
account's expected ARR by::

    R = 1 + e_r - k - c (1 + e_r E[m g] - k E[m^2])
    E[m g] = exp(-beta gamma s^2),  E[m^2] = exp(beta^2 s^2)

(churn c, renewal expansion e_r, contraction k), and each of the T - 1 other months of a term
by ``1 + mu`` (mid-term upsell), with ``(1 + mu)^(T - 1) = 1 + midterm_share * e``. The
formulas ignore the probability caps at 1, which bind only beyond about 4 standard deviations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ccosim.sim.params import ModelParams

__all__ = ["SegmentExpectation", "expected_arr", "segment_expectation"]


@dataclass(frozen=True)
class SegmentExpectation:
    """Expected yearly figures of one segment with 12-month terms and the org switched off."""

    logo_retention: float
    grr_without_contraction: float
    renewal_factor: float
    monthly_upsell: float
    nrr: float


def segment_expectation(params: ModelParams, segment: int) -> SegmentExpectation:
    """Closed-form expectations of a segment (per term; per year for 12-month terms)."""
    a = params.assumptions.health
    sp = params.segments
    s2 = params.health_sd**2
    beta, gamma = a.churn_sensitivity, a.expansion_sensitivity
    c = float(sp.churn_per_term[segment])
    e_r = float(sp.renewal_expansion[segment])
    k = float(sp.contraction_rate[segment])
    e_mg = math.exp(-beta * gamma * s2)
    e_m2 = math.exp(beta**2 * s2)
    renewal = 1 + e_r - k - c * (1 + e_r * e_mg - k * e_m2)
    term = int(sp.term_months[segment])
    upsell = (1 + a.midterm_share * float(sp.expansion_rate[segment])) ** (1 / max(term - 1, 1)) - 1
    return SegmentExpectation(
        logo_retention=1 - c,
        grr_without_contraction=1 - c,
        renewal_factor=renewal,
        monthly_upsell=upsell,
        nrr=renewal * (1 + upsell) ** (term - 1),
    )


def expected_arr(params: ModelParams, segment: int, years: int) -> np.ndarray:
    """Expected ARR of a segment at the end of each year (Markov-chain expectation).

    Initial accounts are spread over renewal months, new logos arrive as planned (no sales
    capacity limit with the org switched off). An account signed in month ``a`` has, by the
    end of month ``t``, been through ``(t - a) // T`` renewals and ``(t - a) - (t - a) // T``
    mid-term months.
    """
    sp = params.segments
    ex = segment_expectation(params, segment)
    term = int(sp.term_months[segment])
    acv = float(sp.acv[segment])
    out = np.zeros(years)
    for y in range(1, years + 1):
        end = 12 * y - 1
        total = float(sp.initial_accounts[segment]) * acv * ex.nrr**y if term == 12 else math.nan
        for month in range(end + 1):
            rate = (
                sp.new_accounts_per_year[segment]
                * (1 + sp.new_accounts_growth[segment]) ** (month // 12)
                / 12
            )
            n = end - month
            renewals = n // term
            total += (
                rate * acv * ex.renewal_factor**renewals * (1 + ex.monthly_upsell) ** (n - renewals)
            )
        out[y - 1] = total
    return out
