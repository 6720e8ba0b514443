"""Net value of each design of a comparison against its baseline, paired run by run.

The operating contribution a design earns over the whole horizon (revenue less delivery
cost of goods, org cost and one-time costs: :func:`~ccosim.experiment.business_case.contribution`)
minus the baseline's, replication by replication on the same simulated customers, with a
Student-t 95% interval over replications: it covers customer randomness only.
"""

from __future__ import annotations

from ccosim.experiment.business_case import contribution
from ccosim.experiment.compare import Comparison
from ccosim.stats import PairedDelta, paired_delta

__all__ = ["net_values"]


def net_values(comparison: Comparison, against: str | None = None) -> dict[str, PairedDelta]:
    """Each design's horizon contribution minus ``against``'s (the baseline by default).

    Returns:
        Label -> one-element :class:`PairedDelta` (mean, lo, hi over replications); the
        reference design itself gets zeros.
    """
    reference = contribution(comparison.results[against or comparison.baseline]).sum(axis=1)
    out = {}
    for label in comparison.labels:
        total = contribution(comparison.results[label]).sum(axis=1)
        out[label] = paired_delta(reference[:, None], total[:, None])
    return out
