"""The workforce: headcount per unit, hiring toward a policy, time to fill, ramp, attrition.

All units are handled at once as arrays over unit slots. Headcount is a fluid quantity:
attrition removes the expected share of a unit every month (``1 - (1 - rate)^(1/12)``) and is
backfilled by requisitions that start after the time to fill; a new hire's productivity rises
linearly from 0 to 1 over the ramp. The workforce is therefore deterministic given the
accounts it serves: the randomness of a run lives in the customer base.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccosim.sim.params import DRIVERS, FUNCTIONS, POLICIES, EpochParams, ModelParams

__all__ = ["Workforce"]

_FIXED, _PLAN, _RATIO = (POLICIES.index(p) for p in POLICIES)
_EXTRA = 40  # months of pipeline beyond the horizon (longest time to fill is 36)


def _ramp_window(epoch: EpochParams) -> int:
    """Months of hires that are still ramping in an org period."""
    return int(np.ceil(epoch.ramp.max())) if epoch.ramp.size else 0


@dataclass(frozen=True)
class _Period:
    """What a month of the workforce needs from an org period, computed once per period."""

    keep_share: np.ndarray  # 1 - monthly attrition share (1 for units outside the period)
    inactive: np.ndarray  # unit slots outside the period
    plan_units: np.ndarray
    ratio_units: np.ndarray
    ratio_driver: np.ndarray
    ratio_column: np.ndarray  # driver segment, or the last column (all segments)
    ratio_per_head: np.ndarray
    lag: np.ndarray  # time to fill in whole months
    window: int
    ramp_weight: np.ndarray  # unit x age (oldest first): share of a hire not yet productive
    table_key: np.ndarray  # function * (segments + 1) + segment + 1
    cost: np.ndarray

    @classmethod
    def of(cls, e: EpochParams, n_seg: int) -> _Period:
        """Index an org period."""
        ratio = np.flatnonzero(e.policy == _RATIO)
        window = _ramp_window(e)
        ages = np.arange(window - 1, -1, -1)
        ramp = np.maximum(e.ramp, 1e-9)[:, None]
        weight = np.clip(1 - ages[None, :] / ramp, 0.0, 1.0)
        weight = np.where(e.ramp[:, None] > 0, weight, 0.0)
        seg = e.driver_segment[ratio]
        return cls(
            keep_share=1 - np.where(e.active, 1 - (1 - e.attrition) ** (1 / 12), 0.0),
            inactive=np.flatnonzero(~e.active),
            plan_units=np.flatnonzero(e.policy == _PLAN),
            ratio_units=ratio,
            ratio_driver=e.driver[ratio],
            ratio_column=np.where(seg >= 0, seg, n_seg),
            ratio_per_head=e.per_head[ratio],
            lag=np.rint(e.time_to_fill).astype(np.int64),
            window=window,
            ramp_weight=weight,
            table_key=e.function * (n_seg + 1) + (e.segment + 1),
            cost=e.cost,
        )


class Workforce:
    """Headcount state of every unit slot.

    Attributes:
        filled: Heads in post (fluid).
        target: What the staffing policy asks for this month.
        effective: Productive heads: filled less ramp deficit, times span and move-dip factors.
        table: Productive heads of front-line units by (function, segment + 1); column 0 is
            the units that serve every segment.
        heads: Productive heads of each function's front-line units, all segments.
    """

    def __init__(self, params: ModelParams) -> None:
        n = len(params.unit_ids)
        months = params.horizon_months
        self.params = params
        self.n_seg = params.segments.acv.size
        self.filled = params.initial_filled.copy()
        self.pipeline = np.zeros((n, months + _EXTRA))
        self.hires = np.zeros((n, months + _EXTRA))
        self.moved_at = np.full(n, -(10**6), dtype=np.int64)
        self.last_move = -(10**6)
        self.target = np.zeros(n)
        self.effective = np.zeros(n)
        self.gap = np.zeros(n)
        # Hires older than the longest ramp of any period are never read again.
        self.max_window = max(_ramp_window(e) for e in params.epochs)
        self.epoch: EpochParams = params.epochs[0]
        self.period = _Period.of(self.epoch, self.n_seg)
        self.table = np.zeros((len(FUNCTIONS), self.n_seg + 1))
        self.heads = [0.0] * len(FUNCTIONS)

    def apply_changes(self, epoch: EpochParams, month: int) -> None:
        """Start an org period: add, remove, move or resize units as the timeline says."""
        self.epoch = epoch
        self.period = _Period.of(epoch, self.n_seg)
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
                self.last_move = max(self.last_move, month)
            elif action == "set_headcount" and self.filled[slot] > value:
                share = value / self.filled[slot] if self.filled[slot] > 0 else 0.0
                self.filled[slot] = value
                self.hires[slot] *= share
                self.pipeline[slot, month:] = 0.0

    def _targets(self, month: int, drivers: dict[str, np.ndarray]) -> np.ndarray:
        e, c = self.epoch, self.period
        year = min(month // 12, e.plan.shape[1] - 1)
        target = e.target.copy()
        target[c.plan_units] = e.plan[c.plan_units, year]
        if c.ratio_units.size:
            # driver x segment, and a last column with the whole company.
            values = np.empty((len(DRIVERS), self.n_seg + 1))
            for i, d in enumerate(DRIVERS):
                values[i, :-1] = drivers[d]
            values[:, -1] = values[:, :-1].sum(axis=1)
            amount = values[c.ratio_driver, c.ratio_column]
            target[c.ratio_units] = np.ceil(amount / c.ratio_per_head - 1e-9)
        np.maximum(target, e.min_headcount, out=target)
        target[c.inactive] = 0.0
        return target

    def step(self, month: int, drivers: dict[str, np.ndarray]) -> None:
        """One month: starts, attrition, new requisitions, and productive heads.

        Args:
            month: The month.
            drivers: Per-segment arrays for the ratio policies (``accounts``, ``arr``,
                ``new_accounts`` a year, ``renewals`` a year).
        """
        e, c = self.epoch, self.period
        starts = self.pipeline[:, month]
        self.filled += starts
        self.hires[:, month] += starts
        self.filled *= c.keep_share
        lo = max(0, month - self.max_window + 1)
        self.hires[:, lo : month + 1] *= c.keep_share[:, None]
        self.filled[c.inactive] = 0.0
        self.target = self._targets(month, drivers)
        pending = self.pipeline[:, month + 1 :].sum(axis=1)
        need = self.target - self.filled - pending
        hire = np.flatnonzero(need > 1e-9)
        if hire.size:
            lag = c.lag[hire]
            now = hire[lag == 0]
            self.filled[now] += need[now]
            self.hires[now, month] += need[now]
            later = lag > 0
            self.pipeline[hire[later], month + lag[later]] += need[hire[later]]
        self.gap = np.maximum(self.target - self.filled, 0.0)
        # Ramp: a hire of age a months gives min(1, a / ramp) of a head.
        effective = self.filled.copy()
        if c.window > 0:
            lo = max(0, month - c.window + 1)
            weight = c.ramp_weight[:, c.window - (month + 1 - lo) :]
            effective -= np.einsum("ij,ij->i", self.hires[:, lo : month + 1], weight)
            np.maximum(effective, 0.0, out=effective)
        effective *= e.effects.span_factor
        dip_months = self.params.assumptions.workforce.move_dip_months
        if dip_months > 0 and month - self.last_move < dip_months:
            since = month - self.moved_at
            dip = self.params.assumptions.workforce.move_dip * np.clip(
                1 - since / dip_months, 0.0, 1.0
            )
            effective *= 1 - dip
        effective[c.inactive] = 0.0
        self.effective = effective
        weights = np.where(e.is_capacity, effective, 0.0)
        table = np.bincount(
            c.table_key, weights=weights, minlength=len(FUNCTIONS) * (self.n_seg + 1)
        )
        self.table = table.reshape(len(FUNCTIONS), self.n_seg + 1)
        self.heads = (self.table[:, 1:].sum(axis=1) + self.table[:, 0]).tolist()

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
