"""Memory a simulation will need, estimated before any work starts.

A scenario with a billion new accounts a year validates as a scenario but would try to
allocate terabytes; ``--runs 100000`` holds every replication's results. The estimate here
is deliberately simple and errs high: each replication in flight holds per-account arrays
(:data:`BYTES_PER_ACCOUNT`, plus 8 bytes per possible renewal for the pre-drawn renewal
randomness), and each finished replication keeps its monthly and yearly series.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from ccosim.errors import CcosimError
from ccosim.scenario.checks import MAX_EXPECTED_ACCOUNTS, expected_accounts
from ccosim.scenario.schema import Scenario

__all__ = [
    "BYTES_PER_ACCOUNT",
    "MAX_EXPECTED_ACCOUNTS",
    "Estimate",
    "ResourceError",
    "check_resources",
    "estimate",
    "expected_accounts",
    "memory_budget",
]

BYTES_PER_ACCOUNT = 200
"""Per-account state of one replication in flight (health, ARR, status, queues, draws)."""
BYTES_PER_SERIES_POINT = 8 * 80
"""One month (or year) of the ~80 measures a finished replication keeps."""


class ResourceError(CcosimError):
    """The work would need more memory than the machine can give it."""


@dataclass(frozen=True)
class Estimate:
    """Memory of a piece of work, in bytes."""

    accounts: float
    in_flight: int
    held: int

    @property
    def total(self) -> int:
        """Bytes at the peak: replications in flight plus every finished one kept."""
        return self.in_flight + self.held


def estimate(scenarios: Sequence[Scenario], runs: int, workers: int) -> Estimate:
    """Memory for ``runs`` replications of each scenario, ``workers`` at a time."""
    per_replication, held, accounts = 0, 0, 0.0
    for scenario in scenarios:
        n = expected_accounts(scenario)
        months = scenario.horizon_years * 12
        # A renewal decision falls due at the end of each term (docs/model.md, "Units").
        step = min(s.contract_months for s in scenario.customers.segments.values())
        renewals = months // step + 2
        per_replication = max(per_replication, int(n * (BYTES_PER_ACCOUNT + 8 * renewals)))
        held += runs * (months + scenario.horizon_years) * BYTES_PER_SERIES_POINT
        accounts = max(accounts, n)
    in_flight = per_replication * max(1, min(workers, runs * len(scenarios)))
    return Estimate(accounts, in_flight, held)


def memory_budget() -> int:
    """Half of this machine's physical memory (bytes); 8 GiB if it cannot be read."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def _gib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**28 else f"{n / 2**20:,.0f} MiB"


def check_resources(
    scenarios: Sequence[Scenario],
    runs: int,
    workers: int | None,
    *,
    allow_large: bool = False,
    budget: int | None = None,
) -> Estimate:
    """Refuse work that would need more memory than :func:`memory_budget`, before it starts.

    Args:
        scenarios: Every scenario that will run (each ``runs`` times).
        runs: Replications per scenario.
        workers: Processes at once (``None``: all cores).
        allow_large: Run anyway (``--allow-large``).
        budget: Bytes allowed (default: half the physical memory).

    Raises:
        ResourceError: the estimate is over the budget and ``allow_large`` is false.
    """
    workers = workers or os.cpu_count() or 1
    found = estimate(scenarios, runs, workers)
    limit = memory_budget() if budget is None else budget
    if found.total > limit and not allow_large:
        raise ResourceError(
            f"this would need about {_gib(found.total)} of memory ({runs:,} replications of "
            f"{len(scenarios)} scenario(s), up to {found.accounts:,.0f} accounts each, "
            f"{workers} at a time), more than the {_gib(limit)} allowed (half of this "
            "machine's memory). Use fewer --runs or --workers, a shorter --years or a smaller "
            "customer base, or pass --allow-large to run anyway"
        )
    return found
