"""Annual rates to rates per renewal decision, for any contract term.

A renewal falls due at the end of each term, every ``T`` months (``y = T / 12`` years). The
user types annual rates (``base_churn``, ``expansion_rate``, ``contraction_rate``); this module
turns them into what one renewal decision and one month between decisions do, so that the
yearly figures of a book at the reference service level are the annual rates whatever the
term (docs/model.md, "Units"):

* ``T <= 12``: every account meets ``1 / y`` decisions a year, so the per-decision rates
  compound to the annual ones (``c_T = 1 - (1 - base_churn)^y``).
* ``T > 12``: a share ``1 / y`` of a book whose renewals are spread over the term renews in a
  year, so a decision carries ``y`` years of churn (``c_T = y * base_churn``: the book loses
  ``base_churn`` of its logos a year and an account lives ``1 / base_churn`` years on average,
  as on annual terms), and contraction and expansion are set so that the book's yearly GRR
  and NRR at reference equal those of annual terms with the same rates.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ccosim.scenario.assumptions import HealthModel

__all__ = ["DecisionRates", "decision_rates"]


class DecisionRates(NamedTuple):
    """Per-segment rates of one renewal decision and of one month between two.

    Attributes:
        churn: Churn per decision at the reference.
        contraction: Contraction per decision (its expected share of the ARR).
        renewal_expansion: Expansion per decision (its expected share of the ARR).
        monthly_upsell: Mid-term upsell per month without a decision (share of the ARR).
    """

    churn: np.ndarray
    contraction: np.ndarray
    renewal_expansion: np.ndarray
    monthly_upsell: np.ndarray


def decision_rates(
    term: np.ndarray,
    churn: np.ndarray,
    expansion: np.ndarray,
    contraction: np.ndarray,
    health: HealthModel,
) -> DecisionRates:
    """The rates of one decision of each segment's term, from the annual rates.

    Args:
        term: Contract term of each segment, months.
        churn: Annual logo churn (``base_churn``).
        expansion: Annual expansion (``expansion_rate``).
        contraction: Annual contraction (``contraction_rate``).
        health: The health assumptions (mid-term share of expansion, health sensitivities).

    Returns:
        The per-decision and per-month rates.
    """
    e, k = expansion, contraction
    years = term / 12.0
    # A share phi of e arrives mid-term, (1 + phi e) a year over the step - 1 months between
    # two renewal decisions; each decision brings the rest, (1 + e - k) / (1 + phi e) a year.
    # With monthly terms there is no month between two decisions: all of it comes at renewal.
    mid_year = np.where(term > 1, 1 + health.midterm_share * e, 1.0)
    monthly_mid = np.where(term > 1, mid_year ** (years / np.maximum(term - 1, 1)) - 1, 0.0)
    per_step = ((1 + e - k) / mid_year) ** years
    churn_step = 1 - (1 - churn) ** years
    k_step = np.where(years == 1, k, 1 - (1 - k) ** years)
    renewal_expansion = per_step - 1 + k_step
    long_term = years > 1
    if long_term.any():
        c_t, k_t, e_t = _long_term(years, churn, e, k, mid_year, monthly_mid, health)
        churn_step = np.where(long_term, c_t, churn_step)
        k_step = np.where(long_term, k_t, k_step)
        renewal_expansion = np.where(long_term, e_t, renewal_expansion)
    return DecisionRates(churn_step, k_step, renewal_expansion, monthly_mid)


def _long_term(
    years: np.ndarray,
    c: np.ndarray,
    e: np.ndarray,
    k: np.ndarray,
    mid_year: np.ndarray,
    mu: np.ndarray,
    health: HealthModel,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Churn, contraction and expansion of one decision of a term over 12 months.

    With the health moments of the closed form (``E[m g]``, ``E[m^2]``, docs/model.md "Closed
    form"), the book's yearly GRR ``1 - (c_T + k_T - c_T k_T E[m^2]) / y`` and NRR ``(R_T (1 +
    mu)^11 + (y - 1) (1 + mu)^12) / y`` are set equal to those of a 12-month term.
    """
    sd2 = health.noise_sd**2 / (1 - (1 - health.reversion) ** 2)
    e_mg = math.exp(-health.churn_sensitivity * health.expansion_sensitivity * sd2)
    e_m2 = math.exp(health.churn_sensitivity**2 * sd2)
    c_t = years * c
    # Contraction: the kept accounts lose k (1 - c E[m^2]) of the book's ARR a year; when
    # churn at renewal is so high that no contraction can give that, y k (the caps bind).
    room = 1 - c_t * e_m2
    k_t = np.where(room > 0, years * k * (1 - c * e_m2) / np.where(room > 0, room, 1.0), years * k)
    k_t = np.minimum(k_t, health.contraction_probability)
    # The 12-month NRR: R_12 (1 + mu_12)^11 = R_12 (1 + phi e).
    e_12 = (1 + e - k) / mid_year - 1 + k
    nrr_12 = (1 + e_12 - k - c * (1 + e_12 * e_mg - k * e_m2)) * mid_year
    r_t = (years * nrr_12 - (years - 1) * (1 + mu) ** 12) / (1 + mu) ** 11
    e_t = (r_t - 1 + k_t + c_t - c_t * k_t * e_m2) / (1 - c_t * e_mg)
    return c_t, k_t, np.maximum(e_t, 0.0)
