"""Money over time: discount factors and net present value of monthly cash flows.

The annual rate is compounded monthly: a cash flow in month ``m`` (month 0 first) is worth
``(1 + annual_rate / 12) ** -m`` of the same amount at month 0. The business case uses these
for the NPV of the CCO org's net value (``--discount-rate``, default
:data:`DEFAULT_DISCOUNT_RATE`); the assumption draws and sweeps use the same default.
"""

from __future__ import annotations

import numpy as np

__all__ = ["DEFAULT_DISCOUNT_RATE", "discount_factors", "npv"]

#: Annual discount rate of net present values unless ``--discount-rate`` says otherwise
#: (a stated assumption: a typical cost of capital for a growth-stage software company).
DEFAULT_DISCOUNT_RATE = 0.10


def discount_factors(months: int, annual_rate: float) -> np.ndarray:
    """Discount factor of each month, month 0 first (factor 1), monthly compounding.

    Args:
        months: How many months.
        annual_rate: Annual rate, compounded monthly (0.10 = 10% a year).

    Returns:
        ``(1 + annual_rate / 12) ** -m`` for ``m = 0 .. months - 1``.

    Raises:
        ValueError: a negative number of months or a rate at or below -100% a year.
    """
    if months < 0:
        raise ValueError("months must not be negative")
    if annual_rate <= -12.0:
        raise ValueError("the annual rate must be above -1200% (monthly rate above -100%)")
    return (1.0 + annual_rate / 12.0) ** -np.arange(months, dtype=float)


def npv(monthly_net: np.ndarray, annual_rate: float) -> np.ndarray:
    """Net present value at month 0 of monthly cash flows, over the last axis.

    Args:
        monthly_net: Cash flow of each month (not cumulative), month 0 first, on the last
            axis (e.g. replications x months).
        annual_rate: Annual discount rate, compounded monthly.

    Returns:
        The discounted sum over the last axis (one value per replication for a 2-D input).
    """
    flows = np.asarray(monthly_net, dtype=float)
    return flows @ discount_factors(flows.shape[-1], annual_rate)
