"""Background work of the studio: cancellable, with progress, never outliving the server.

A job runs on the studio's own worker threads with a :class:`Progress`: the library reports
each replication finished through the run context's ``on_done`` callback, and that callback
raises :class:`Cancelled` once the job is cancelled, so a cancelled run stops after the
replication in hand. :meth:`Jobs.shutdown` cancels every job when the server stops.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from ccosim.errors import CcosimError
from ccosim.experiment.study import Execution

__all__ = ["Cancelled", "Jobs", "Progress"]

R = TypeVar("R")


class Cancelled(CcosimError):
    """The job was cancelled (by the user, a newer edit, or the server stopping)."""


@dataclass(eq=False)
class Progress:
    """How far a job has got; ``cancel()`` stops it at the next replication."""

    done: int = 0
    total: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        """Ask the job to stop."""
        self.stop.set()

    @property
    def cancelled(self) -> bool:
        """Whether the job was asked to stop."""
        return self.stop.is_set()

    def _done(self, n: int) -> None:
        if self.stop.is_set():
            raise Cancelled("cancelled")
        self.done = n

    def _total(self, n: int) -> None:
        self.total = n

    def execution(self) -> Execution:
        """A serial execution reporting here (serial: no process pool forked from threads)."""
        return Execution(workers=1, on_done=self._done, on_total=self._total)

    def text(self) -> str:
        """``12 of 40 replications``, or empty before the total is known."""
        return f"{self.done} of {self.total} replications" if self.total else ""


class Jobs:
    """The studio's worker threads and the jobs running on them."""

    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ccosim-studio")
        self._live: set[Progress] = set()
        self._lock = threading.Lock()
        self._closed = False

    async def run(self, work: Callable[[Progress], R], progress: Progress) -> R:
        """Run ``work(progress)`` on a worker thread; cancelling the caller cancels the job.

        Raises:
            Cancelled: the job was cancelled, or the server is shutting down.
        """
        with self._lock:
            if self._closed:
                raise Cancelled("the studio is shutting down")
            self._live.add(progress)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, work, progress)
        except asyncio.CancelledError:
            progress.cancel()
            raise
        finally:
            with self._lock:
                self._live.discard(progress)

    def start(self, work: Callable[[Progress], object]) -> Progress:
        """Start ``work`` in the background, no one waiting (a warm-up); cancellable."""
        progress = Progress()
        with self._lock:
            if self._closed:
                return progress
            self._live.add(progress)

        def run() -> None:
            try:
                work(progress)
            except Cancelled:
                pass
            finally:
                with self._lock:
                    self._live.discard(progress)

        self._pool.submit(run)
        return progress

    def cancel(self, jobs: set[Progress] | None = None) -> None:
        """Cancel the given jobs (default: all)."""
        with self._lock:
            for progress in list(self._live if jobs is None else jobs):
                progress.cancel()

    def shutdown(self) -> None:
        """Cancel every job and take no more: the server is stopping."""
        with self._lock:
            self._closed = True
        self.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
