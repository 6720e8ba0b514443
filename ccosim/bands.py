"""Benchmark bands a result is read against, and the note a result outside one gets.

One band so far: LTV:CAC. A company far above it is not "very efficient": its go-to-market
cost is probably not growing with its new logos (docs/model.md, "Quotas and finance").
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["LTV_CAC_BAND", "ltv_cac_notes"]

#: LTV:CAC a reader expects: at least 3 (benchmarks 8.1, Skok, SaaS Metrics 2.0; the median of
#: benchmarks 8.6 is 3.2); above 5 is an assumption, the usual reading that a company that high
#: under-invests in acquiring customers (no row of docs/benchmarks.md gives an upper bound).
LTV_CAC_BAND: tuple[float, float] = (3.0, 5.0)


def ltv_cac_notes(final_year: Mapping[str, float], year: int) -> list[str]:
    """A note for the designs whose last-year LTV:CAC is below or above :data:`LTV_CAC_BAND`.

    Args:
        final_year: Design label -> mean LTV:CAC in the last year (NaN: undefined, no note).
        year: The year (1-based) the values are of.

    Returns:
        At most two lines: the designs below the band, then those above it.
    """
    low, high = LTV_CAC_BAND
    below = [f"{k} ({v:.1f})" for k, v in final_year.items() if v < low]
    above = [f"{k} ({v:.1f})" for k, v in final_year.items() if v > high]
    notes = []
    if below:
        notes.append(
            f"LTV:CAC in year {year} below {low:g} for {', '.join(below)}: under the usual bar "
            "(benchmarks 8.1), acquiring a customer costs more than a third of what it returns."
        )
    if above:
        notes.append(
            f"LTV:CAC in year {year} above {high:g} for {', '.join(above)}: over the usual "
            "3-5 (benchmarks 8.1; 5 is an assumption): acquisition spend may lag the new logos."
        )
    return notes
