"""The customer base as numpy arrays indexed by account slot.

A slot is a prospect: the initial accounts first, then every new-logo prospect the plan
produces, in month order. Prospects are drawn once per replication from the plan alone, so
two org designs run on the same seed see the same prospects in the same slots; a design that
sells less simply leaves some slots unused. Every per-account random draw is indexed by slot
(and by renewal number), never by how many accounts some other design happened to keep:
that is what makes paired comparisons between designs low-variance (common random numbers).
"""

from __future__ import annotations

import numpy as np

from ccosim.sim.params import ModelParams
from ccosim.streams import stream

__all__ = ["ACTIVE", "CHURNED", "LOST", "NOT_OPEN", "AccountBook"]

NOT_OPEN, ACTIVE, CHURNED, LOST = 0, 1, 2, 3


class AccountBook:
    """Per-account state of one replication and its random draws.

    Attributes:
        n: Slots (initial accounts plus every prospect of the horizon).
        seg: Segment index of each slot.
        status: NOT_OPEN, ACTIVE, CHURNED or LOST (prospect not closed).
        arr: Current ARR (0 unless active).
        health: Latent health (reported score is this clipped to 0-100).
        fit: Fit of the customer to the product, uniform 0-1.
        start: Month the account was signed (negative for the initial base).
        renewals: Renewals the account has been through.
        penalty: Early-health penalty (onboarding wait, hand-off gaps), decaying.
        last_trained: Month of the last training.
    """

    def __init__(self, params: ModelParams, seed: int, replication: int) -> None:
        seg_p = params.segments
        months = params.horizon_months
        n_seg = len(seg_p.names)
        self.months = months
        rate = np.empty((months, n_seg))
        year = np.arange(months) // 12
        for s in range(n_seg):
            rate[:, s] = (
                seg_p.new_accounts_per_year[s] * (1 + seg_p.new_accounts_growth[s]) ** year / 12
            )
        self.planned_per_year = rate * 12
        arrivals = stream(seed, replication, "arrivals").poisson(rate)
        n_init = int(seg_p.initial_accounts.sum())
        seg_init = np.repeat(np.arange(n_seg), seg_p.initial_accounts)
        # Prospects of month m, segment by segment, follow those of month m - 1.
        seg_new = np.repeat(np.tile(np.arange(n_seg), months), arrivals.ravel())
        month_new = np.repeat(np.repeat(np.arange(months), n_seg), arrivals.ravel())
        self.n_initial = n_init
        self.n = n = n_init + len(seg_new)
        self.seg = np.concatenate([seg_init, seg_new]).astype(np.int64)
        self.open_month = np.concatenate([np.full(n_init, -1), month_new]).astype(np.int64)
        counts = np.concatenate([[n_init], arrivals.sum(axis=1)])
        #: first slot of the prospects of month m is opened[m]; opened[m + 1] ends them.
        self.opened = np.cumsum(counts).astype(np.int64)
        self.fit = stream(seed, replication, "fit").random(n)
        h = params.assumptions.health
        self.health = h.reference + params.health_sd * stream(
            seed, replication, "health_init"
        ).standard_normal(n)
        term = seg_p.term_months[self.seg]
        max_renewals = months // int(seg_p.term_months.min()) + 2
        renewal_rng = stream(seed, replication, "renewals")
        self.u_churn = renewal_rng.random((n, max_renewals))
        self.u_change = renewal_rng.random((n, max_renewals))
        phase = stream(seed, replication, "contract_phase").random(n_init)
        self.health_rng = stream(seed, replication, "health")
        self.upsell_rng = stream(seed, replication, "upsell")
        self.status = np.zeros(n, dtype=np.int8)
        #: status == ACTIVE, kept up to date by open_accounts and churn (read every month).
        self.alive = np.zeros(n, dtype=bool)
        self.arr = np.zeros(n)
        self.start = np.zeros(n, dtype=np.int64)
        self.renewals = np.zeros(n, dtype=np.int64)
        self.penalty = np.zeros(n)
        self.last_trained = np.full(n, -(10**6), dtype=np.int64)
        self.term = term
        # Renewal buckets: slots falling due in month m (stale entries filtered on use).
        self.due: list[list[np.ndarray]] = [[] for _ in range(months + 1)]
        init = np.arange(n_init)
        first_due = np.floor(phase * term[:n_init]).astype(np.int64)
        self.status[init] = 1
        self.alive[init] = True
        self.arr[init] = seg_p.acv[self.seg[init]]
        self.start[init] = first_due - term[:n_init]
        retrain = params.assumptions.training.retrain_months
        self.last_trained[init] = -1 - (init % retrain)
        for m in np.unique(first_due):
            if m < months:
                self.due[m].append(init[first_due == m])

    def active_prefix(self, month: int) -> int:
        """Slots that may be open by the end of ``month`` (the rest are future prospects)."""
        return int(self.opened[month + 1])

    def open_accounts(self, slots: np.ndarray, month: int, acv: np.ndarray) -> None:
        """Sign ``slots`` this month: active, ARR = segment ACV, first renewal one term on."""
        if slots.size == 0:
            return
        self.status[slots] = 1
        self.alive[slots] = True
        self.arr[slots] = acv[self.seg[slots]]
        self.start[slots] = month
        due = month + self.term[slots]
        for m in np.unique(due):
            if m < self.months:
                self.due[m].append(slots[due == m])

    def due_now(self, month: int) -> np.ndarray:
        """Active slots whose renewal falls due in ``month``."""
        if not self.due[month]:
            return np.zeros(0, dtype=np.int64)
        slots = np.concatenate(self.due[month])
        self.due[month] = []
        return slots[self.alive[slots]]

    def churn(self, slots: np.ndarray) -> None:
        """Lose ``slots``: ARR to zero, no longer active."""
        self.status[slots] = CHURNED
        self.alive[slots] = False
        self.arr[slots] = 0.0

    def reschedule(self, slots: np.ndarray, month: int) -> None:
        """Book the next renewal of renewed ``slots`` one term after ``month``."""
        self.renewals[slots] += 1
        due = month + self.term[slots]
        for m in np.unique(due):
            if m < self.months:
                self.due[m].append(slots[due == m])
