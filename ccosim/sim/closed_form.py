"""Analytic expectations the engine must reproduce with ``org_effects: false``.

With the org switched off every account sits at the reference service level: its latent
health is stationary normal, ``X = h - reference ~ N(0, s^2)``, and the churn, contraction and
expansion multipliers ``m(X) = exp(-beta X) / E[exp(-beta X)]``, ``g(X) = exp(gamma X) /
E[exp(gamma X)]`` and the fit multiplier average exactly 1. A renewal falls due at the end of
each term, every ``T`` months. A decision multiplies an account's expected ARR by::

    R = 1 + e_r - k_T - c_T (1 + e_r E[m g] - k_T E[m^2])
    E[m g] = exp(-beta gamma s^2),  E[m^2] = exp(beta^2 s^2)

(churn ``c_T``, renewal expansion ``e_r``, contraction ``k_T`` per decision, converted from the
annual rates as docs/model.md "Units" says), and each of the other months by ``1 + mu``
(mid-term upsell). For ``T <= 12`` an account of the year's cohort meets ``12 / T`` decisions
in the year: the yearly NRR is ``R^(12/T) (1 + mu)^(12 - 12/T)`` and logo retention
``(1 - c_T)^(12/T) = 1 - base_churn``. For ``T > 12`` (``y = T / 12`` years) the renewals of a
book spread evenly over the term fall due for a share ``1 / y`` of the accounts in a year: NRR
is ``(R (1 + mu)^11 + (y - 1) (1 + mu)^12) / y`` and logo retention ``1 - c_T / y = 1 -
base_churn``. The formulas treat the decisions of one year as independent; health is
autocorrelated month to month (``(1 - reversion)^T`` between two decisions), which with monthly
terms lifts retention by a few tenths of a point (measured: docs/model.md, "Units"). They
ignore the probability caps at 1, which bind only beyond about 4 standard deviations for
terms up to 12 months (long terms at high churn: docs/model.md, "Units").

Heterogeneous churn (a segment with ``churn_alpha``, ``churn_beta``) follows the
shifted-beta-geometric model (Fader and Hardie 2007, "How to project customer retention"):
an account's annual churn propensity ``theta ~ Beta(a, b)`` is fixed at signing, so the share
of a cohort still active after ``t`` annual renewals is ``S(t) = B(a, b + t) / B(a, b)`` and
the retention of those reaching year ``t`` is ``r(t) = (b + t - 1) / (a + b + t - 1)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ccosim.sim.params import ModelParams

__all__ = [
    "SegmentExpectation",
    "expected_arr",
    "sbg_retention",
    "sbg_survival",
    "segment_expectation",
]


@dataclass(frozen=True)
class SegmentExpectation:
    """Expected figures of one segment with the org switched off.

    Attributes:
        logo_retention: Yearly logo retention of the accounts active at the year start.
        grr_without_contraction: Yearly GRR when the segment has no contraction.
        renewal_factor: Expected ARR factor of one renewal decision (churn included).
        monthly_upsell: Expected ARR factor, less 1, of a month without a decision.
        nrr: Yearly NRR.
        step_months: Months between two renewal decisions.
    """

    logo_retention: float
    grr_without_contraction: float
    renewal_factor: float
    monthly_upsell: float
    nrr: float
    step_months: int


def segment_expectation(params: ModelParams, segment: int) -> SegmentExpectation:
    """Closed-form yearly expectations of a segment.

    Exact when the term divides 12, or is a multiple of 12 and the book's renewals are spread
    evenly over the term (the synthetic starting book); the average year otherwise.
    """
    a = params.assumptions.health
    sp = params.segments
    s2 = params.health_sd**2
    beta, gamma = a.churn_sensitivity, a.expansion_sensitivity
    c = float(sp.churn_per_term[segment])
    e_r = float(sp.renewal_expansion[segment])
    k = float(sp.contraction_per_step[segment])
    e_mg = math.exp(-beta * gamma * s2)
    e_m2 = math.exp(beta**2 * s2)
    renewal = 1 + e_r - k - c * (1 + e_r * e_mg - k * e_m2)
    step = int(sp.step_months[segment])
    upsell = float(sp.midterm_size[segment]) * a.midterm_lead_rate
    if step > 12:
        # A share 1 / y of a book spread evenly over the term renews in a year.
        y = step / 12
        kept = 1 - c / y
        nrr = (renewal * (1 + upsell) ** 11 + (y - 1) * (1 + upsell) ** 12) / y
    else:
        decisions = 12 / step
        kept = (1 - c) ** decisions
        nrr = renewal**decisions * (1 + upsell) ** (12 - decisions)
    return SegmentExpectation(
        logo_retention=kept,
        grr_without_contraction=kept,
        renewal_factor=renewal,
        monthly_upsell=upsell,
        nrr=nrr,
        step_months=step,
    )


def expected_arr(params: ModelParams, segment: int, years: int) -> np.ndarray:
    """Expected ARR of a segment at the end of each year (Markov-chain expectation).

    Initial accounts have their first decision in each month of the first term alike, new
    logos arrive as planned (no sales capacity limit with the org switched off). An account
    signed in month ``a`` has, by the end of month ``t``, been through ``(t - a) // T`` renewal
    decisions and ``(t - a) - (t - a) // T`` months without one.
    """
    sp = params.segments
    ex = segment_expectation(params, segment)
    step = ex.step_months
    acv = float(sp.acv[segment])
    out = np.zeros(years)
    for y in range(1, years + 1):
        end = 12 * y - 1
        if 12 % step == 0:
            total = float(sp.initial_accounts[segment]) * acv * ex.nrr**y
        else:
            # First decision in month d = 0 .. T - 1, one in T each.
            total = 0.0
            for d in range(step):
                decided = (end - d) // step + 1 if d <= end else 0
                total += ex.renewal_factor**decided * (1 + ex.monthly_upsell) ** (12 * y - decided)
            total *= float(sp.initial_accounts[segment]) * acv / step
        for month in range(end + 1):
            rate = (
                sp.new_accounts_per_year[segment]
                * (1 + sp.new_accounts_growth[segment]) ** (month // 12)
                / 12
            )
            n = end - month
            renewals = n // step
            total += (
                rate * acv * ex.renewal_factor**renewals * (1 + ex.monthly_upsell) ** (n - renewals)
            )
        out[y - 1] = total
    return out


def sbg_survival(alpha: float, beta: float, years: int) -> np.ndarray:
    """Shifted-beta-geometric survival, S(t) = B(alpha, beta + t) / B(alpha, beta), t = 0..years."""
    base = math.lgamma(alpha) + math.lgamma(beta) - math.lgamma(alpha + beta)
    return np.array(
        [
            math.exp(
                math.lgamma(alpha) + math.lgamma(beta + t) - math.lgamma(alpha + beta + t) - base
            )
            for t in range(years + 1)
        ]
    )


def sbg_retention(alpha: float, beta: float, years: int) -> np.ndarray:
    """Shifted-beta-geometric retention in year t = 1..years, (b + t - 1) / (a + b + t - 1)."""
    t = np.arange(1, years + 1)
    return (beta + t - 1) / (alpha + beta + t - 1)
