"""The workforce: headcount per unit, hiring toward a policy, time to fill, ramp, attrition.

All units are handled at once as arrays over unit slots. Headcount is a fluid quantity:
attrition removes the expected share of a unit every month (``1 - (1 - rate)^(1/12)``) and is
backfilled by requisitions that start after the time to fill; a new hire's productivity rises
linearly from 0 to 1 over the ramp. The workforce is therefore deterministic given the
accounts it serves: the randomness of a run lives in the customer base.
"""

from __future__ import annotations

import numpy as np

from ccosim.sim.params import DRIVERS, FUNCTIONS, POLICIES, EpochParams, ModelParams

__all__ = ["Workforce"]

_FIXED, _PLAN, _RATIO = (POLICIES.index(p) for p in POLICIES)
_EXTRA = 40  # months of pipeline beyond the horizon (longest time to fill is 36)


class Workforce:
    """Headcount state of every unit slot.

    Attributes:
        filled: Heads in post (fluid).
        target: What the staffing policy asks for this month.
        effective: Productive heads: filled less ramp deficit, times span and move-dip factors.
    """

    def __init__(self, params: ModelParams) -> None:
        n = len(params.unit_ids)
        months = params.horizon_months
        self.params = params
        self.filled = params.initial_filled.copy()
        self.pipeline = np.zeros((n, months + _EXTRA))
        self.hires = np.zeros((n, months + _EXTRA))
        self.moved_at = np.full(n, -(10**6), dtype=np.int64)
        self.target = np.zeros(n)
        self.effective = np.zeros(n)
        self.gap = np.zeros(n)
        self.epoch: EpochParams = params.epochs[0]
        self.table = np.zeros((len(FUNCTIONS), params.segments.acv.size + 1))

    def apply_changes(self, epoch: EpochParams, month: int) -> None:
        """Start an org period: add, remove, move or resize units as the timeline says."""
        self.epoch = epoch
        for action, slot, value in epoch.changes:
            if action == "add":
                self.filled[slot] = value
                self.pipeline[slot] = 0.0
                self.hires[slot] = 0.0
            elif action == "remove":
                self.filled[slot] = 0.0
                self.pipeline[slot] = 0.0
                self.hires[slot] = 0.0
            elif action == "move":
                self.moved_at[slot] = month
            elif action == "set_headcount" and self.filled[slot] > value:
                share = value / self.filled[slot] if self.filled[slot] > 0 else 0.0
                self.filled[slot] = value
                self.hires[slot] *= share
                self.pipeline[slot, month:] = 0.0

    def _targets(self, month: int, drivers: dict[str, np.ndarray]) -> np.ndarray:
        e = self.epoch
        year = min(month // 12, e.plan.shape[1] - 1)
        target = e.target.copy()
        plan = e.policy == _PLAN
        target[plan] = e.plan[plan, year]
        ratio = e.policy == _RATIO
        if ratio.any():
            values = np.stack([drivers[d] for d in DRIVERS])  # driver x segment
            whole = values.sum(axis=1)
            seg = e.driver_segment
            amount = np.where(seg >= 0, values[e.driver, np.maximum(seg, 0)], whole[e.driver])
            target[ratio] = np.ceil(amount[ratio] / e.per_head[ratio] - 1e-9)
        return np.where(e.active, np.maximum(target, e.min_headcount), 0.0)

    def step(self, month: int, drivers: dict[str, np.ndarray]) -> None:
        """One month: starts, attrition, new requisitions, and productive heads.

        Args:
            month: The month.
            drivers: Per-segment arrays for the ratio policies (``accounts``, ``arr``,
                ``new_accounts`` a year, ``renewals`` a year).
        """
        e = self.epoch
        starts = self.pipeline[:, month]
        self.filled += starts
        self.hires[:, month] += starts
        leave_share = np.where(e.active, 1 - (1 - e.attrition) ** (1 / 12), 0.0)
        self.filled *= 1 - leave_share
        self.hires[:, : month + 1] *= (1 - leave_share)[:, None]
        self.filled[~e.active] = 0.0
        self.target = self._targets(month, drivers)
        pending = self.pipeline[:, month + 1 :].sum(axis=1)
        need = self.target - self.filled - pending
        hire = np.flatnonzero(need > 1e-9)
        if hire.size:
            lag = np.rint(e.time_to_fill[hire]).astype(np.int64)
            now = hire[lag == 0]
            self.filled[now] += need[now]
            self.hires[now, month] += need[now]
            later = lag > 0
            self.pipeline[hire[later], month + lag[later]] += need[hire[later]]
        self.gap = np.maximum(self.target - self.filled, 0.0)
        # Ramp: a hire of age a months gives min(1, a / ramp) of a head.
        window = int(np.ceil(e.ramp.max())) if e.ramp.size else 0
        deficit = np.zeros_like(self.filled)
        if window > 0:
            lo = max(0, month - window + 1)
            ages = month - np.arange(lo, month + 1)
            ramp = np.maximum(e.ramp, 1e-9)[:, None]
            weight = np.clip(1 - ages[None, :] / ramp, 0.0, 1.0)
            weight = np.where(e.ramp[:, None] > 0, weight, 0.0)
            deficit = (self.hires[:, lo : month + 1] * weight).sum(axis=1)
        dip_months = self.params.assumptions.workforce.move_dip_months
        since = month - self.moved_at
        if dip_months > 0:
            dip = self.params.assumptions.workforce.move_dip * np.clip(
                1 - since / dip_months, 0.0, 1.0
            )
        else:
            dip = np.zeros_like(self.filled)
        self.effective = np.maximum(self.filled - deficit, 0.0) * e.effects.span_factor * (1 - dip)
        self.effective[~e.active] = 0.0
        # Productive heads of front-line units by (function, segment + 1); column 0 = all.
        n_seg = self.params.segments.acv.size
        key = e.function * (n_seg + 1) + (e.segment + 1)
        weights = np.where(e.is_capacity, self.effective, 0.0)
        self.table = np.bincount(key, weights=weights, minlength=len(FUNCTIONS) * (n_seg + 1))
        self.table = self.table.reshape(len(FUNCTIONS), n_seg + 1)

    def capacity(self, function: int, segments: int) -> tuple[np.ndarray, float]:
        """Productive heads of a function's front-line units.

        Returns:
            (per-segment heads of units dedicated to a segment, heads serving all segments).
        """
        row = self.table[function]
        return row[1 : segments + 1], float(row[0])

    def has_function(self, function: int) -> bool:
        """True if any active unit of this period does the function."""
        e = self.epoch
        return bool(np.any(e.active & (e.function == function)))

    def cost_by_function(self) -> np.ndarray:
        """Monthly loaded cost per function code."""
        e = self.epoch
        return np.bincount(
            e.function, weights=self.filled * e.cost / 12.0, minlength=len(FUNCTIONS)
        )
