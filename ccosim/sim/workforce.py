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

from ccosim.sim.params import FUNCTIONS, POLICIES, EpochParams, ModelParams

__all__ = ["ONE_TIME_KINDS", "Workforce"]

#: Kinds of one-time cost an org change or a staffing policy incurs.
ONE_TIME_KINDS: tuple[str, ...] = ("search_fees", "severance")

_FIXED, _PLAN, _RATIO = (POLICIES.index(p) for p in POLICIES)
_EXTRA = 40  # months of pipeline beyond the horizon (longest time to fill is 36)


def _ramp_window(epoch: EpochParams) -> int:
    """Months of hires that are still ramping in an org period."""
    return int(np.ceil(epoch.ramp.max())) if epoch.ramp.size else 0


@dataclass(frozen=True)
class _Period:
    """What a month of the workforce needs from an org period, computed once per period."""

    keep_share: np.ndarray  # 1 - monthly attrition share (1 for units outside the period)
    keep_filled: np.ndarray  # keep_share, 0 for units outside the period (no one in post)
    base_target: np.ndarray  # year x unit: fixed and plan targets, floored; 0 when inactive
    ratio_units: np.ndarray  # active units staffed by ratio
    ratio_cell: np.ndarray  # driver * (segments + 1) + (driver segment, or segments for all)
    ratio_per_head: np.ndarray
    ratio_floor: np.ndarray  # min_headcount of the ratio units
    hire_now: np.ndarray  # 1.0 for units hired without delay, else 0.0
    later_units: np.ndarray  # units with a time to fill
    later_cell: np.ndarray  # where their requisitions of month 0 start in the flat pipeline
    window: int
    ramp_weight: np.ndarray  # unit x age (oldest first): share of a hire not yet productive
    active: np.ndarray  # 1.0 for units of the period, else 0.0
    span_limit: np.ndarray
    shrink: np.ndarray  # 1.0 for ratio and plan units (their target can fall)
    table_key: np.ndarray  # function * (segments + 1) + segment + 1; managers in a last bin
    cost: np.ndarray

    @classmethod
    def cached(cls, e: EpochParams, n_seg: int, columns: int) -> _Period:
        """:meth:`of`, computed once per period (kept in ``e.derived``; read-only)."""
        key = ("workforce period", n_seg, columns)
        period = e.derived.get(key)
        if period is None:
            period = e.derived[key] = cls.of(e, n_seg, columns)
        return period

    @classmethod
    def of(cls, e: EpochParams, n_seg: int, columns: int) -> _Period:
        """Index an org period whose pipeline has ``columns`` months."""
        ratio = np.flatnonzero((e.policy == _RATIO) & e.active)
        window = _ramp_window(e)
        ages = np.arange(window - 1, -1, -1)
        ramp = np.maximum(e.ramp, 1e-9)[:, None]
        weight = np.clip(1 - ages[None, :] / ramp, 0.0, 1.0)
        weight = np.where(e.ramp[:, None] > 0, weight, 0.0)
        seg = e.driver_segment[ratio]
        keep_share = 1 - np.where(e.active, 1 - (1 - e.attrition) ** (1 / 12), 0.0)
        plan_units = np.flatnonzero(e.policy == _PLAN)
        base_target = np.repeat(e.target[None, :], max(e.plan.shape[1], 1), axis=0)
        base_target[:, plan_units] = e.plan[plan_units].T
        np.maximum(base_target, e.min_headcount, out=base_target)
        base_target[:, ~e.active] = 0.0
        lag = np.rint(e.time_to_fill).astype(np.int64)
        later = np.flatnonzero(lag > 0)
        cells = len(FUNCTIONS) * (n_seg + 1)
        return cls(
            keep_share=keep_share,
            keep_filled=np.where(e.active, keep_share, 0.0),
            base_target=base_target,
            ratio_units=ratio,
            ratio_cell=e.driver[ratio] * (n_seg + 1) + np.where(seg >= 0, seg, n_seg),
            ratio_per_head=e.per_head[ratio],
            ratio_floor=e.min_headcount[ratio],
            hire_now=(lag == 0).astype(float),
            later_units=later,
            later_cell=later * columns + lag[later],
            window=window,
            ramp_weight=weight,
            active=e.active.astype(float),
            span_limit=e.span_limit,
            shrink=(e.policy != _FIXED).astype(float),
            table_key=np.where(e.is_capacity, e.function * (n_seg + 1) + (e.segment + 1), cells),
            cost=e.cost,
        )


