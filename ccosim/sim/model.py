"""The engine: SimPy is the calendar, numpy arrays hold the accounts.

One replication is one SimPy environment with two processes: the org changes, which wake at
the start of the months a timeline period begins, and the month's cycle, which wakes once a
month after them (at 0.1) and runs the month's steps in an order that never changes:

====== ================================================================================
step   what happens
====== ================================================================================
0      org changes (timeline periods begin; their own process)
1      workforce: starts, attrition, requisitions, productive heads
2      acquisition: new-logo prospects closed by sales capacity, fit review
3      service cycle: every function's capacity against demand, onboarding queue,
       training, health update
4      renewals falling due (churn, contraction, expansion), worked by renewal reps
5      mid-term upsell leads from CS, converted with the reps' spare capacity
6      month close: ARR, health bands, costs, revenue
7      quarter close (every third month): quota attainment
8      year close (every twelfth month): GRR, NRR, logo retention over the year's cohort
====== ================================================================================

Inside each step the work over accounts and units is one compiled loop each
(:mod:`ccosim.sim.kernels`, numba) over the book's arrays; what is left here is the month's
bookkeeping over a few segments and functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from ccosim import kpis, metrics
from ccosim.functions import DELIVERY as DELIVERY_FUNCTIONS
from ccosim.sim.accounts import AccountBook
from ccosim.sim.draws import UINT32_SPAN, normal_levels, scaled_normal_table, uniform_bits
from ccosim.sim.functions import professional_services, support
from ccosim.sim.org_effects import OrgEffectParams, phase_in, phase_weight
from ccosim.sim.params import DRIVERS, FUNCTIONS, EpochParams, ModelParams, fcode
from ccosim.sim.workforce import ONE_TIME_KINDS, Workforce

__all__ = ["MONTHLY", "SEGMENT_KPIS", "Engine", "OrgView", "run_replication"]

CS, SUPPORT, ONBOARDING = fcode("customer_success"), fcode("support"), fcode("onboarding")
TRAINING, PS = fcode("training"), fcode("professional_services")
RENEWALS, CM = fcode("renewals"), fcode("customer_marketing")
SC, SALES = fcode("sales_consulting"), fcode("new_business_sales")
MARKETING = fcode("marketing")
#: Functions whose cost is cost of revenue (delivery), in the order they are summed.
DELIVERY = tuple(fcode(f) for f in DELIVERY_FUNCTIONS)
WORKING_DAYS = 21.7

#: Monthly measures recorded by every replication (one tidy row each per month): the
#: catalogue's, in its order.
MONTHLY: tuple[str, ...] = kpis.MONTHLY


# The cost rows are consecutive: one slice of the series per month.
_COST_ROWS = slice(MONTHLY.index(f"cost_{FUNCTIONS[0]}"), len(MONTHLY))
assert MONTHLY[_COST_ROWS] == tuple(f"cost_{f}" for f in FUNCTIONS)

#: How each yearly KPI is made from the months (summed, averaged, last month): the catalogue's.
YEAR_SUMS, YEAR_MEANS, YEAR_ENDS = kpis.YEAR_SUMS, kpis.YEAR_MEANS, kpis.YEAR_ENDS
#: Yearly KPIs of each segment (``Results.segments``): the catalogue's list.
SEGMENT_KPIS: tuple[str, ...] = kpis.SEGMENT_KPIS
#: ``x.sum()`` without the method's Python wrapper (the same ufunc reduction): the month's
#: small sums are called often enough for the wrapper to show.
_sum = np.add.reduce
_SUM_ROWS = np.array([MONTHLY.index(k) for k in YEAR_SUMS])
_MEAN_ROWS = np.array([MONTHLY.index(k) for k in YEAR_MEANS])


@dataclass(frozen=True)
class OrgView:
    """Unit slots the engine reads every month, found once per org period.

    Attributes:
        quota_units: Capacity units of new-business sales dedicated to a segment (the
            carriers of the new-business quota, active or not, as the quota is booked).
        quota_segment: The segment of each of ``quota_units``.
        ae_segments: Segments with an active dedicated account-executive unit, ascending.
        capacity_units: Per function code, its capacity (non-manager) units.
    """

    quota_units: np.ndarray
    quota_segment: np.ndarray
    ae_segments: tuple[int, ...]
    capacity_units: tuple[np.ndarray, ...]

    @classmethod
    def of(cls, epoch: EpochParams) -> OrgView:
        """Index the units of one org period (once per period: kept in ``epoch.derived``)."""
        view = epoch.derived.get("view")
        if view is None:
            view = epoch.derived["view"] = cls._index(epoch)
        return view

    @classmethod
    def _index(cls, epoch: EpochParams) -> OrgView:
        e = epoch
        quota = (e.function == SALES) & e.is_capacity & (e.segment >= 0)
        units = np.flatnonzero(quota)
        ae = np.unique(e.segment[quota & e.active])
        return cls(
            quota_units=units,
            quota_segment=e.segment[units],
            ae_segments=tuple(int(s) for s in ae),
            capacity_units=tuple(
                np.flatnonzero(e.is_capacity & (e.function == f)) for f in range(len(FUNCTIONS))
            ),
        )


class Engine:
    """One replication of one scenario.

    Args:
        params: Compiled parameters (:func:`ccosim.sim.params.compile_params`).
        seed: Root seed.
        replication: Replication index (selects the random streams).
    """

    def __init__(self, params: ModelParams, seed: int, replication: int) -> None:
        # Imported here, not with the package: numba takes ~0.4 s to import, which every
        # CLI command would pay; the compiled kernels load from their cache after the first run.
        from ccosim.sim import kernels

        self.kernels = kernels
        self.p = params
        self.a = params.assumptions
        self.months = params.horizon_months
        self.book = AccountBook(params, seed, replication)
        self.wf = Workforce(params)
        self.view = OrgView.of(self.wf.epoch)
        self.env = simpy.Environment()
        self.n_seg = len(params.segments.names)
        #: Monthly measures, one row each (in MONTHLY order); rec names the rows.
        self.series = np.full((len(MONTHLY), self.months), np.nan)
        self.rec: dict[str, np.ndarray] = dict(zip(MONTHLY, self.series, strict=True))
        self.yearly: dict[str, list[float]] = {}
        self.by_segment: dict[str, dict[str, list[float]]] = {
            name: {k: [] for k in SEGMENT_KPIS} for name in params.segments.names
        }
        # Work buffers over the slot prefix, reused every month: a fresh array of this size
        # per numpy operation costs more than the arithmetic itself.
        n = self.book.n
        self._scratch = np.empty(n)
        self._overdue = np.zeros(n, dtype=bool)
        self._drivers = np.zeros((len(DRIVERS), self.n_seg))
        # Function state carried from month to month.
        self.costs = np.zeros(len(FUNCTIONS))
        self.backlog = 0.0
        # Onboarding: the queue (slots, oldest first) and the projects under way.
        self.queue = np.zeros(n, dtype=np.int64)
        self.queue_len = 0
        self.project = np.zeros(n, dtype=np.int64)
        self.done_month = np.zeros(n, dtype=np.int64)
        self.ttv = np.zeros(n)
        self.projects = 0
        self._close_limit = np.zeros(self.n_seg, dtype=np.int64)
        self._acv = params.segments.acv.tolist()
        self._ps_hours = params.segments.ps_hours.tolist()
        #: Prospects of each segment opened in each month (month -> list by segment).
        self._prospects = np.diff(self.book.segment_first, axis=1).tolist()
        self.onboard_credit = 0.0
        self.train_credit = 0.0
        self.sales_credit = [0.0] * self.n_seg
        self.win_credit = [0.0] * self.n_seg
        self.review_credit = 0.0
        self.renewed_month = np.full(self.book.n, -1, dtype=np.int32)
        sp = params.segments
        # Per segment: churn per term, whether contraction happens; and the ARR factor of
        # each renewal outcome (flat, expand, contract, churn), segment-major.
        self._renewal_rates = np.stack([sp.churn_per_term, (sp.contraction_rate > 0) * 1.0])
        self._renewal_factor = np.stack(
            [
                np.ones(self.n_seg),
                1 + sp.expansion_size,
                1 - sp.contraction_size,
                np.zeros(self.n_seg),
            ],
            axis=1,
        ).ravel()
        self._renewal_scalars = np.zeros(10)
        # Fit is a permanent trait: survivors drift to good fit, so cohort churn falls with
        # tenure. It belongs to the sales-consulting mechanism and is off with the org.
        self._fit_churn = np.exp(
            (self.book.fit - 0.5) * -self.a.sales_consulting.fit_churn_sensitivity
        )
        self._noise_table = scaled_normal_table(float(self.a.health.noise_sd))
        self.won_by_segment = np.zeros(self.n_seg, dtype=np.int64)
        self.kept_by_segment = np.zeros(self.n_seg, dtype=np.int64)
        self.seg_effect = np.zeros(self.n_seg)
        self.global_effect = 0.0
        self.lead_multiplier = np.ones(self.n_seg)
        self.reach = 0.0
        self.spare_deals = 0.0
        self.year_start = np.zeros(0)
        self.year_start_n = 0
        self.closed_last_year = 0.0
        self._segment_sums = np.zeros((8, self.n_seg))
        book_ = params.segments.initial_book
        self._initial_arr = (
            float(params.segments.acv[self.book.seg[: self.book.n_initial]].sum())
            if book_ is None
            else float(book_[0].sum())
        )
        self.last_churn = math.nan
        # Structural effects in force: moving from _effects_from to _effects_target since
        # _effects_since (docs/model.md, "Leaders in post" and "Phase-in").
        self._effects_target: OrgEffectParams = self.wf.epoch.effects
        self._effects_from = self._effects_now = self._effects_target
        self._effects_since = 0
        self._has_renewals = self.wf.has_function(RENEWALS)
        self._one_time_rows = np.array(
            [MONTHLY.index(k) for k in ("one_time_cost", *ONE_TIME_KINDS)]
        )
        self.series[self._one_time_rows] = 0.0

    # ---- the calendar -----------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Run the replication; return monthly series and yearly KPIs as plain arrays."""
        env = self.env
        env.process(self._org_changes())
        env.process(self._month_cycle())
        self._snapshot()
        env.run(until=self.months)
        return {
            "monthly": {k: v for k, v in self.rec.items()},
            "yearly": {k: np.asarray(v) for k, v in self.yearly.items()},
            "segments": {
                name: {k: np.asarray(v) for k, v in kpis.items()}
                for name, kpis in self.by_segment.items()
            },
        }

    def _month_cycle(self) -> Any:
        """The month's steps, always in this order, after the month's org changes (at 0.0).

        One process wakes once a month (at 0.1) and runs them in turn: workforce, acquisition,
        service cycle and health, renewals due, mid-term upsell, month close; a quarter close
        every third month and a year close every twelfth. One process rather than one per
        step: the order is the same, and a month costs one calendar event instead of eight.
        """
        steps = (
            self._workforce,
            self._acquisition,
            self._service,
            self._renewals,
            self._upsell,
            self._month_close,
        )
        yield self.env.timeout(0.1)
        for month in range(self.months):
            for step in steps:
                step(month)
            if month % 3 == 2:
                self._quarter_close(month)
            if month % 12 == 11:
                self._year_close(month)
            yield self.env.timeout(1)

    def _org_changes(self) -> Any:
        for epoch in self.p.epochs:
            if epoch.month > self.env.now:
                yield self.env.timeout(epoch.month - self.env.now)
            self.wf.apply_changes(epoch, epoch.month)
            self.view = OrgView.of(epoch)
            self._has_renewals = self.wf.has_function(RENEWALS)

    # ---- helpers ----------------------------------------------------------------------

    @property
    def effects(self) -> OrgEffectParams:
        """Org-structure multipliers in force this month (leaders in post, phased in)."""
        return self._effects_now

    def _update_effects(self, month: int) -> None:
        """Pick the period's effects for the leaders in post; phase in a change."""
        epoch, wf = self.wf.epoch, self.wf
        target = epoch.effects
        if epoch.leaders:
            mask = 0
            for i, slot in enumerate(epoch.leaders):
                if wf.filled[slot] < 0.5 * max(epoch.target[slot], 1e-9):
                    mask |= 1 << i
            if mask:
                target = epoch.vacancy_effects[mask]
        if month == 0:
            self._effects_from = self._effects_now = self._effects_target = target
            return
        if target is not self._effects_target:
            self._effects_from, self._effects_target = self._effects_now, target
            self._effects_since = month
        if self._effects_now is not target:
            weight = phase_weight(
                month - self._effects_since, self.a.transition.effects_ramp_months
            )
            self._effects_now = phase_in(self._effects_from, target, weight)

    def _filled(self, function: int) -> float:
        """Heads in post in the function's capacity units."""
        return float(_sum(self.wf.filled[self.view.capacity_units[function]]))

    # ---- processes --------------------------------------------------------------------

    def _workforce(self, month: int) -> None:
        book = self.book
        # Rows in DRIVERS order: accounts, ARR, new accounts a year, renewals a year.
        drivers = self._drivers
        drivers[0] = book.accounts_by_segment
        drivers[1] = book.arr_by_segment
        drivers[2] = book.planned_per_year[month]
        np.multiply(drivers[0], 12.0, out=drivers[3])
        drivers[3] /= self.p.segments.step_months
        self.wf.step(month, drivers)
        self._update_effects(month)
        # Headcount does not change again before the next month: cost it once.
        self.costs = self.wf.cost_by_function()

    def _acquisition(self, month: int) -> None:
        book, p, view = self.book, self.p, self.view
        lo, hi = int(book.opened[month]), int(book.opened[month + 1])
        quota_heads = np.bincount(
            view.quota_segment, weights=self.wf.filled[view.quota_units], minlength=self.n_seg
        )[: self.n_seg]
        self.rec["new_business_quota"][month] = float(
            _sum(quota_heads) * self.a.new_business.ae_quota / 12
        )
        # The month's prospects are grouped by segment: a segment's is a slot range.
        first = book.segment_first[month]
        limit = self._close_limit
        limit[:] = hi - lo
        reviews = 0
        if p.outcomes_on:
            # Per-segment bookkeeping in Python floats: a handful of segments, where numpy's
            # per-element overhead would cost more than the arithmetic.
            ae_heads, _ = self.wf.capacity(SALES, self.n_seg)
            quota = self.a.new_business.ae_quota
            deals = [
                h * quota / acv / 12 for h, acv in zip(ae_heads.tolist(), self._acv, strict=True)
            ]
            prospects = self._prospects[month]
            sales_credit, win_credit = self.sales_credit, self.win_credit
            for s in view.ae_segments:
                credit = min(sales_credit[s] + deals[s], max(deals[s], 1.0))
                k = min(prospects[s], int(credit + 1e-9))
                sales_credit[s] = credit - k
                limit[s] = k
            # Deals that need sales-consulting support are won x the hand-off factor.
            win = 1 - self.a.handoff.deal_support_weight * (
                1 - self.effects.handoff["sales_with_sales_consulting"]
            )
            if win != 1.0:
                for s in range(self.n_seg):
                    credit = win_credit[s] + prospects[s] * win
                    k = max(int(credit + 1e-9), 0)
                    win_credit[s] = credit - k
                    limit[s] = min(limit[s], k)
            per_head = self.a.sales_consulting.reviews_per_consultant_month
            capacity = self.wf.heads[SC] * per_head
            self.review_credit = min(self.review_credit + capacity, max(capacity, 1.0))
            reviews = int(self.review_credit + 1e-9)
        won, self.queue_len, lost_capacity, declined, fit_sum = self.kernels.sign_prospects(
            month,
            first,
            limit,
            reviews,
            self.a.sales_consulting.fit_threshold,
            book.fit,
            p.segments.acv,
            p.segments.step_months,
            book.status,
            book.alive,
            book.arr,
            book.start,
            book.next_due,
            book.accounts_by_segment,
            book.arr_by_segment,
            self.won_by_segment,
            self.queue,
            self.queue_len,
        )
        if p.outcomes_on:
            # A review is used by every deal that reached one (at most the credit).
            self.review_credit -= min(reviews, hi - lo - lost_capacity)
        arr_new = 0.0
        for won_s, acv in zip(self.won_by_segment.tolist(), self._acv, strict=True):
            arr_new += won_s * acv
        self.rec["new_logos"][month] = won
        self.rec["arr_new"][month] = arr_new
        self.rec["bookings_new"][month] = arr_new
        self.rec["new_account_fit"][month] = fit_sum / won if won else np.nan
        self.rec["deals_declined"][month] = declined
        self.rec["deals_lost_capacity"][month] = lost_capacity

    def _service(self, month: int) -> None:
        """Every function's capacity against demand, then the month's health update."""
        accounts = self.book.accounts_by_segment.astype(float)
        total = float(_sum(accounts))
        diverted = self._customer_success(month, accounts)
        support_effect = self._support(month, total, diverted)
        ps_effect = self._professional_services(month, accounts)
        cm_effect = self._customer_marketing(total)
        self.global_effect = support_effect + ps_effect + cm_effect
        self._onboarding(month)
        overdue = self._training(month)
        self._health(month, overdue)

    def _customer_success(self, month: int, accounts: np.ndarray) -> float:
        """Coverage against the segment's target accounts per CSM; returns diverted heads."""
        eff = self.effects
        ded, shared = self.wf.capacity(CS, self.n_seg)
        diverted = self.wf.heads[CS] * eff.cs_diverted_share
        cs = self.a.customer_success
        self.rec["csm_coverage"][month] = self.kernels.cs_coverage(
            ded,
            shared,
            1 - eff.cs_diverted_share,
            accounts,
            self.p.segments.accounts_per_csm,
            cs.max_coverage,
            cs.health_lift,
            eff.cs_health_multiplier,
            cs.lead_floor,
            eff.cs_lead_multiplier,
            self.seg_effect,
            self.lead_multiplier,
        )
        return float(diverted)

    def _support(self, month: int, total: float, diverted: float) -> float:
        """Tickets vs agents (plus CSMs diverted to support work); returns the health effect."""
        sm = self.a.support
        agents = self.wf.heads[SUPPORT]
        capacity = (agents + diverted * sm.csm_ticket_share) * sm.tickets_per_agent_month
        tickets = sm.tickets_per_account_month * total
        out = support(tickets, self.backlog, capacity, sm)
        self.backlog = out.backlog
        gap = min(max(out.service - 1, -1.0), 0.5)
        f = self.effects.handoff["customer_success_with_support"]
        support_cost = float(self.costs[SUPPORT])
        filled_agents = self._filled(SUPPORT)
        rec = self.rec
        rec["support_tickets"][month] = tickets
        rec["support_closed"][month] = out.closed
        rec["support_backlog"][month] = out.backlog
        rec["support_response_hours"][month] = out.response_hours
        rec["support_tickets_per_rep_day"][month] = (
            out.closed / filled_agents / WORKING_DAYS if filled_agents > 0 else np.nan
        )
        rec["support_cost_per_ticket"][month] = (
            support_cost / out.closed if out.closed > 0 else np.nan
        )
        return sm.health_weight * gap * ((2 - f) if gap < 0 else f)

    def _professional_services(self, month: int, accounts: np.ndarray) -> float:
        """Demanded vs available hours; returns the health effect of unmet demand."""
        a = self.a
        consultants = self.wf.heads[PS]
        demand = 0.0
        for hours, count in zip(self._ps_hours, accounts.tolist(), strict=True):
            demand += hours * count
        billed, util, unmet = professional_services(demand, consultants, a.professional_services)
        f = self.effects.handoff["professional_services_to_customer_success"]
        self.rec["ps_demand_hours"][month] = demand
        self.rec["ps_billed_hours"][month] = billed
        self.rec["ps_utilization"][month] = util if consultants > 0 else np.nan
        return -a.professional_services.unmet_penalty * unmet * (2 - f)

    def _customer_marketing(self, total: float) -> float:
        """Programs reach a share of the base; returns the health effect."""
        cmm = self.a.customer_marketing
        reach = min(1.0, self.wf.heads[CM] * cmm.accounts_per_marketer / max(total, 1.0))
        f_cm = self.effects.handoff["customer_success_to_customer_marketing"]
        self.reach = reach
        return cmm.health_lift * (reach * f_cm - 1)

    def _training(self, month: int) -> np.ndarray:
        """Train the due accounts (never trained, or too long ago), lowest slot first.

        Returns:
            Which slots of the prefix are still overdue (a view of a work buffer).
        """
        book, tr = self.book, self.a.training
        n = book.active_prefix(month)
        cap = self.wf.heads[TRAINING] * tr.trainings_per_trainer_month
        self.train_credit = min(self.train_credit + cap, max(cap, 1.0))
        overdue = self._overdue[:n]
        due, k = self.kernels.train_due(
            book.last_trained,
            book.alive,
            n,
            month - tr.retrain_months,
            month,
            int(self.train_credit + 1e-9),
            overdue,
        )
        self.train_credit -= k
        self.rec["customers_trained"][month] = k
        self.rec["training_due"][month] = due
        return overdue

    def _health(self, month: int, overdue: np.ndarray) -> None:
        """Mean reversion toward the service-driven target, plus noise, over the slot prefix.

        ``health += reversion * (target - health) + noise_sd * z`` with one normal draw per
        slot of the prefix (live or not, so that the draws stay aligned by slot), computed in
        place as ``(1 - r) h + r (segment target - penalty - untrained) + noise``.
        """
        a, book = self.a, self.book
        h = a.health
        n = overdue.size
        r = h.reversion
        target = r * (self.seg_effect + (h.reference + self.global_effect))
        self.kernels.move_health(
            book.health,
            normal_levels(book.health_rng, n),
            self._noise_table,
            n,
            r,
            self.p.outcomes_on,
            book.seg,
            target,
            book.penalty,
            a.onboarding.penalty_decay,
            overdue,
            r * a.training.untrained_penalty,
            h.reference,
        )

    def _onboarding(self, month: int) -> None:
        """The implementation queue: capacity = consultants x projects per month."""
        a, p, book, eff = self.a, self.p, self.book, self.effects
        ob = a.onboarding
        cap = self.wf.heads[ONBOARDING] * ob.projects_per_consultant_month
        self.onboard_credit = min(self.onboard_credit + cap, max(cap, 1.0))
        speed = max(eff.handoff["sales_consulting_to_onboarding"], 1e-9)
        hand = eff.handoff
        gap = a.handoff.onboarding_gap_penalty * (
            1 - hand["onboarding_to_customer_success"]
        ) + a.handoff.signing_gap_penalty * (
            1 - hand["sales_to_onboarding"] * hand["sales_to_customer_success"]
        )
        self.queue_len, self.projects, used, finished, ttv_sum = self.kernels.onboard(
            month,
            self.queue,
            self.queue_len,
            self.onboard_credit,
            book.alive,
            book.seg,
            book.start,
            p.segments.onboarding_effort,
            p.segments.onboarding_months / speed,
            self.project,
            self.done_month,
            self.ttv,
            self.projects,
            p.outcomes_on,
            book.penalty,
            ob.wait_penalty,
            ob.max_penalty,
            gap,
        )
        self.onboard_credit -= used
        self.rec["onboarding_queue"][month] = self.queue_len
        self.rec["onboarding_completed"][month] = finished
        self.rec["time_to_value_months"][month] = ttv_sum / finished if finished else np.nan

    def _renewals(self, month: int) -> None:
        """Settle the renewals due this month (churn, contraction, expansion or flat).

        The probabilities are those of docs/model.md "Renewal"; the loop over the due
        accounts is :func:`ccosim.sim.kernels.settle_renewals`.
        """
        a, p, book, eff = self.a, self.p, self.book, self.effects
        if p.churn_from is not None and month == p.churn_from[0]:
            self._change_churn(p.churn_from[1])
        h, rn = a.health, a.renewals
        capacity = self.wf.heads[RENEWALS] * rn.deals_per_rep_month
        scalars = self._renewal_scalars
        scalars[0] = h.reference
        scalars[1] = h.churn_sensitivity
        scalars[2] = h.expansion_sensitivity
        scalars[3] = 1 / p.churn_norm
        scalars[4] = h.expansion_probability / p.expansion_norm
        scalars[5] = h.contraction_probability
        if p.outcomes_on:
            f = eff.handoff["customer_success_to_renewals"]
            churn = eff.churn_multiplier / p.fit_norm
            scalars[6] = (1 + (rn.unworked_churn_multiplier - 1) * (1 - f)) * churn
            scalars[7] = (1 - (1 - rn.unworked_expansion_multiplier) * (1 - f)) * (
                eff.expansion_multiplier
            )
            scalars[8] = rn.unworked_churn_multiplier * churn
            scalars[9] = rn.unworked_expansion_multiplier * eff.expansion_multiplier
            # The reps work the largest renewals first (ties: lowest slot first).
            worked_capacity = int(capacity + 1e-9)
        else:
            scalars[6:] = 1.0
            worked_capacity = 0
        (due, worked, churned, arr_churn, arr_contraction, arr_expansion, renewed, before) = (
            self.kernels.settle_renewals(
                month,
                book.active_prefix(month),
                book.next_due,
                book.seg,
                book.arr,
                book.health,
                self._fit_churn,
                book.renewals,
                book.status,
                book.alive,
                book.u_churn,
                book.u_change,
                book.max_renewals,
                self.renewed_month,
                book.arr_by_segment,
                book.accounts_by_segment,
                self.kept_by_segment,
                self._renewal_rates[0],
                book.propensity,
                book.heterogeneous,
                self._renewal_rates[1],
                self.p.segments.step_months,
                self._renewal_factor,
                scalars,
                worked_capacity,
                p.outcomes_on,
            )
        )
        self.spare_deals = max(0.0, capacity - due) if p.outcomes_on else math.inf
        rec = self.rec
        rec["renewals_due"][month] = due
        rec["renewals_worked_share"][month] = worked / due if due else np.nan
        rec["churned_logos"][month] = churned
        rec["arr_churn"][month] = arr_churn
        rec["arr_contraction"][month] = arr_contraction
        rec["arr_expansion"][month] = arr_expansion
        rec["bookings_renewal"][month] = renewed
        rec["installed_base_quota"][month] = before * rn.quota_renewal_target

    def _change_churn(self, churn_per_term: np.ndarray) -> None:
        """New per-term churn rates from this month (``ModelParams.churn_from``).

        Homogeneous segments take the new rates; an sBG segment's accounts keep their own
        propensities, scaled by the ratio of new to old rate.
        """
        old = self._renewal_rates[0].copy()
        self._renewal_rates[0] = churn_per_term
        book = self.book
        if book.heterogeneous.any():
            ratio = np.divide(churn_per_term, old, out=np.ones_like(old), where=old > 0)
            book.propensity *= ratio[book.seg]

    def _upsell(self, month: int) -> None:
        a, p, book, eff = self.a, self.p, self.book, self.effects
        n = book.active_prefix(month)
        u = uniform_bits(book.upsell_rng, n)
        # Eligible: active, signed before this month and not renewed this month.
        eligible = book.accounts_by_segment - self.won_by_segment - self.kept_by_segment
        rate = a.health.midterm_lead_rate
        if p.outcomes_on:
            leads = rate * self.lead_multiplier
            expected = 0.0
            for lead, count in zip(leads.tolist(), eligible.tolist(), strict=True):
                expected += lead * count
            if self._has_renewals:
                convert = min(1.0, self.spare_deals / expected) if expected > 0 else 1.0
            else:
                # No renewals unit: CSMs and AEs convert a stated share of the leads.
                convert = a.renewals.upsell_conversion_without_reps
            convert *= eff.handoff["customer_success_to_renewals"]
            prob = leads * convert
        else:
            expected = float(rate * _sum(eligible))
            prob = np.full(self.n_seg, rate)
        # A lead needs the 32-bit draw u below its segment's p * 2^32.
        hits, gained = self.kernels.upsell(
            month,
            u,
            prob * UINT32_SPAN,
            book.seg,
            book.alive,
            book.start,
            self.renewed_month,
            book.arr,
            book.arr_by_segment,
            p.segments.midterm_size,
        )
        self.rec["upsell_leads"][month] = expected
        self.rec["upsell_converted"][month] = hits
        self.rec["bookings_upsell"][month] = gained
        self.rec["arr_expansion"][month] += gained

    def _month_close(self, month: int) -> None:
        a, book, rec = self.a, self.book, self.rec
        n = book.active_prefix(month)
        bands = a.health_bands
        live, red, not_green = self.kernels.live_scores(
            book.health, book.alive, n, bands.red_max, bands.yellow_max, self._scratch
        )
        arr = float(_sum(book.arr_by_segment))
        rec["arr"][month] = rec["arr_end"][month] = arr
        rec["arr_start"][month] = rec["arr_end"][month - 1] if month > 0 else self._initial_arr
        rec["accounts"][month] = live
        # Red (score <= red_max), yellow (<= yellow_max) and green, as metrics.health_band_counts.
        counts = (red, not_green - red, live - not_green)
        if live:
            rec["health_mean"][month] = float(_sum(self._scratch[:live])) / live
            shares = [c / live for c in counts]
            rec["red_share"][month], rec["yellow_share"][month], rec["green_share"][month] = shares
        cmm = a.customer_marketing
        f_cm = self.effects.handoff["customer_success_to_customer_marketing"]
        rec["referenceable_accounts"][month] = (
            counts[2] * self.reach * f_cm * cmm.referenceable_share
        )
        rec["bookings_installed_base"][month] = (
            rec["bookings_renewal"][month] + rec["bookings_upsell"][month]
        )
        costs = self.costs
        self.series[_COST_ROWS, month] = costs
        org_cost = float(_sum(costs))
        rec["org_cost"][month] = org_cost
        one_time = self.wf.one_time
        if one_time.any():  # the rows start at zero; most months have no one-time cost
            self.series[self._one_time_rows[0], month] = _sum(one_time)
            self.series[self._one_time_rows[1:], month] = one_time
            one_time[:] = 0.0
        services = rec["ps_billed_hours"][month] * a.professional_services.bill_rate
        rec["services_revenue"][month] = services
        rec["revenue"][month] = arr / 12 + services
        cost = costs.tolist()
        delivery = 0.0
        for i in DELIVERY:
            delivery += cost[i]
        rec["cogs"][month] = arr / 12 * a.finance.hosting_share + delivery
        rec["sales_marketing_expense"][month] = (
            cost[SALES] + cost[SC] + cost[MARKETING] * (1 + a.finance.program_spend_ratio)
        )
        rec["headcount"][month], rec["hiring_target"][month], rec["hiring_gap"][month] = (
            self.wf.totals
        )

    def _quarter_close(self, month: int) -> None:
        rec = self.rec
        q = slice(month - 2, month + 1)
        rec["new_quota_attainment"][month] = metrics.attainment(
            _sum(rec["bookings_new"][q]), _sum(rec["new_business_quota"][q])
        )
        rec["installed_base_quota_attainment"][month] = metrics.attainment(
            _sum(rec["bookings_installed_base"][q]), _sum(rec["installed_base_quota"][q])
        )

    def _snapshot(self, month: int = 0) -> None:
        """Remember the ARR of every active account: the cohort of the coming year."""
        n = self.book.active_prefix(month)
        # Slots that are not active carry zero ARR: the prefix is the cohort, zeros elsewhere.
        self.year_start = self.book.arr[:n].copy()
        self.year_start_n = n

    def _segment_year(self, start: np.ndarray, end: np.ndarray) -> None:
        """Each segment's retention KPIs over its accounts active at the year start.

        The definitions of :mod:`ccosim.metrics` (GRR counts each account at most at its
        starting ARR, capped at 1), summed per segment in one compiled pass.
        """
        book = self.book
        sums = self._segment_sums
        self.kernels.segment_retention(book.seg, start, end, sums)
        start_arr, end_arr, kept_arr, accounts, kept, churned, up, down = sums.tolist()
        arr_now = book.arr_by_segment.tolist()
        accounts_now = book.accounts_by_segment.tolist()
        for s, name in enumerate(self.p.segments.names):
            out = self.by_segment[name]
            out["grr"].append(min(1.0, metrics.ratio(kept_arr[s], start_arr[s])))
            out["nrr"].append(metrics.ratio(end_arr[s], start_arr[s]))
            out["logo_retention"].append(metrics.ratio(kept[s], accounts[s]))
            out["arr"].append(float(arr_now[s]))
            out["accounts"].append(float(accounts_now[s]))
            out["arr_churn"].append(churned[s])
            out["arr_contraction"].append(down[s])
            out["arr_expansion"].append(up[s])

    def _year_close(self, month: int) -> None:
        n0 = self.year_start_n
        start = self.year_start
        end = self.book.arr[:n0].copy()
        y = self.yearly
        rec, months = self.rec, slice(month - 11, month + 1)

        def put(key: str, value: float) -> None:
            y.setdefault(key, []).append(float(value))

        self._segment_year(start, end)
        # The company's are the segments' sums (metrics.grr, nrr and logo_retention over
        # the whole cohort, up to the order of summation).
        totals = self._segment_sums.sum(axis=1).tolist()
        put("grr", min(1.0, metrics.ratio(totals[2], totals[0])))
        put("nrr", metrics.ratio(totals[1], totals[0]))
        put("logo_retention", metrics.ratio(totals[4], totals[3]))
        for key in YEAR_ENDS:
            put(key, rec[key][month])
        window = self.series[:, months]
        for key, total in zip(YEAR_SUMS, np.nansum(window[_SUM_ROWS], axis=1), strict=True):
            put(key, total)
        values = window[_MEAN_ROWS]
        known = ~np.isnan(values)
        counts = known.sum(axis=1)
        totals = np.where(known, values, 0.0).sum(axis=1)
        for key, total, count in zip(YEAR_MEANS, totals, counts, strict=True):
            put(key, total / count if count else math.nan)
        weights = rec["onboarding_completed"][months]
        ttv = rec["time_to_value_months"][months]
        ok = weights > 0
        put(
            "time_to_value_months",
            float((ttv[ok] * weights[ok]).sum() / weights[ok].sum()) if ok.any() else np.nan,
        )
        closed = rec["support_closed"][months].sum()
        put(
            "support_cost_per_ticket",
            rec["cost_support"][months].sum() / closed if closed > 0 else np.nan,
        )
        fits = rec["new_account_fit"][months]
        new = rec["new_logos"][months]
        put("new_account_fit", float(np.nansum(fits * new) / new.sum()) if new.sum() else np.nan)
        put("arr_start_of_year", start.sum())
        put(
            "installed_base_to_new",
            metrics.ratio(y["bookings_installed_base"][-1], y["bookings_new"][-1]),
        )
        put(
            "new_quota_attainment",
            metrics.attainment(y["bookings_new"][-1], np.nansum(rec["new_business_quota"][months])),
        )
        put(
            "installed_base_quota_attainment",
            metrics.attainment(
                y["bookings_installed_base"][-1], np.nansum(rec["installed_base_quota"][months])
            ),
        )
        gm = metrics.gross_margin(y["revenue"][-1], y["cogs"][-1])
        put("gross_margin", gm)
        accounts = y["accounts"][-1]
        arpa = y["arr"][-1] / accounts if accounts > 0 else np.nan
        churn = 1 - y["logo_retention"][-1]
        ltv = metrics.ltv(arpa, gm, churn)
        cac = metrics.cac(y["sales_marketing_expense"][-1], y["new_logos"][-1])
        put("ltv", ltv)
        put("cac", cac)
        put("ltv_to_cac", metrics.ratio(ltv, cac))
        new_acv = metrics.ratio(y["bookings_new"][-1], y["new_logos"][-1])
        put("cac_payback_months", metrics.cac_payback_months(cac, new_acv, gm))
        self._snapshot(month)


def run_replication(task: tuple[ModelParams, int, int]) -> dict[str, Any]:
    """Run one replication (module-level, so process pools and Dask can ship it).

    Args:
        task: ``(params, root_seed, replication)``.

    Returns:
        ``{"monthly": {measure: array}, "yearly": {kpi: array}}``.
    """
    params, seed, replication = task
    return Engine(params, seed, replication).run()
