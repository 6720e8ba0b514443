"""The engine: SimPy is the calendar, numpy arrays hold the accounts.

One replication is one SimPy environment with two processes: the org changes, which wake at
the start of the months a timeline period begins, and the month's cycle, which wakes once a
month after them (at 0.1) and runs the month's steps in an order that never changes:

====== ================================================================================
step   what happens
====== ================================================================================
0      org changes (timeline periods begin; their own process)
1      workforce: starts, attrition, requisitions, productive heads; executives who
       leave (turnover); the structural effects of the leaders in post
2      acquisition: new-logo prospects closed by sales capacity, fit review
3      service cycle: every function's capacity against demand (customer experience's
       voice of the customer and journey fixes among them), onboarding queue, training,
       health update
4      renewals falling due (churn, contraction, expansion), worked by renewal reps
5      mid-term upsell leads from CS, converted with the reps' spare capacity
6      month close: ARR, health bands, costs, revenue
7      quarter close (every third month): quota attainment
8      year close (every twelfth month): GRR, NRR, logo retention over the year's cohort
====== ================================================================================

Each mechanism is a component in its own module that owns its state and its compiled loop
(:mod:`ccosim.sim.kernels`, numba): the account book (:mod:`~ccosim.sim.accounts`), the
workforce (:mod:`~ccosim.sim.workforce`), executives in post (:mod:`~ccosim.sim.leadership`),
the org period and its structural effects
(:mod:`~ccosim.sim.structure`), acquisition and quotas (:mod:`~ccosim.sim.bookings`),
onboarding, training, support, professional services, health and coverage, renewals and
upsell, and the ledger that records it all (:mod:`~ccosim.sim.ledger`). The engine wires
them and runs the month's steps in this order.

Why a monthly clock is enough (docs/model.md, "The calendar"): every mechanism is a monthly
rate, the steps of a month read each other's results in a fixed order, and the only events
at their own times, the org changes, fall on month starts; SimPy schedules those.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import simpy

from ccosim.sim.accounts import AccountBook
from ccosim.sim.bookings import Bookings
from ccosim.sim.customer_experience import CustomerExperience
from ccosim.sim.health import Health
from ccosim.sim.leadership import Leadership
from ccosim.sim.ledger import MONTHLY, SEGMENT_KPIS, YEAR_MEANS, YEAR_SUMS, Ledger
from ccosim.sim.onboarding import Onboarding
from ccosim.sim.params import ModelParams
from ccosim.sim.renewals import Renewals
from ccosim.sim.services import ProfessionalServices
from ccosim.sim.structure import OrgView, Structure
from ccosim.sim.support import Support
from ccosim.sim.training import Training
from ccosim.sim.workforce import Workforce

__all__ = [
    "MONTHLY",
    "SEGMENT_KPIS",
    "YEAR_MEANS",
    "YEAR_SUMS",
    "Engine",
    "OrgView",
    "run_replication",
]

#: ``x.sum()`` without the method's Python wrapper (the same ufunc reduction).
_sum = np.add.reduce


class Engine:
    """One replication of one scenario: the mechanisms, wired, on a monthly calendar.

    Args:
        params: Compiled parameters (:func:`ccosim.sim.params.compile_params`).
        seed: Root seed.
        replication: Replication index (selects the random streams).
    """

    def __init__(self, params: ModelParams, seed: int, replication: int) -> None:
        self.params = params
        self.months = params.horizon_months
        a = params.assumptions
        self.book = book = AccountBook(params, seed, replication)
        self.ledger = ledger = Ledger(params, book)
        rec = ledger.rec
        self.wf = wf = Workforce(params)
        self.structure = structure = Structure(params, wf)
        self.leadership = Leadership(params, seed, replication, wf, rec)
        self.onboarding = Onboarding(params, book, wf, structure, rec)
        self.bookings = Bookings(params, book, wf, structure, self.onboarding, rec)
        self.health = Health(params, seed, replication, book, wf, structure, rec)
        self.support = Support(a.support, wf, structure, rec)
        self.services = ProfessionalServices(
            a.professional_services, params.segments.ps_hours, wf, structure, rec
        )
        self.training = Training(a.training, book, wf, rec)
        self.cx = CustomerExperience(a.customer_experience, wf, rec)
        self.renewals = Renewals(params, seed, replication, book, wf, structure, rec)
        self.env = simpy.Environment()
        # Staffing drivers, rows in DRIVERS order: accounts, ARR, new accounts a year,
        # renewals a year (a buffer reused every month).
        self._drivers = np.zeros((4, len(params.segments.names)))

    # ---- the calendar -----------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Run the replication; return monthly series and yearly KPIs as plain arrays."""
        env = self.env
        env.process(self._org_changes())
        env.process(self._month_cycle())
        self.ledger.snapshot()
        env.run(until=self.months)
        return self.ledger.outputs()

    def _month_cycle(self) -> Any:
        """The month's steps, always in this order, after the month's org changes (at 0.0).

        One process wakes once a month (at 0.1) and runs them in turn: workforce, acquisition,
        service cycle and health, renewals due, mid-term upsell, month close; a quarter close
        every third month and a year close every twelfth. One process rather than one per
        step: the order is the same, and a month costs one calendar event instead of eight.
        """
        steps = (
            self._workforce,
            self.bookings.acquire,
            self._service,
            self.renewals.settle,
            self._upsell,
            self._month_close,
        )
        yield self.env.timeout(0.1)
        for month in range(self.months):
            for step in steps:
                step(month)
            if month % 3 == 2:
                self.bookings.close_quarter(month)
            if month % 12 == 11:
                self.ledger.close_year(month)
            yield self.env.timeout(1)

    def _org_changes(self) -> Any:
        """Each timeline period begins at the start of its month (before the month's steps)."""
        for epoch in self.params.epochs:
            if epoch.month > self.env.now:
                yield self.env.timeout(epoch.month - self.env.now)
            self.structure.begin(epoch, epoch.month)

    # ---- the month's steps ------------------------------------------------------------

    def _workforce(self, month: int) -> None:
        """Staff the units toward their policies; executives who leave; the effects in force."""
        self._staff(month)
        self.leadership.step(month)
        self.structure.update(month)

    def _staff(self, month: int) -> None:
        """The staffing step: each unit toward its policy, with the month's drivers."""
        book = self.book
        drivers = self._drivers
        drivers[0] = book.totals.accounts
        drivers[1] = book.totals.arr
        drivers[2] = book.plan.planned_per_year[month]
        np.multiply(drivers[0], 12.0, out=drivers[3])
        drivers[3] /= self.params.segments.step_months
        self.wf.step(month, drivers)

    def _service(self, month: int) -> None:
        """Every function's capacity against demand, then the month's health update."""
        accounts = self.book.totals.accounts.astype(float)
        total = float(_sum(accounts))
        diverted = self.health.coverage(month, accounts)
        support_effect = self.support.step(month, total, diverted)
        ps_effect = self.services.step(month, accounts.tolist())
        cm_effect = self.health.marketing(total)
        global_effect = support_effect + ps_effect + cm_effect + self.cx.step(month, total)
        self.onboarding.step(month)
        overdue = self.training.step(month)
        self.health.move(global_effect, overdue)

    def _upsell(self, month: int) -> None:
        self.renewals.upsell(month, self.health.lead_multiplier, self.bookings.won_by_segment)

    def _month_close(self, month: int) -> None:
        self.health.close_month(month)
        self.ledger.close_month(month, self.wf)


def run_replication(task: tuple[ModelParams, int, int]) -> dict[str, Any]:
    """Run one replication (module-level, so process pools and Dask can ship it).

    Args:
        task: ``(params, root_seed, replication)``.

    Returns:
        ``{"monthly": {measure: array}, "yearly": {kpi: array}, "segments": {segment:
        {kpi: array}}}``.
    """
    params, seed, replication = task
    return Engine(params, seed, replication).run()
