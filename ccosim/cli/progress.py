"""A progress bar for long runs: shown after a moment, on a terminal only, never with --quiet."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

import click

__all__ = ["Progress", "StageBars"]


class Progress:
    """Counts finished replications; draws a bar with ETA once a run takes over ``delay`` s.

    Use it as a context manager and pass :meth:`update` as the ``on_done`` callback of the
    executor. Short runs print nothing; scripts get nothing with ``quiet=True`` or when
    standard error is not a terminal (unless ``force``). On entering, it says so when the
    engine's kernels are not compiled yet (the first run after an install), since that run
    pauses before its first replication.
    """

    def __init__(
        self,
        total: int,
        label: str,
        *,
        quiet: bool = False,
        delay: float = 1.5,
        force: bool = False,
        engine: bool = True,
    ) -> None:
        self.total = total
        self.label = label
        self.enabled = not quiet and (force or sys.stderr.isatty())
        self.delay = delay
        self.engine = engine
        self._start = time.monotonic()
        self._bar: Any = None
        self._shown = 0

    def __enter__(self) -> Progress:
        if self.enabled and self.engine and not _engine_compiled():
            click.echo(
                "Compiling the simulation engine (once after installing; about 10 s)...",
                err=True,
            )
        self._start = time.monotonic()
        return self

    def set_total(self, total: int) -> None:
        """Set the number of tasks once it is known (before they start)."""
        self.total = total

    def update(self, done: int) -> None:
        """Record that ``done`` tasks have finished."""
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._start < self.delay and done < self.total:
                return
            if done >= self.total and time.monotonic() - self._start < self.delay:
                return
            self._bar = click.progressbar(
                length=self.total,
                label=self.label,
                file=sys.stderr,
                show_eta=True,
                show_pos=True,
                item_show_func=None,
            )
            self._bar.__enter__()
        self._bar.update(done - self._shown)
        self._shown = done

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)


def _engine_compiled() -> bool:
    # lazy: a bar without the engine (the HRIS import) loads no numba.
    from ccosim.sim.kernels import cached

    return cached()


class StageBars:
    """One :class:`Progress` bar per stage of a task reported as ``(stage, done, total)``.

    Use as a context manager and pass :meth:`update` as the task's progress callback: a
    new stage closes the previous bar and opens its own (labelled with the stage's name).
    """

    def __init__(self, quiet: bool = False, *, force: bool = False, delay: float = 1.5) -> None:
        self.quiet, self.force, self.delay = quiet, force, delay
        self._stage: str | None = None
        self._bar: Progress | None = None

    def __enter__(self) -> StageBars:
        return self

    def update(self, stage: str, done: int, total: int) -> None:
        """Record that ``done`` of ``total`` are finished in ``stage``."""
        if stage != self._stage:
            self._close()
            self._stage = stage
            bar = Progress(
                total, stage, quiet=self.quiet, delay=self.delay, force=self.force, engine=False
            )
            self._bar = bar.__enter__()
        assert self._bar is not None
        self._bar.set_total(total)
        self._bar.update(done)

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __exit__(self, *exc: object) -> None:
        self._close()
