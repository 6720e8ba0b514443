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
:mod:`ccosim.sim.kernels`, which keep the segment totals in step. The arrays travel to those
passes in named tuples (:class:`Slots`, :class:`SegmentTotals`, :class:`RenewalDraws`):
numba reads their fields by name in compiled code.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ccosim.sim.params import ModelParams, SegmentParams
from ccosim.streams import stream

__all__ = [
    "ACTIVE",
    "CHURNED",
    "LOST",
    "NOT_OPEN",
    "AccountBook",
    "ProspectPlan",
    "RenewalDraws",
    "SegmentTotals",
    "Slots",
]

NOT_OPEN, ACTIVE, CHURNED, LOST = 0, 1, 2, 3
NO_RENEWAL = -1  # next_due of a slot that is not under contract


class Slots(NamedTuple):
    """Per-slot state of the book: one array each, indexed by account slot.

    Attributes:
        seg: Segment index of each slot.
        status: NOT_OPEN, ACTIVE, CHURNED or LOST (prospect not closed).
        alive: ``status == ACTIVE``.
        arr: Current ARR (0 unless active).
        health: Latent health (reported score is this clipped to 0-100).
        fit: Fit of the customer to the product, uniform 0-1.
        start: Month the account was signed (negative for the initial base).
        renewals: Renewals the account has been through.
        next_due: Month the next renewal falls due (``NO_RENEWAL`` unless active).
        penalty: Early-health penalty (onboarding wait, hand-off gaps), decaying.
        last_trained: Month of the last training.
    """

    seg: np.ndarray
    status: np.ndarray
    alive: np.ndarray
    arr: np.ndarray
    health: np.ndarray
    fit: np.ndarray
    start: np.ndarray
    renewals: np.ndarray
    next_due: np.ndarray
    penalty: np.ndarray
    last_trained: np.ndarray


class SegmentTotals(NamedTuple):
    """Running totals per segment, kept in step by every pass that opens, churns or grows.

    Attributes:
        accounts: Active accounts per segment.
        arr: ARR of the active accounts per segment.
    """

    accounts: np.ndarray
    arr: np.ndarray


class RenewalDraws(NamedTuple):
    """The renewal decisions' random numbers, drawn once per replication.

    Attributes:
        churn: Churn word of each (slot, renewal), slot-major: a uniform as
            :data:`ccosim.sim.draws.UNIFORM24` says.
        change: Change (contraction, expansion) word of each (slot, renewal), likewise.
        per_slot: Renewals per slot in ``churn`` and ``change``.
        propensity: Churn per renewal decision of each slot drawn from its segment's Beta
            (read only for slots of a heterogeneous segment; one element when none is).
        heterogeneous: 1 for a segment whose churn propensity varies by account, else 0.
    """

    churn: np.ndarray
    change: np.ndarray
    per_slot: int
    propensity: np.ndarray
    heterogeneous: np.ndarray


class ProspectPlan(NamedTuple):
    """Where each month's prospects sit among the slots.

    Attributes:
        planned_per_year: Month x segment: the plan's new accounts a year.
        opened: ``opened[m]`` is the first prospect slot of month ``m``; ``opened[m + 1]``
            ends them (``opened[0]`` = number of initial accounts).
        segment_first: ``segment_first[m, s]`` is the first prospect slot of segment ``s``
            in month ``m`` (prospects of a month are grouped by segment);
            ``segment_first[m, s + 1]`` ends them.
    """

    planned_per_year: np.ndarray
    opened: np.ndarray
    segment_first: np.ndarray


