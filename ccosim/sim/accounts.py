"""The customer base as numpy arrays indexed by account slot.

A slot is a prospect: the initial accounts first, then every new-logo prospect the plan
produces, in month order (and, inside a month, segment by segment). Prospects are drawn once
per replication from the plan alone, so two org designs run on the same seed see the same
prospects in the same slots; a design that sells less simply leaves some slots unused. Every
per-account random draw is indexed by slot (and by renewal number, or by month over the slot
prefix), never by how many accounts some other design happened to keep: that is what makes
paired comparisons between designs low-variance (common random numbers).

Besides the per-slot arrays the book keeps what the engine reads every month without
scanning every slot: the live accounts and their ARR per segment, and each account's next
renewal month. Accounts open, renew, churn and grow only through the compiled passes of
:mod:`ccosim.sim.kernels`, which keep the segment totals in step.
"""

from __future__ import annotations

import numpy as np

from ccosim.sim.params import ModelParams, SegmentParams
from ccosim.streams import stream

__all__ = ["ACTIVE", "CHURNED", "LOST", "NOT_OPEN", "AccountBook"]

NOT_OPEN, ACTIVE, CHURNED, LOST = 0, 1, 2, 3
NO_RENEWAL = -1  # next_due of a slot that is not under contract


class AccountBook:
    """Per-account state of one replication and its random draws.

    Attributes:
        n: Slots (initial accounts plus every prospect of the horizon).
        seg: Segment index of each slot.
        status: NOT_OPEN, ACTIVE, CHURNED or LOST (prospect not closed).
        alive: ``status == ACTIVE``.
        accounts_by_segment: Active accounts per segment.
        arr_by_segment: ARR of the active accounts per segment (a running total).
        arr: Current ARR (0 unless active).
        health: Latent health (reported score is this clipped to 0-100).
        fit: Fit of the customer to the product, uniform 0-1.
        propensity: Churn per renewal decision of each slot of a heterogeneous (sBG)
            segment, from an annual propensity drawn from Beta(churn_alpha, churn_beta).
        start: Month the account was signed (negative for the initial base).
        renewals: Renewals the account has been through.
        next_due: Month the next renewal falls due (``NO_RENEWAL`` unless active).
        penalty: Early-health penalty (onboarding wait, hand-off gaps), decaying.
        last_trained: Month of the last training.
        opened: ``opened[m]`` is the first prospect slot of month ``m``; ``opened[m + 1]``
            ends them (``opened[0]`` = number of initial accounts).
        segment_first: ``segment_first[m, s]`` is the first prospect slot of segment ``s``
            in month ``m`` (prospects of a month are grouped by segment);
            ``segment_first[m, s + 1]`` ends them.
    """

    def __init__(self, params: ModelParams, seed: int, replication: int) -> None:
        seg_p = params.segments
        months = params.horizon_months
        n_seg = len(seg_p.names)
        self.months = months
        self.n_seg = n_seg
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
        self.seg = np.concatenate([seg_init, seg_new]).astype(np.int16)
        self.open_month = np.concatenate([np.full(n_init, -1), month_new]).astype(np.int64)
        counts = np.concatenate([[n_init], arrivals.sum(axis=1)])
        self.opened = np.cumsum(counts).astype(np.int64)
        self.segment_first = self.opened[:-1, None] + np.concatenate(
            [np.zeros((months, 1), dtype=np.int64), np.cumsum(arrivals, axis=1)], axis=1
        )
        self.fit = stream(seed, replication, "fit").random(n)
        h = params.assumptions.health
        self.health = h.reference + params.health_sd * stream(
            seed, replication, "health_init"
        ).standard_normal(n)
        term = seg_p.step_months[self.seg]
        self.max_renewals = max_renewals = months // int(seg_p.step_months.min()) + 2
        renewal_rng = stream(seed, replication, "renewals")
        # Flat (slot-major): one 32-bit word per (slot, renewal), turned into a uniform where
        # it is used (ccosim.sim.draws.UNIFORM24): the same numbers as numpy's float32
        # uniforms of this stream (resolution 6e-8), without a pass to convert them.
        words = renewal_rng.bit_generator.random_raw(n * max_renewals).view(np.uint32)
        self.u_churn = words[: n * max_renewals]
        self.u_change = words[n * max_renewals :]
        phase = stream(seed, replication, "contract_phase").random(n_init)
        self.heterogeneous = (seg_p.churn_alpha > 0).astype(np.int8)
        self.propensity = self._propensity(seg_p, seed, replication)
        self.health_rng = stream(seed, replication, "health")
        self.upsell_rng = stream(seed, replication, "upsell")
        self.status = np.zeros(n, dtype=np.int8)
        self.alive = np.zeros(n, dtype=bool)
        self.arr = np.zeros(n)
        self.start = np.zeros(n, dtype=np.int32)
        self.renewals = np.zeros(n, dtype=np.int32)
        self.next_due = np.full(n, NO_RENEWAL, dtype=np.int32)
        self.penalty = np.zeros(n)
        self.last_trained = np.full(n, -(10**6), dtype=np.int32)
        self.term = term
        init = np.arange(n_init)
        first_due = np.floor(phase * term[:n_init]).astype(np.int64)
        self.status[init] = ACTIVE
        self.alive[init] = True
        self.accounts_by_segment = seg_p.initial_accounts.astype(np.int64).copy()
        if seg_p.initial_book is None:
            self.arr[init] = seg_p.acv[self.seg[init]]
            self.arr_by_segment = seg_p.initial_accounts * seg_p.acv.astype(float)
            self.start[init] = first_due - term[:n_init]
        else:
            # Actual accounts (calibrate accounts): their ARR, next renewal and tenure.
            book_arr, book_due, book_tenure = seg_p.initial_book
            first_due = np.where(book_due >= 0, book_due, first_due)
            self.arr[init] = book_arr
            self.arr_by_segment = np.bincount(seg_init, weights=book_arr, minlength=n_seg)
            self.start[init] = np.where(book_tenure >= 0, -book_tenure, first_due - term[:n_init])
        self.next_due[init] = first_due
        retrain = params.assumptions.training.retrain_months
        self.last_trained[init] = -1 - (init % retrain)

    def _propensity(self, seg_p: SegmentParams, seed: int, replication: int) -> np.ndarray:
        """Each slot's churn per renewal decision, drawn from its segment's Beta (sBG).

        One draw per slot from its own stream, in slot order, so a slot's propensity depends
        only on the plan, never on which accounts a design signed (common random numbers).
        Homogeneous-only scenarios draw nothing (a one-element placeholder).
        """
        if not self.heterogeneous.any():
            return np.zeros(1)
        alpha = np.where(seg_p.churn_alpha > 0, seg_p.churn_alpha, 1.0)[self.seg]
        beta = np.where(seg_p.churn_beta > 0, seg_p.churn_beta, 1.0)[self.seg]
        if seg_p.initial_book is not None:
            # An account of the actual book that has survived n annual renewals has the
            # posterior propensity Beta(a, b + n) (the sBG's conjugacy).
            tenure = seg_p.initial_book[2]
            beta[: tenure.size] += np.maximum(tenure, 0) // 12
        theta = stream(seed, replication, "churn_propensity").beta(alpha, beta)
        years = seg_p.step_months[self.seg] / 12.0
        return 1 - (1 - theta) ** years

    def active_prefix(self, month: int) -> int:
        """Slots that may be open by the end of ``month`` (the rest are future prospects)."""
        return int(self.opened[month + 1])