class Workforce:
    """Headcount state of every unit slot.

    Attributes:
        filled: Heads in post (fluid).
        pending: Heads requisitioned and not yet started (the pipeline's row totals, kept as
            a running total).
        target: What the staffing policy asks for this month.
        effective: Productive heads: filled less ramp deficit, times span and move-dip factors.
        table: Productive heads of front-line units by (function, segment + 1); column 0 is
            the units that serve every segment.
        heads: Productive heads of each function's front-line units, all segments.
    """

    def __init__(self, params: ModelParams) -> None:
        # Imported here, not with the package (see ccosim.sim.model.Engine).
        from ccosim.sim import kernels

        self.kernels = kernels
        n = len(params.unit_ids)
        months = params.horizon_months
        self.params = params
        self.n_seg = params.segments.acv.size
        self.filled = params.initial_filled.copy()
        self.pipeline = np.zeros((n, months + _EXTRA))
        self._pipeline_flat = self.pipeline.reshape(-1)  # a view: unit * columns + month
        self.pending = np.zeros(n)
        self.hires = np.zeros((n, months + _EXTRA))
        self.moved_at = np.full(n, -(10**6), dtype=np.int64)
        self.last_move = -(10**6)
        self.target = np.zeros(n)
        self.effective = np.zeros(n)
        self.gap = np.zeros(n)
        # Hires older than the longest ramp of any period are never read again.
        self.max_window = max(_ramp_window(e) for e in params.epochs)
        self.epoch: EpochParams = params.epochs[0]
        self.period = _Period.cached(self.epoch, self.n_seg, self.pipeline.shape[1])
        self.table = np.zeros((len(FUNCTIONS), self.n_seg + 1))
        self._table_flat = self.table.reshape(-1)  # a view
        self._need = np.zeros(n)
        self._reports = np.zeros(n)
        a = params.assumptions
        self._span_on = bool(a.org_effects and a.effects.span_of_control)
        self.heads = [0.0] * len(FUNCTIONS)
        self._costs = np.zeros(len(FUNCTIONS))
        #: Heads in post, target and gap over the period's units, as of the last step.
        self.totals = (0.0, 0.0, 0.0)
        #: One-time costs of the month so far, by kind in ONE_TIME_KINDS order.
        self.one_time = np.zeros(len(ONE_TIME_KINDS))

    def apply_changes(self, epoch: EpochParams, month: int) -> None:
        """Start an org period: add, remove, move or resize units as the timeline says.

        One-time costs of the change (search fees, severance) are added to
        :attr:`one_time` for the month close to record.
        """
        old_cost = self.epoch.cost
        severance = self.params.assumptions.transition.severance_months / 12
        self.epoch = epoch
        self.period = _Period.cached(epoch, self.n_seg, self.pipeline.shape[1])
        for action, slot, value in epoch.changes:
            if action == "search_fee":
                self.one_time[0] += value
            elif action == "add":
                self.filled[slot] = value
                self.pipeline[slot] = 0.0
                self.pending[slot] = 0.0
                self.hires[slot] = 0.0
            elif action == "remove":
                self.one_time[1] += self.filled[slot] * old_cost[slot] * severance
                self.filled[slot] = 0.0
                self.pipeline[slot] = 0.0
                self.pending[slot] = 0.0
                self.hires[slot] = 0.0
            elif action == "move":
                self.moved_at[slot] = month
                self.last_move = max(self.last_move, month)
            elif action == "set_headcount" and self.filled[slot] > value:
                self.one_time[1] += (self.filled[slot] - value) * old_cost[slot] * severance
                share = value / self.filled[slot] if self.filled[slot] > 0 else 0.0
                self.filled[slot] = value
                self.hires[slot] *= share
                self.pipeline[slot, month:] = 0.0
                self.pending[slot] = 0.0

    def _targets(self, month: int, drivers: np.ndarray) -> np.ndarray:
        c = self.period
        base = c.base_target[min(month // 12, c.base_target.shape[0] - 1)]
        if not c.ratio_units.size:
            return base.copy()
        target = np.empty_like(base)
        self.kernels.ratio_targets(
            base,
            drivers,
            c.ratio_units,
            c.ratio_cell,
            c.ratio_per_head,
            c.ratio_floor,
            target,
        )
        return target

    def step(self, month: int, drivers: np.ndarray) -> None:
        """One month: starts, attrition, new requisitions, and productive heads.

        Args:
            month: The month.
            drivers: Driver x segment values for the ratio policies, rows in ``DRIVERS``
                order (``accounts``, ``arr``, ``new_accounts`` a year, ``renewals`` a year).
        """
        c = self.period
        self.target = target = self._targets(month, drivers)
        a = self.params.assumptions
        w, t = a.workforce, a.transition
        laid_off = self.kernels.staff(
            month,
            target,
            self.filled,
            self.pending,
            self.pipeline,
            self._pipeline_flat,
            self.hires,
            self.max_window,
            c.keep_filled,
            c.keep_share,
            c.hire_now,
            c.later_units,
            c.later_cell,
            self._need,
            c.window,
            c.ramp_weight,
            c.active,
            self.epoch.parent,
            c.span_limit,
            self._span_on,
            a.span.overload_penalty,
            a.span.min_effectiveness,
            self._reports,
            c.shrink,
            w.layoffs,
            c.cost,
            w.move_dip_months > 0 and month - self.last_move < w.move_dip_months,
            self.moved_at,
            w.move_dip_months,
            w.move_dip,
            t.reorg_attrition > 0 and month - self.last_move < t.reorg_attrition_months,
            t.reorg_attrition_months,
            (1 - t.reorg_attrition) ** (1 / 12),
            c.table_key,
            self._table_flat,
            self.effective,
            self.gap,
        )
        e = self.epoch
        heads, self._costs, *totals = self.kernels.roll_up(
            self.table, self.filled, e.cost, e.function, target, self.gap, c.active
        )
        self.heads = heads.tolist()
        self.totals = tuple(totals)
        if laid_off > 0:
            self.one_time[1] += laid_off * t.severance_months / 12

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
        """Monthly loaded cost per function code (heads in post, as of the last step)."""
        return self._costs
