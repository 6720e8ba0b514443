"""Money over time: monthly discount factors and net present value."""

from __future__ import annotations

import numpy as np

__all__ = ["discount_factors", "npv"]


def discount_factors(months: int, annual_rate: float) -> np.ndarray:
    """Discount factor of each month, month 0 first, compounding the annual rate monthly.

    Month ``m`` is worth ``(1 + annual_rate / 12) ** -m`` of month 0.
    """
    return (1.0 + annual_rate / 12.0) ** -np.arange(months, dtype=float)


def npv(monthly_net: np.ndarray, annual_rate: float) -> np.ndarray:
    """Net present value of monthly amounts (month 0 first) over the last axis."""
    monthly_net = np.asarray(monthly_net, dtype=float)
    return monthly_net @ discount_factors(monthly_net.shape[-1], annual_rate)