class AccountBook:
    """Per-account state of one replication and its random draws.

    Attributes:
        n: Slots (initial accounts plus every prospect of the horizon).
        n_initial: Slots of the initial base (the first ones).
        slots: The per-slot arrays.
        totals: Active accounts and their ARR per segment.
        draws: The renewal decisions' random numbers.
        plan: Where each month's prospects sit.
    """

    def __init__(self, params: ModelParams, seed: int, replication: int) -> None:
        seg_p = params.segments
        months = params.horizon_months
        n_seg = len(seg_p.names)
        rate = np.empty((months, n_seg))
        year = np.arange(months) // 12
        for s in range(n_seg):
            rate[:, s] = (
                seg_p.new_accounts_per_year[s] * (1 + seg_p.new_accounts_growth[s]) ** year / 12
            )
        arrivals = stream(seed, replication, "arrivals").poisson(rate)
        n_init = int(seg_p.initial_accounts.sum())
        seg_init = np.repeat(np.arange(n_seg), seg_p.initial_accounts)
        # Prospects of month m, segment by segment, follow those of month m - 1.
        seg_new = np.repeat(np.tile(np.arange(n_seg), months), arrivals.ravel())
        self.n_initial = n_init
        self.n = n = n_init + len(seg_new)
        seg = np.concatenate([seg_init, seg_new]).astype(np.int16)
        opened = np.cumsum(np.concatenate([[n_init], arrivals.sum(axis=1)])).astype(np.int64)
        self.plan = ProspectPlan(
            planned_per_year=rate * 12,
            opened=opened,
            segment_first=opened[:-1, None]
            + np.concatenate(
                [np.zeros((months, 1), dtype=np.int64), np.cumsum(arrivals, axis=1)], axis=1
            ),
        )
        fit = stream(seed, replication, "fit").random(n)
        h = params.assumptions.health
        health = h.reference + params.health_sd * stream(
            seed, replication, "health_init"
        ).standard_normal(n)
        term = seg_p.step_months[seg]
        max_renewals = months // int(seg_p.step_months.min()) + 2
        renewal_rng = stream(seed, replication, "renewals")
        # Flat (slot-major): one 32-bit word per (slot, renewal), turned into a uniform where
        # it is used (ccosim.sim.draws.UNIFORM24): the same numbers as numpy's float32
        # uniforms of this stream (resolution 6e-8), without a pass to convert them.
        words = renewal_rng.bit_generator.random_raw(n * max_renewals).view(np.uint32)
        phase = stream(seed, replication, "contract_phase").random(n_init)
        heterogeneous = (seg_p.churn_alpha > 0).astype(np.int8)
        self.draws = RenewalDraws(
            churn=words[: n * max_renewals],
            change=words[n * max_renewals :],
            per_slot=max_renewals,
            propensity=_propensity(seg_p, seg, heterogeneous, seed, replication),
            heterogeneous=heterogeneous,
        )
        self.slots = slots = Slots(
            seg=seg,
            status=np.zeros(n, dtype=np.int8),
            alive=np.zeros(n, dtype=bool),
            arr=np.zeros(n),
            health=health,
            fit=fit,
            start=np.zeros(n, dtype=np.int32),
            renewals=np.zeros(n, dtype=np.int32),
            next_due=np.full(n, NO_RENEWAL, dtype=np.int32),
            penalty=np.zeros(n),
            last_trained=np.full(n, -(10**6), dtype=np.int32),
        )
        init = np.arange(n_init)
        first_due = np.floor(phase * term[:n_init]).astype(np.int64)
        slots.status[init] = ACTIVE
        slots.alive[init] = True
        accounts = seg_p.initial_accounts.astype(np.int64).copy()
        if seg_p.initial_book is None:
            slots.arr[init] = seg_p.acv[seg[init]]
            arr_by_segment = seg_p.initial_accounts * seg_p.acv.astype(float)
            slots.start[init] = first_due - term[:n_init]
        else:
            # Actual accounts (calibrate accounts): their ARR, next renewal and tenure.
            book_arr, book_due, book_tenure = seg_p.initial_book
            first_due = np.where(book_due >= 0, book_due, first_due)
            slots.arr[init] = book_arr
            arr_by_segment = np.bincount(seg_init, weights=book_arr, minlength=n_seg)
            slots.start[init] = np.where(book_tenure >= 0, -book_tenure, first_due - term[:n_init])
        self.totals = SegmentTotals(accounts=accounts, arr=arr_by_segment)
        slots.next_due[init] = first_due
        retrain = params.assumptions.training.retrain_months
        slots.last_trained[init] = -1 - (init % retrain)

    def active_prefix(self, month: int) -> int:
        """Slots that may be open by the end of ``month`` (the rest are future prospects)."""
        return int(self.plan.opened[month + 1])


def _propensity(
    seg_p: SegmentParams, seg: np.ndarray, heterogeneous: np.ndarray, seed: int, replication: int
) -> np.ndarray:
    """Each slot's churn per renewal decision, drawn from its segment's Beta (sBG).

    One draw per slot from its own stream, in slot order, so a slot's propensity depends
    only on the plan, never on which accounts a design signed (common random numbers).
    Homogeneous-only scenarios draw nothing (a one-element placeholder).
    """
    if not heterogeneous.any():
        return np.zeros(1)
    alpha = np.where(seg_p.churn_alpha > 0, seg_p.churn_alpha, 1.0)[seg]
    beta = np.where(seg_p.churn_beta > 0, seg_p.churn_beta, 1.0)[seg]
    if seg_p.initial_book is not None:
        # An account of the actual book that has survived n annual renewals has the
        # posterior propensity Beta(a, b + n) (the sBG's conjugacy).
        tenure = seg_p.initial_book[2]
        beta[: tenure.size] += np.maximum(tenure, 0) // 12
    theta = stream(seed, replication, "churn_propensity").beta(alpha, beta)
    years = seg_p.step_months[seg] / 12.0
    # As for homogeneous churn (docs/model.md, "Units"): compounded within a year, y years'
    # worth at a decision of a longer term (capped at 1: docs/model.md, "Heterogeneous churn").
    return np.where(years > 1, np.minimum(years * theta, 1.0), 1 - (1 - theta) ** years)
