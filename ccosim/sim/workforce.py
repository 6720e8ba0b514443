"""The workforce: headcount per unit, hiring toward a policy, time to fill, ramp, attrition.

All units are handled at once as arrays over unit slots. Headcount is a fluid quantity:
attrition removes the expected share of a unit every month (``1 - (1 - rate)^(1/12)``) and is
backfilled by requisitions that start after the time to fill; a new hire's productivity rises
linearly from 0 to 1 over the ramp. The workforce is therefore deterministic given the
accounts it serves: the randomness of a run lives in the customer base.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ccosim.sim.params import FUNCTIONS, POLICIES, EpochParams, ModelParams

__all__ = ["ONE_TIME_KINDS", "StaffPeriod", "StaffRules", "StaffState", "Workforce"]

#: Kinds of one-time cost an org change or a staffing policy incurs.
ONE_TIME_KINDS: tuple[str, ...] = ("search_fees", "severance")

_FIXED, _PLAN, _RATIO = (POLICIES.index(p) for p in POLICIES)
_EXTRA = 40  # months of pipeline beyond the horizon (longest time to fill is 36)


def _ramp_window(epoch: EpochParams) -> int:
    """Months of hires that are still ramping in an org period."""
    return int(np.ceil(epoch.ramp.max())) if epoch.ramp.size else 0


class StaffPeriod(NamedTuple):
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
    window: int  # months of ramp in this period
    ramp_weight: np.ndarray  # unit x age (oldest first): share of a hire not yet productive
    active: np.ndarray  # 1.0 for units of the period, else 0.0
    parent: np.ndarray  # manager slot of each unit (-1 for the root)
    span_limit: np.ndarray  # direct reports each manager position handles well
    shrink: np.ndarray  # 1.0 for ratio and plan units (their target can fall)
    table_key: np.ndarray  # function * (segments + 1) + segment + 1; managers in a last bin
    cost: np.ndarray  # loaded annual cost per head

    @classmethod
    def cached(cls, e: EpochParams, n_seg: int, columns: int) -> StaffPeriod:
        """:meth:`of`, computed once per period (kept in ``e.derived``; read-only)."""
        key = ("workforce period", n_seg, columns)
        period = e.derived.get(key)
        if period is None:
            period = e.derived[key] = cls.of(e, n_seg, columns)
        return period

    @classmethod
    def of(cls, e: EpochParams, n_seg: int, columns: int) -> StaffPeriod:
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
            parent=e.parent,
            span_limit=e.span_limit,
            shrink=(e.policy != _FIXED).astype(float),
            table_key=np.where(e.is_capacity, e.function * (n_seg + 1) + (e.segment + 1), cells),
            cost=e.cost,
        )


class StaffState(NamedTuple):
    """The workforce's arrays over unit slots (the staffing kernel updates them in place).

    Attributes:
        target: What the staffing policy asks for this month.
        filled: Heads in post (fluid).
        pending: Heads requisitioned and not yet started (the pipeline's row totals, kept as
            a running total).
        pipeline: Unit x month: requisitioned heads starting that month.
        pipeline_flat: The same array, flat (unit * columns + month).
        hires: Unit x month: hires of that month still ramping.
        need: Work buffer: the month's requisitions per unit.
        reports: Work buffer: heads in post reporting to each unit, then its span factor.
        moved_at: Month each unit last moved.
        table: Productive heads per (function, segment + 1) cell, flat; column 0 of a
            function is the units that serve every segment.
        effective: Productive heads per unit: filled less ramp deficit, times span and
            move-dip factors.
        gap: Heads the policy asks for and not in post, per unit.
    """

    target: np.ndarray
    filled: np.ndarray
    pending: np.ndarray
    pipeline: np.ndarray
    pipeline_flat: np.ndarray
    hires: np.ndarray
    need: np.ndarray
    reports: np.ndarray
    moved_at: np.ndarray
    table: np.ndarray
    effective: np.ndarray
    gap: np.ndarray


class StaffRules(NamedTuple):
    """The scenario's staffing rules, fixed for a replication.

    Attributes:
        max_window: Months of hires that can still be ramping in any period.
        span_on: Whether the span-of-control effect acts.
        span_penalty: Share of a head lost for each report beyond a manager's limit.
        span_floor: Least effectiveness of an over-span manager's team.
        layoffs: Whether heads in post above a shrinking target are laid off.
        dip_months: Months a move's productivity dip lasts.
        move_dip: Productivity lost at the move (falling linearly to 0).
        spike_months: Months a moved unit's extra attrition lasts.
        spike_keep: Share a moved unit keeps each month of the spike (on top of attrition).
    """

    max_window: int
    span_on: bool
    span_penalty: float
    span_floor: float
    layoffs: bool
    dip_months: int
    move_dip: float
    spike_months: float
    spike_keep: float


class Workforce:
    """Headcount state of every unit slot: the workforce-and-staffing mechanism.

    Attributes:
        state: The arrays over unit slots (:class:`StaffState`).
        epoch: The org period in force.
        period: Its staffing figures (:class:`StaffPeriod`).
        table: Productive heads of front-line units by (function, segment + 1); column 0 is
            the units that serve every segment (a view of ``state.table``).
        heads: Productive heads of each function's front-line units, all segments.
        totals: Heads in post, target and gap over the period's units, as of the last step.
        one_time: One-time costs of the month so far, by kind in ONE_TIME_KINDS order.
    """

    def __init__(self, params: ModelParams) -> None:
        # numba takes ~0.4 s to import: it loads when a model first runs, not with the
        # package, which every CLI command imports.
        from ccosim.sim import kernels

        kernels.bind(self, "_staff", kernels.staff)
        kernels.bind(self, "_ratio_targets", kernels.ratio_targets)
        kernels.bind(self, "_roll_up", kernels.roll_up)
        n = len(params.unit_ids)
        months = params.horizon_months
        self.assumptions = a = params.assumptions
        self.n_seg = params.segments.acv.size
        pipeline = np.zeros((n, months + _EXTRA))
        table = np.zeros((len(FUNCTIONS), self.n_seg + 1))
        self.table = table
        self.state = StaffState(
            target=np.zeros(n),
            filled=params.initial_filled.copy(),
            pending=np.zeros(n),
            pipeline=pipeline,
            pipeline_flat=pipeline.reshape(-1),  # a view: unit * columns + month
            hires=np.zeros((n, months + _EXTRA)),
            need=np.zeros(n),
            reports=np.zeros(n),
            moved_at=np.full(n, -(10**6), dtype=np.int64),
            table=table.reshape(-1),  # a view
            effective=np.zeros(n),
            gap=np.zeros(n),
        )
        self.last_move = -(10**6)
        w, t = a.workforce, a.transition
        self.rules = StaffRules(
            # Hires older than the longest ramp of any period are never read again.
            max_window=max(_ramp_window(e) for e in params.epochs),
            span_on=bool(a.org_effects and a.effects.span_of_control),
            span_penalty=float(a.span.overload_penalty),
            span_floor=float(a.span.min_effectiveness),
            layoffs=bool(w.layoffs),
            dip_months=w.move_dip_months,
            move_dip=float(w.move_dip),
            spike_months=t.reorg_attrition_months,
            spike_keep=(1 - t.reorg_attrition) ** (1 / 12),
        )
        self.epoch: EpochParams = params.epochs[0]
        self.period = StaffPeriod.cached(self.epoch, self.n_seg, pipeline.shape[1])
        self.heads = [0.0] * len(FUNCTIONS)
        self._costs = np.zeros(len(FUNCTIONS))
        self.totals = (0.0, 0.0, 0.0)
        self.one_time = np.zeros(len(ONE_TIME_KINDS))

    @property
    def filled(self) -> np.ndarray:
        """Heads in post per unit (fluid)."""
        return self.state.filled

    @property
    def pending(self) -> np.ndarray:
        """Heads requisitioned and not yet started, per unit."""
        return self.state.pending

    @property
    def pipeline(self) -> np.ndarray:
        """Unit x month: requisitioned heads starting that month."""
        return self.state.pipeline

    @property
    def target(self) -> np.ndarray:
        """What each unit's staffing policy asks for this month."""
        return self.state.target

    def apply_changes(self, epoch: EpochParams, month: int) -> None:
        """Start an org period: add, remove, move or resize units as the timeline says.

        One-time costs of the change (search fees, severance) are added to
        :attr:`one_time` for the month close to record.
        """
        old_cost = self.epoch.cost
        severance = self.assumptions.transition.severance_months / 12
        st = self.state
        self.epoch = epoch
        self.period = StaffPeriod.cached(epoch, self.n_seg, st.pipeline.shape[1])
        for action, slot, value in epoch.changes:
            if action == "search_fee":
                self.one_time[0] += value
            elif action in ("add", "remove"):
                if action == "remove":
                    self.one_time[1] += st.filled[slot] * old_cost[slot] * severance
                st.filled[slot] = value
                st.pipeline[slot] = 0.0
                st.pending[slot] = 0.0
                st.hires[slot] = 0.0
            elif action == "move":
                st.moved_at[slot] = month
                self.last_move = max(self.last_move, month)
            elif action == "set_headcount" and st.filled[slot] > value:
                self.one_time[1] += (st.filled[slot] - value) * old_cost[slot] * severance
                share = value / st.filled[slot] if st.filled[slot] > 0 else 0.0
                st.filled[slot] = value
                st.hires[slot] *= share
                st.pipeline[slot, month:] = 0.0
                st.pending[slot] = 0.0

    def _targets(self, month: int, drivers: np.ndarray) -> None:
        """This month's targets into ``state.target``."""
        c = self.period
        base = c.base_target[min(month // 12, c.base_target.shape[0] - 1)]
        if not c.ratio_units.size:
            self.state.target[:] = base
            return
        self._ratio_targets(
            base,
            drivers,
            c.ratio_units,
            c.ratio_cell,
            c.ratio_per_head,
            c.ratio_floor,
            self.state.target,
        )

    def step(self, month: int, drivers: np.ndarray) -> None:
        """One month: starts, attrition, new requisitions, and productive heads.

        Args:
            month: The month.
            drivers: Driver x segment values for the ratio policies, rows in ``DRIVERS``
                order (``accounts``, ``arr``, ``new_accounts`` a year, ``renewals`` a year).
        """
        self._targets(month, drivers)
        a = self.assumptions
        w, t = a.workforce, a.transition
        since_move = month - self.last_move
        st = self.state
        laid_off = self._staff(
            month,
            st,
            self.period,
            self.rules,
            bool(w.move_dip_months > 0 and since_move < w.move_dip_months),
            bool(t.reorg_attrition > 0 and since_move < t.reorg_attrition_months),
        )
        e = self.epoch
        heads, self._costs, *totals = self._roll_up(
            self.table, st.filled, e.cost, e.function, st.target, st.gap, self.period.active
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
