"""``simulate``: run replications of a scenario and gather their results."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ccosim.experiment.executors import run_ordered
from ccosim.results import Results
from ccosim.scenario import Scenario, load
from ccosim.sim.model import run_replication
from ccosim.sim.params import compile_params

__all__ = ["simulate"]

SERIAL_BELOW = 4
"""With ``workers=None``, fewer runs than this stay in this process (a pool costs more)."""


def simulate(
    scenario: Scenario | str | Path,
    runs: int = 1,
    seed: int | None = None,
    workers: int | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    on_done: Callable[[int], None] | None = None,
) -> Results:
    """Simulate ``runs`` replications of a scenario.

    Replication ``i`` draws every random number from streams keyed by ``(seed, i, purpose)``,
    so the results do not depend on ``workers``, and two designs run on the same seed see the
    same customers and the same luck.

    Args:
        scenario: A loaded scenario, or the path of a scenario file.
        runs: Replications.
        seed: Root seed; the scenario's ``seed`` when omitted.
        workers: 1 for serial; N for N processes; None for all cores (serial below 4 runs).
        overrides: With a path, dotted-path overrides as for :func:`ccosim.load`.
        on_done: Called with the number of replications finished (progress bars).

    Returns:
        The :class:`~ccosim.results.Results`.

    Example:
        >>> import ccosim
        >>> r = ccosim.simulate(ccosim.load("scenarios/cco_full.yaml"), runs=2)  # doctest: +SKIP
        >>> r.mean("grr")  # doctest: +SKIP
    """
    if not isinstance(scenario, Scenario):
        scenario = load(scenario, overrides)
    if runs < 1:
        raise ValueError("runs must be at least 1")
    root = scenario.seed if seed is None else int(seed)
    params = compile_params(scenario)
    tasks = [(params, root, r) for r in range(runs)]
    if workers is None and runs < SERIAL_BELOW:
        workers = 1
    outputs = run_ordered(run_replication, tasks, workers, on_done)
    return Results.from_runs(scenario.name, root, outputs)
