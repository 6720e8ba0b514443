"""Benchmark bands a result is read against, and the note a result outside one gets.

One band so far: LTV:CAC. A company far above it is not "very efficient": its go-to-market
cost is probably not growing with its new logos (docs/model.md, "Quotas and finance").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = ["LTV_CAC_BAND", "ltv_cac_notes"]

#: LTV:CAC a reader expects: at least 3 (benchmarks 8.1, Skok, SaaS Metrics 2.0; the median of
#: benchmarks 8.6 is 3.2); above 5 is an assumption, the usual reading that a company that high
#: under-invests in acquiring customers (no row of docs/benchmarks.md gives an upper bound).
LTV_CAC_BAND: tuple[float, float] = (3.0, 5.0)


def ltv_cac_notes(final_year: Mapping[str, float], year: int) -> list[str]:
    """A note for each design whose last-year LTV:CAC is outside :data:`LTV_CAC_BAND`.

    Args:
        final_year: Design label -> mean LTV:CAC in the last year (NaN: undefined, no note).
        year: The year (1-based) the values are of.

    Returns:
        One line per design outside the band, in the mapping's order.
    """
    low, high = LTV_CAC_BAND
    notes = []
    for label, value in final_year.items():
        if math.isnan(value) or low <= value <= high:
            continue
        side = (
            "below the usual bar of 3 (benchmarks 8.1): acquisition costs more than customers "
            "return"
            if value < low
            else f"above {high:g} (an assumption; the median of benchmarks 8.6 is 3.2): "
            "acquisition spend may not grow with the new logos (a staffing ratio on "
            "new_accounts), or ARR per account outgrows what winning one costs"
        )
        notes.append(f"{label}: LTV:CAC {value:.1f} in year {year}, {side}")
    return notes
