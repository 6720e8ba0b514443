"""Executors: serial, process and Dask runs of the same tasks give identical, ordered results."""

from __future__ import annotations

import numpy as np
import pytest

from ccosim.experiment.executors import ExecutorError, run_ordered
from ccosim.streams import stream


def noisy_task(task: tuple[int, int]) -> list[float]:
    """A stand-in replication: draws depend only on (seed, replication), never on the worker."""
    seed, replication = task
    rng = stream(seed, replication, "arrivals")
    # Uneven work so that tasks finish out of order on a pool.
    return [float(x) for x in rng.random(10 + 200_000 * (replication % 3 == 0))[:10]]


TASKS = [(2026, r) for r in range(12)]


@pytest.fixture(scope="module")
def dask_cluster():
    """One local Dask cluster for every test of this module (starting one costs seconds)."""
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        yield cluster


def test_streams_are_reproducible_and_distinct():
    a = stream(1, 0, "arrivals").random(5)
    assert np.array_equal(a, stream(1, 0, "arrivals").random(5))
    assert not np.array_equal(a, stream(1, 1, "arrivals").random(5))
    assert not np.array_equal(a, stream(1, 0, "renewals").random(5))
    assert not np.array_equal(a, stream(2, 0, "arrivals").random(5))


def test_serial_and_processes_identical_and_in_task_order():
    seen: list[int] = []
    serial = run_ordered(noisy_task, TASKS, workers=1, on_done=seen.append)
    parallel = run_ordered(noisy_task, TASKS, workers=2)
    assert serial == parallel
    assert serial == [noisy_task(t) for t in TASKS]
    assert seen == list(range(1, len(TASKS) + 1))


def test_progress_callback_counts_every_task_on_a_pool():
    seen: list[int] = []
    run_ordered(noisy_task, TASKS, workers=2, on_done=seen.append)
    assert sorted(seen) == seen and seen[-1] == len(TASKS)


@pytest.mark.distributed
def test_dask_local_cluster_matches_serial(dask_cluster):
    import distributed

    on_cluster = run_ordered(noisy_task, TASKS, scheduler=dask_cluster.scheduler_address)
    with distributed.Client(dask_cluster) as client:
        with_client = run_ordered(noisy_task, TASKS, scheduler=client)
    serial = run_ordered(noisy_task, TASKS, workers=1)
    assert on_cluster == serial and with_client == serial


def test_unreachable_scheduler_is_a_clear_error(monkeypatch):
    pytest.importorskip("distributed", reason="dask.distributed not installed")
    monkeypatch.setattr("ccosim.experiment.executors.CONNECT_TIMEOUT", "1s")
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
        run_ordered(noisy_task, TASKS[:2], scheduler="tcp://127.0.0.1:9")


@pytest.mark.distributed
def test_compare_on_a_dask_cluster_equals_serial_and_processes(dask_cluster):
    """The real thing: a comparison of two shipped designs, three ways, identical numbers."""
    from ccosim.experiment.compare import run_comparison
    from tests.conftest import SCENARIOS

    paths = [SCENARIOS / "post_sales_cs.yaml", SCENARIOS / "cco_full.yaml"]
    kwargs = {"runs": 3, "years": 2, "attribution": False}
    serial = run_comparison(paths, workers=1, **kwargs)
    processes = run_comparison(paths, workers=2, **kwargs)
    on_dask = run_comparison(paths, scheduler=dask_cluster.scheduler_address, **kwargs)
    for other in (processes, on_dask):
        for label in serial.labels:
            for kpi, values in serial.results[label].yearly.items():
                assert np.array_equal(values, other.results[label].yearly[kpi], equal_nan=True)


def test_a_pool_leaves_the_garbage_collector_as_it_found_it(monkeypatch):
    # The pool freezes this process's objects while its workers fork, then thaws them; a
    # pool that cannot start must not leave them frozen, and a host's own freeze is kept.
    import gc

    import ccosim.experiment.executors as executors

    assert run_ordered(abs, [1, -2, 3], workers=2) == [1, 2, 3]
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        assert run_ordered(abs, [1, -2, 3], workers=2) == [1, 2, 3]
        # Still frozen: the pool did not thaw the host's objects (some may have been freed).
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

    def no_pool(*args, **kwargs):
        raise OSError("no semaphores here")

    monkeypatch.setattr(executors, "ProcessPoolExecutor", no_pool)
    with pytest.raises(OSError):
        run_ordered(abs, [1, -2, 3], workers=2)
    assert gc.get_freeze_count() == 0
