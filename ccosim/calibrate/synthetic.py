"""Synthetic account ledgers with known churn, expansion and contraction (tests, examples).

Accounts start on days spread evenly over ``years`` before the as-of date; each draws an
annual churn propensity from ``Beta(alpha, beta)`` and at every contract anniversary churns
with it, or else expands (probability ``p_expand``, by ``expansion / p_expand``), contracts
(probability ``p_contract``, by ``contraction / p_contract``) or stays flat: so a kept
account's ARR grows by ``expansion`` and shrinks by ``contraction`` a year on average, the
quantities :func:`ccosim.calibrate.ledger.fit_ledger` estimates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ccosim.calibrate.ledger import COLUMNS
from ccosim.streams import stream
from ccosim.tabular import csv_text

__all__ = ["PlantedSegment", "synthetic_ledger"]


@dataclass(frozen=True)
class PlantedSegment:
    """The truth of one synthetic segment."""

    accounts: int
    alpha: float
    beta: float
    expansion: float
    contraction: float
    acv: float
    p_expand: float = 0.3
    p_contract: float = 0.25


def _anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def synthetic_ledger(
    segments: Mapping[str, PlantedSegment],
    as_of: dt.date = dt.date(2026, 6, 30),
    years: int = 8,
    seed: int = 1,
    observed_from: dt.date | None = None,
) -> str:
    """CSV text of a ledger generated from the planted segments (see the module docstring).

    With ``observed_from`` the export is left-truncated: accounts that churned before that
    date are left out, as a CRM migration loses them.
    """
    rows = []
    n = 0
    for name, seg in segments.items():
        rng = stream(seed, 0, f"synthetic_ledger:{name}")
        theta = rng.beta(seg.alpha, seg.beta, seg.accounts)
        offsets = np.linspace(1, years * 365, seg.accounts).astype(int)
        for i in range(seg.accounts):
            n += 1
            start = as_of - dt.timedelta(days=int(offsets[i]))
            arr, ago, end = seg.acv, None, None
            year_ago = _anniversary(as_of, -1)
            if start <= year_ago:
                ago = seg.acv
            t = 1
            while (when := _anniversary(start, t)) <= as_of:
                u = rng.random(2)
                if u[0] < theta[i]:
                    end = when
                    break
                if u[1] < seg.p_expand:
                    arr *= 1 + seg.expansion / seg.p_expand
                elif u[1] < seg.p_expand + seg.p_contract:
                    arr *= 1 - seg.contraction / seg.p_contract
                if when <= year_ago:
                    ago = arr
                t += 1
            active = end is None
            if observed_from is not None and end is not None and end < observed_from:
                continue
            rows.append(
                [
                    f"A{n:06d}",
                    name,
                    start.isoformat(),
                    "" if active else end.isoformat(),
                    f"{arr:.2f}" if active else "",
                    f"{ago:.2f}" if ago is not None and (active or end > year_ago) else "",
                    12,
                    _anniversary(start, t).isoformat() if active else "",
                ]
            )
    return csv_text(list(COLUMNS), rows)
