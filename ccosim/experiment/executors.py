"""Run many independent tasks serially, on local processes or on Dask; results in task order.

Tasks and results must be plain, picklable data and the function a module-level callable, so
the same call works on one worker, on a process pool, or on a Dask cluster, and gives
bit-identical results in every case: each task carries everything it needs (including its
replication index, from which its random streams are derived), and results are put back in
task order whatever order they finish in.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from ccosim.errors import CcosimError

__all__ = [
    "CONNECT_TIMEOUT",
    "ExecutorError",
    "default_workers",
    "max_workers",
    "run_ordered",
]

CONNECT_TIMEOUT = "10s"
"""How long to wait for a Dask scheduler before giving up."""

T = TypeVar("T")
R = TypeVar("R")


class ExecutorError(CcosimError):
    """The requested executor cannot be used (e.g. Dask not installed, scheduler unreachable)."""


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def max_workers() -> int:
    """Most local processes a run may start: twice the cores, at least 4.

    The work is CPU-bound, so processes beyond the cores only queue, each holding its own
    replication's memory; a mistyped ``--workers 10000`` would fork ten thousand copies.
    """
    return max(4, 2 * default_workers())


def _ignore_interrupts() -> None:
    # Workers leave Ctrl-C to the parent, which cancels what has not started and exits
    # cleanly; otherwise every worker would print its own KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_ordered(
    func: Callable[[T], R],
    tasks: Sequence[T],
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
    *,
    scheduler: str | Any | None = None,
) -> list[R]:
    """Apply ``func`` to every task; return the results in task order.

    Args:
        func: A module-level function of one plain-data argument.
        tasks: The arguments.
        workers: 1 for serial in this process; ``None`` for all cores; N for N processes.
            Ignored when ``scheduler`` is given.
        on_done: Called with the number of tasks finished so far (for progress bars).
        scheduler: A Dask scheduler address (``"tcp://host:8786"``) or a
            ``distributed.Client``; runs the tasks on that cluster.

    Returns:
        ``[func(t) for t in tasks]``, computed where asked.

    Raises:
        ExecutorError: Dask was asked for but is not installed or cannot be reached.
        KeyboardInterrupt: after cancelling every task not yet started.
    """
    tasks = list(tasks)
    if scheduler is not None:
        return _run_dask(func, tasks, scheduler, on_done)
    workers = default_workers() if workers is None else min(max(1, int(workers)), max_workers())
    if workers == 1 or len(tasks) <= 1:
        results = []
        for i, task in enumerate(tasks):
            results.append(func(task))
            if on_done:
                on_done(i + 1)
        return results
    return _run_processes(func, tasks, min(workers, len(tasks)), on_done)


def _run_processes(
    func: Callable[[T], R], tasks: list[T], workers: int, on_done: Callable[[int], None] | None
) -> list[R]:
    results: dict[int, R] = {}
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    # Forked workers share this process's objects until they touch them; the garbage
    # collector's passes touch (and so copy) every one of them over a long run. Frozen
    # objects are left alone, so a worker's memory stays its own work's. The workers are
    # forked as the first tasks are submitted. (A host program that froze objects itself
    # keeps its own freeze: ccosim then neither freezes nor thaws.)
    freeze = gc.get_freeze_count() == 0
    try:
        if freeze:
            gc.freeze()
        try:
            pending: dict[Future[R], int] = {pool.submit(func, t): i for i, t in enumerate(tasks)}
        finally:
            if freeze:
                gc.unfreeze()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                results[pending.pop(future)] = future.result()
            if on_done:
                on_done(len(results))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(tasks))]


def _run_dask(
    func: Callable[[T], R],
    tasks: list[T],
    scheduler: str | Any,
    on_done: Callable[[int], None] | None,
) -> list[R]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ExecutorError(
            "a Dask scheduler was given but dask.distributed is not installed; "
            "install it with: pip install 'ccosim[distributed]'"
        ) from None
    own_client = isinstance(scheduler, str)
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT) if own_client else scheduler
    except OSError as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        # pure=False: two equal tasks are still two runs; keys keep the task order.
        futures = client.map(func, tasks, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: dict[int, R] = {}
        for future in as_completed(futures):
            results[index[future.key]] = future.result()
            if on_done:
                on_done(len(results))
        return [results[i] for i in range(len(tasks))]
    except BaseException:
        for future in locals().get("futures", []):
            future.cancel()
        raise
    finally:
        if own_client:
            client.close()
