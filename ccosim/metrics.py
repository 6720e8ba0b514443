"""KPI definitions, exactly as the sources give them (docs/sources.md): one place each.

Retention KPIs take two arrays over the same accounts: their ARR at the start of a period
(zero for accounts that did not exist then, which are ignored) and their ARR at its end (zero
if lost). Everything else is a small function of yearly totals. Undefined values (a division
by zero, e.g. LTV in a year without churn) are ``nan``, shown as null in JSON.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "attainment",
    "cac",
    "cac_payback_months",
    "gross_margin",
    "grr",
    "health_band_counts",
    "health_band_shares",
    "logo_retention",
    "ltv",
    "ltv_to_cac",
    "nrr",
    "ratio",
]


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, or nan when the denominator is not positive."""
    if not denominator > 0 or math.isnan(numerator):
        return math.nan
    return float(numerator) / float(denominator)


def nrr(start_arr: np.ndarray, end_arr: np.ndarray) -> float:
    """Net revenue retention: end ARR of the accounts that existed at the start, over start ARR.

    Includes upgrades, downgrades and lost revenue (hubbard; cco-vendor).
    """
    cohort = start_arr > 0
    return ratio(float(end_arr.sum(where=cohort)), float(start_arr.sum(where=cohort)))


def grr(start_arr: np.ndarray, end_arr: np.ndarray) -> float:
    """Gross revenue retention: as NRR without expansion, capped at 100%.

    Each account counts at most its starting ARR (``min(end, start)``), so expansion never
    offsets churn or contraction; the result is at most 1.
    """
    cohort = start_arr > 0
    kept = np.minimum(end_arr, start_arr).sum(where=cohort)
    return min(1.0, ratio(float(kept), float(start_arr.sum(where=cohort))))


def logo_retention(start_arr: np.ndarray, end_arr: np.ndarray) -> float:
    """Accounts kept over accounts at the start; revenue ignored."""
    cohort = start_arr > 0
    kept = np.count_nonzero(np.logical_and(cohort, end_arr > 0))
    return ratio(float(kept), float(np.count_nonzero(cohort)))


def ltv(
    annual_revenue_per_customer: float, gross_margin_share: float, annual_churn: float
) -> float:
    """Lifetime value: average annual revenue per customer x gross margin / annual churn rate."""
    return ratio(annual_revenue_per_customer * gross_margin_share, annual_churn)


def cac(sales_marketing_expense: float, new_customers: float) -> float:
    """Customer acquisition cost: sales + marketing expense / new customers in the period."""
    return ratio(sales_marketing_expense, new_customers)


def ltv_to_cac(ltv_value: float, cac_value: float) -> float:
    """LTV:CAC (3 or more is the usual bar, benchmarks 8.1)."""
    return ratio(ltv_value, cac_value)


def cac_payback_months(cac_value: float, new_acv: float, gross_margin_share: float) -> float:
    """Months of a new customer's gross-margin revenue that repay its CAC."""
    return ratio(cac_value, new_acv / 12 * gross_margin_share)


def gross_margin(revenue: float, cost_of_revenue: float) -> float:
    """(revenue - cost of revenue) / revenue."""
    return ratio(revenue - cost_of_revenue, revenue)


def attainment(bookings: float, quota: float) -> float:
    """Bookings over quota."""
    return ratio(bookings, quota)


def health_band_counts(
    score: np.ndarray, red_max: float = 50.0, yellow_max: float = 75.0
) -> tuple[int, int, int]:
    """Accounts red (score <= red_max), yellow (<= yellow_max) and green (above)."""
    red = int(np.count_nonzero(score <= red_max))
    not_green = int(np.count_nonzero(score <= yellow_max))
    return (red, not_green - red, int(score.size) - not_green)


def health_band_shares(
    score: np.ndarray, red_max: float = 50.0, yellow_max: float = 75.0
) -> tuple[float, float, float]:
    """Shares of accounts red (score <= red_max), yellow (<= yellow_max) and green (above).

    Gainsight's bands, the default: red 0-50, yellow 51-75, green 76-100.
    """
    if score.size == 0:
        return (math.nan, math.nan, math.nan)
    red, yellow, green = health_band_counts(score, red_max, yellow_max)
    return (red / score.size, yellow / score.size, green / score.size)
