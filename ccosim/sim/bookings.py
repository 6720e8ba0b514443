"""Quotas and bookings: new logos closed by sales capacity, and quota attainment.

Each month's prospects close as far as the account executives' capacity goes (their quota
over the segment's ACV), the deals that need sales-consulting support are won in proportion
to that hand-off, and sales consultants review the fit of what closes, declining poor fits
(docs/model.md, "Acquisition"). New accounts join the onboarding queue. Every third month
closes a quarter: bookings against the new-business and installed-base quotas.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ccosim import metrics
from ccosim.sim.accounts import AccountBook
from ccosim.sim.onboarding import Onboarding
from ccosim.sim.params import ModelParams, fcode
from ccosim.sim.structure import Structure
from ccosim.sim.workforce import Workforce

__all__ = ["Bookings", "Offer"]

SC, SALES = fcode("sales_consulting"), fcode("new_business_sales")
#: ``x.sum()`` without the method's Python wrapper (the same ufunc reduction).
_sum = np.add.reduce


class Offer(NamedTuple):
    """What a new account of each segment signs for.

    Attributes:
        acv: Annual contract value.
        term: Months to its first renewal decision.
    """

    acv: np.ndarray
    term: np.ndarray


class Bookings:
    """New-logo acquisition and quotas of one replication.

    Args:
        params: Compiled parameters.
        book: The account book.
        workforce: Heads per function.
        structure: The org period and structural effects in force.
        onboarding: The implementation queue the new accounts join.
        rec: The ledger's monthly rows.

    Attributes:
        won_by_segment: New accounts of each segment this month.
    """

    def __init__(
        self,
        params: ModelParams,
        book: AccountBook,
        workforce: Workforce,
        structure: Structure,
        onboarding: Onboarding,
        rec: dict[str, np.ndarray],
    ) -> None:
        # numba takes ~0.4 s to import: it loads when a model first runs, not with the
        # package, which every CLI command imports.
        from ccosim.sim import kernels

        kernels.bind(self, "_sign", kernels.sign_prospects)
        self.params = params
        self.book = book
        self.workforce = workforce
        self.structure = structure
        self.onboarding = onboarding
        self.rec = rec
        sp = params.segments
        n_seg = len(sp.names)
        self.offer = Offer(acv=sp.acv, term=sp.step_months)
        self._acv = sp.acv.tolist()
        #: Prospects of each segment opened in each month (month -> list by segment).
        self._prospects = np.diff(book.plan.segment_first, axis=1).tolist()
        self._close_limit = np.zeros(n_seg, dtype=np.int64)
        self.won_by_segment = np.zeros(n_seg, dtype=np.int64)
        self.sales_credit = [0.0] * n_seg
        self.win_credit = [0.0] * n_seg
        self.review_credit = 0.0

    def acquire(self, month: int) -> None:
        """Close the month's prospects as capacity and reviews allow; book the new logos."""
        book, p, a = self.book, self.params, self.params.assumptions
        view = self.structure.view
        n_seg = len(self._acv)
        lo, hi = int(book.plan.opened[month]), int(book.plan.opened[month + 1])
        quota_heads = np.bincount(
            view.quota_segment, weights=self.workforce.filled[view.quota_units], minlength=n_seg
        )[:n_seg]
        self.rec["new_business_quota"][month] = float(
            _sum(quota_heads) * a.new_business.ae_quota / 12
        )
        # The month's prospects are grouped by segment: a segment's is a slot range.
        limit = self._close_limit
        limit[:] = hi - lo
        reviews = self._limit_by_capacity(month, limit) if p.outcomes_on else 0
        onboarding = self.onboarding
        won, onboarding.queue_len, lost_capacity, declined, fit_sum = self._sign(
            month,
            book.plan.segment_first[month],
            limit,
            reviews,
            a.sales_consulting.fit_threshold,
            book.slots,
            book.totals,
            self.offer,
            self.won_by_segment,
            onboarding.work.queue,
            onboarding.queue_len,
        )
        if p.outcomes_on:
            # A review is used by every deal that reached one (at most the credit).
            self.review_credit -= min(reviews, hi - lo - lost_capacity)
        arr_new = 0.0
        for won_s, acv in zip(self.won_by_segment.tolist(), self._acv, strict=True):
            arr_new += won_s * acv
        rec = self.rec
        rec["new_logos"][month] = won
        rec["arr_new"][month] = arr_new
        rec["bookings_new"][month] = arr_new
        rec["new_account_fit"][month] = fit_sum / won if won else np.nan
        rec["deals_declined"][month] = declined
        rec["deals_lost_capacity"][month] = lost_capacity

    def _limit_by_capacity(self, month: int, limit: np.ndarray) -> int:
        """Cap each segment's deals by AE capacity and SC support; return the reviews.

        Per-segment bookkeeping in Python floats: a handful of segments, where numpy's
        per-element overhead would cost more than the arithmetic.
        """
        a, wf = self.params.assumptions, self.workforce
        n_seg = len(self._acv)
        ae_heads, _ = wf.capacity(SALES, n_seg)
        quota = a.new_business.ae_quota
        deals = [h * quota / acv / 12 for h, acv in zip(ae_heads.tolist(), self._acv, strict=True)]
        prospects = self._prospects[month]
        sales_credit, win_credit = self.sales_credit, self.win_credit
        for s in self.structure.view.ae_segments:
            credit = min(sales_credit[s] + deals[s], max(deals[s], 1.0))
            k = min(prospects[s], int(credit + 1e-9))
            sales_credit[s] = credit - k
            limit[s] = k
        # Deals that need sales-consulting support are won x the hand-off factor.
        win = 1 - a.handoff.deal_support_weight * (
            1 - self.structure.effects.handoff["sales_with_sales_consulting"]
        )
        if win != 1.0:
            for s in range(n_seg):
                credit = win_credit[s] + prospects[s] * win
                k = max(int(credit + 1e-9), 0)
                win_credit[s] = credit - k
                limit[s] = min(limit[s], k)
        capacity = wf.heads[SC] * a.sales_consulting.reviews_per_consultant_month
        self.review_credit = min(self.review_credit + capacity, max(capacity, 1.0))
        return int(self.review_credit + 1e-9)

    def close_quarter(self, month: int) -> None:
        """Bookings against quota over the quarter ending with ``month``."""
        rec = self.rec
        q = slice(month - 2, month + 1)
        rec["new_quota_attainment"][month] = metrics.attainment(
            _sum(rec["bookings_new"][q]), _sum(rec["new_business_quota"][q])
        )
        rec["installed_base_quota_attainment"][month] = metrics.attainment(
            _sum(rec["bookings_installed_base"][q]), _sum(rec["installed_base_quota"][q])
        )
