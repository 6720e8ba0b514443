"""Run many independent tasks serially or on local processes, results in task order.

Tasks and results must be plain, picklable data and the function a module-level callable, so
the same call works on one worker, on a process pool, or (later) on a Dask cluster, and gives
bit-identical results in every case because results are put back in task order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

__all__ = ["default_workers", "run_ordered"]

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def run_ordered(
    func: Callable[[T], R],
    tasks: Sequence[T],
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> list[R]:
    """Apply ``func`` to every task; return the results in task order.

    Args:
        func: A module-level function of one plain-data argument.
        tasks: The arguments.
        workers: 1 for serial in this process; ``None`` for all cores; N for N processes.
        on_done: Called with the number of tasks finished so far (for progress bars).

    Returns:
        ``[func(t) for t in tasks]``, computed in parallel where asked.
    """
    workers = default_workers() if workers is None else max(1, int(workers))
    if workers == 1 or len(tasks) <= 1:
        results = []
        for i, task in enumerate(tasks):
            results.append(func(task))
            if on_done:
                on_done(i + 1)
        return results
    results_by_index: dict[int, R] = {}
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        futures = {pool.submit(func, task): i for i, task in enumerate(tasks)}
        from concurrent.futures import as_completed

        for future in as_completed(futures):
            results_by_index[futures[future]] = future.result()
            if on_done:
                on_done(len(results_by_index))
    return [results_by_index[i] for i in range(len(tasks))]
