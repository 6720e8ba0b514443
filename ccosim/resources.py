"""Memory a simulation will need, estimated before any work starts.

A scenario with a billion new accounts a year validates as a scenario but would try to
allocate terabytes; ``--runs 100000`` holds every replication's results; ``--draws 1000000000``
keeps a summary row per draw. The estimate here is deliberately simple and errs high: each
replication in flight holds per-account arrays (:data:`BYTES_PER_ACCOUNT`, plus 8 bytes per
possible renewal for the pre-drawn renewal randomness), each finished replication keeps its
monthly and yearly series, each draw keeps its summary (:data:`BYTES_PER_DRAW`) and its drawn
values (:data:`BYTES_PER_DRAWN_VALUE` per uncertain key), and each worker process holds its
own interpreter, numpy, numba's compiled kernels and scipy (:data:`WORKER_BYTES`).
docs/limits.md lists what every command estimates.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ccosim.errors import CcosimError
from ccosim.scenario.checks import MAX_EXPECTED_ACCOUNTS, expected_accounts
from ccosim.scenario.schema import Scenario
from ccosim.scenario.uncertainty import Discrete, apply_values

__all__ = [
    "BYTES_PER_ACCOUNT",
    "BYTES_PER_DRAW",
    "BYTES_PER_DRAWN_VALUE",
    "MAX_EXPECTED_ACCOUNTS",
    "WORKER_BYTES",
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
BYTES_PER_DRAW = 4096
"""One draw's summary row (measured 1.2 KB for 2 designs, 1.5 KB for 5), the task and the
future that carried it, and its stacked copy at the end."""
BYTES_PER_DRAWN_VALUE = 64
"""One uncertain key at one draw: the unit cube (Latin hypercube measured 24 bytes), its
quantiles and the parameters array."""
WORKER_BYTES = 150 * 2**20
"""One local worker process of its own (measured on the shipped scenarios, 2026-12-07: peak
RSS 241-262 MiB, of which 60-75 MiB its own and the rest shared with the parent; proportional
share 140-145 MiB). docs/limits.md."""


class ResourceError(CcosimError):
    """The work would need more memory than the machine can give it."""


@dataclass(frozen=True)
class Estimate:
    """Memory of a piece of work, in bytes."""

    accounts: float
    in_flight: int
    held: int
    drawn: int = 0
    processes: int = 0

    @property
    def total(self) -> int:
        """Bytes at the peak: replications in flight and kept, draws, worker processes."""
        return self.in_flight + self.held + self.drawn + self.processes


def estimate(
    scenarios: Sequence[Scenario], runs: int, workers: int, *, draws: int = 0, keys: int = 0
) -> Estimate:
    """Memory for ``runs`` replications of each scenario, ``workers`` at a time.

    With ``draws``, the accounts at the top of their ranges, and each draw's summary and its
    ``keys`` drawn values; with more than one worker, each worker process's own memory
    (:data:`WORKER_BYTES`).
    """
    per_replication, held, accounts = 0, 0, 0.0
    for scenario in scenarios:
        n = expected_accounts(_largest_draw(scenario) if draws else scenario)
        months = scenario.horizon_years * 12
        # A renewal decision falls due at the end of each term (docs/model.md, "Units").
        step = min(s.contract_months for s in scenario.customers.segments.values())
        renewals = months // step + 2
        per_replication = max(per_replication, int(n * (BYTES_PER_ACCOUNT + 8 * renewals)))
        held += runs * (months + scenario.horizon_years) * BYTES_PER_SERIES_POINT
        accounts = max(accounts, n)
    tasks = max(runs * len(scenarios), draws)
    at_once = max(1, min(workers, tasks))
    in_flight = per_replication * at_once
    drawn = draws * (BYTES_PER_DRAW + BYTES_PER_DRAWN_VALUE * keys)
    processes = WORKER_BYTES * at_once if workers > 1 else 0
    return Estimate(accounts, in_flight, held, drawn, processes)


#: Keys whose larger values open more accounts (the estimate reads them at their range's top).
ACCOUNT_KEYS = ("initial_accounts", "new_accounts_per_year", "new_accounts_growth")


def _largest_draw(scenario: Scenario) -> Scenario:
    """``scenario`` with every uncertain key that opens accounts at the top of its range."""
    tops = {
        path: max(dist.values) if isinstance(dist, Discrete) else dist.support()[1]
        for path, dist in scenario.uncertainty.items()
        if path.startswith("customers.") and path.rsplit(".", 1)[-1] in ACCOUNT_KEYS
    }
    return apply_values(scenario, tops) if tops else scenario


def memory_budget() -> int:
    """Half of the memory this process may use (bytes); 8 GiB if none of it can be read.

    The least of the machine's physical memory, the container's limit (cgroup v2
    ``memory.max``) and what the address-space limit (``ulimit -v``) leaves this process.
    """
    limits = [_physical(), _cgroup_limit(), _address_space_left()]
    known = [n for n in limits if n is not None]
    return min(known) // 2 if known else 8 * 2**30


def _physical() -> int | None:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _cgroup_limit() -> int | None:
    try:
        text = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _address_space_left() -> int | None:
    try:
        import resource  # (POSIX only)

        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        if limit == resource.RLIM_INFINITY:
            return None
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        return max(limit - pages * os.sysconf("SC_PAGE_SIZE"), 0)
    except (ImportError, OSError, ValueError, IndexError):
        return None


def _gib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**28 else f"{n / 2**20:,.0f} MiB"


def check_resources(
    scenarios: Sequence[Scenario],
    runs: int,
    workers: int | None,
    *,
    draws: int = 0,
    allow_large: bool = False,
    budget: int | None = None,
) -> Estimate:
    """Refuse work that would need more memory than :func:`memory_budget`, before it starts.

    Args:
        scenarios: Every scenario that will run (each ``runs`` times).
        runs: Replications per scenario whose results are kept.
        workers: Processes at once (``None``: all cores).
        draws: Parameter draws whose summaries are kept (0: none); each draws every
            uncertain key of the scenarios.
        allow_large: Run anyway (``--allow-large``).
        budget: Bytes allowed (default: half the physical memory).

    Raises:
        ResourceError: the estimate is over the budget and ``allow_large`` is false.
    """
    workers = workers or os.cpu_count() or 1
    keys = len({key for scenario in scenarios for key in scenario.uncertainty})
    found = estimate(scenarios, runs, workers, draws=draws, keys=keys)
    limit = memory_budget() if budget is None else budget
    if found.total > limit and not allow_large:
        raise ResourceError(
            f"this would need about {_gib(found.total)} of memory ({_parts(found, runs, draws)}"
            f"; {runs:,} replication{'' if runs == 1 else 's'} of {len(scenarios)} "
            "scenario(s), up to "
            f"{found.accounts:,.0f} accounts each, {workers} at a time), more than the "
            f"{_gib(limit)} allowed (half of the memory this process may use). Use fewer "
            f"{'--draws, ' if draws else ''}--runs or --workers, a shorter --years or a "
            "smaller customer base, or pass --allow-large to run anyway"
        )
    return found


def _parts(found: Estimate, runs: int, draws: int) -> str:
    """Where the bytes go, largest first: ``'2.0 GiB for 10,000 draws, ...'``."""
    parts = [
        (found.drawn, f"{draws:,} draws"),
        (found.held, f"the results of {runs:,} runs"),
        (found.in_flight, "the replications in flight"),
        (found.processes, f"{found.processes // WORKER_BYTES} worker processes"),
    ]
    shown = sorted((p for p in parts if p[0]), key=lambda p: -p[0])
    return ", ".join(f"{_gib(size)} for {what}" for size, what in shown[:3])
