"""Executives in post: the holder of a seat may leave, the seat goes vacant and is refilled.

A seat with turnover (:attr:`ccosim.sim.params.EpochParams.turnover`) draws its holder's
tenure when the holder comes into post, from an exponential distribution with the seat's mean
tenure (a constant monthly hazard ``1 - exp(-1 / mean)``). When the tenure is up the holder
leaves at the start of that month: the seat is empty (no pay), a search opens at once (its fee
is a one-time cost) and the next holder starts ``refill`` months later, with a tenure of their
own. While the seat is empty the structure switches to the effects of the org without that
leader (:class:`ccosim.sim.structure.Structure`), which fade over
``leadership.effects_decay_months`` and come back along the usual phase-in after the refill
(docs/model.md, "Executive turnover").

Tenures come from the replication's own stream per seat (``leader:UNIT_ID``), so a run is the
same on one worker or many, and two designs with the same seat see the same holders' luck.
"""

from __future__ import annotations

import math

import numpy as np

from ccosim.sim.params import ModelParams
from ccosim.sim.workforce import Workforce
from ccosim.streams import stream

__all__ = ["Leadership"]


class Leadership:
    """Holders of the seats with turnover: when each came into post and when each leaves.

    Args:
        params: Compiled parameters.
        seed: Root seed.
        replication: Replication index (selects the random streams).
        workforce: The workforce, whose heads in post the departures empty.
        rec: The ledger's monthly rows (``leader_departures`` is written).

    Attributes:
        departures: ``(month, unit id)`` of every holder who left, in order.
    """

    def __init__(
        self,
        params: ModelParams,
        seed: int,
        replication: int,
        workforce: Workforce,
        rec: dict[str, np.ndarray],
    ) -> None:
        self.workforce = workforce
        self.unit_ids = params.unit_ids
        self._seed, self._replication = seed, replication
        self._rec = rec
        self._leaves_at: dict[int, int] = {}  # slot -> month its holder leaves
        self._streams: dict[int, np.random.Generator] = {}
        self.departures: list[tuple[int, str]] = []
        self.on = any(e.turnover for e in params.epochs)

    def _tenure(self, slot: int, mean: float) -> int:
        """Whole months the next holder of ``slot`` stays (at least 1)."""
        rng = self._streams.get(slot)
        if rng is None:
            rng = self._streams[slot] = stream(
                self._seed, self._replication, f"leader:{self.unit_ids[slot]}"
            )
        return max(1, math.ceil(float(rng.exponential(mean))))

    def step(self, month: int) -> None:
        """Holders whose tenure is up leave; holders new in post draw their tenure."""
        if not self.on:
            return
        wf = self.workforce
        st = wf.state
        left = 0
        for slot, tenure, refill, fee in wf.epoch.turnover:
            need = wf.target[slot]
            in_post = need > 0 and st.filled[slot] >= 0.5 * need
            if not in_post:
                continue
            leaves = self._leaves_at.get(slot)
            if leaves is None:
                self._leaves_at[slot] = month + self._tenure(slot, tenure)
                continue
            if month < leaves:
                continue
            # The holder leaves: the seat is empty and the next holder starts after the refill.
            del self._leaves_at[slot]
            st.filled[slot] = 0.0
            st.hires[slot] = 0.0
            st.pipeline[slot] = 0.0
            st.pipeline[slot, month + max(1, round(refill))] = need
            st.pending[slot] = need
            wf.one_time[0] += fee
            self.departures.append((month, self.unit_ids[slot]))
            left += 1
        if left:
            self._rec["leader_departures"][month] = left
