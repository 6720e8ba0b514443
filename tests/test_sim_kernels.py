"""The compiled monthly passes against plain-Python statements of the same rules."""

from __future__ import annotations

import numpy as np
import pytest

from ccosim.sim import kernels
from ccosim.sim.accounts import (
    ACTIVE,
    CHURNED,
    LOST,
    NO_RENEWAL,
    RenewalDraws,
    SegmentTotals,
    Slots,
)
from ccosim.sim.bookings import Offer
from ccosim.sim.health import CoverageRules, HealthRules
from ccosim.sim.onboarding import Penalties, Work
from ccosim.sim.renewals import Odds, RenewalLog, RenewalTerms


def slots(n: int, **arrays: np.ndarray) -> Slots:
    """A book's per-slot arrays: those given, the others unused placeholders."""
    filler = {name: np.zeros(n) for name in Slots._fields}
    return Slots(**{**filler, **arrays})


def test_training_takes_the_lowest_overdue_live_slots_up_to_capacity():
    rng = np.random.default_rng(11)
    n = 500
    last = rng.integers(-30, 40, n)
    alive = rng.random(n) < 0.6
    cutoff, month, capacity = 20, 32, 40
    expected_last = last.copy()
    due = [i for i in range(n) if last[i] <= cutoff and alive[i]]
    for i in due[:capacity]:
        expected_last[i] = month
    overdue = np.zeros(n, dtype=bool)

    counted, trained = kernels.train_due(last, alive, n, cutoff, month, capacity, overdue)

    assert (counted, trained) == (len(due), capacity)
    np.testing.assert_array_equal(last, expected_last)
    np.testing.assert_array_equal(overdue, expected_last <= cutoff)


def test_training_never_trains_more_than_are_due():
    last = np.array([0, 0, 50, 0])
    alive = np.array([True, False, True, True])
    overdue = np.zeros(4, dtype=bool)
    assert kernels.train_due(last, alive, 4, 10, 60, 99, overdue) == (2, 2)
    np.testing.assert_array_equal(last, [60, 0, 50, 60])
    np.testing.assert_array_equal(overdue, [False, True, False, False])


@pytest.mark.parametrize("outcomes_on", [True, False])
def test_health_moves_as_the_documented_equation(outcomes_on):
    rng = np.random.default_rng(5)
    n, r, decay, untrained, reference = 300, 0.2, 0.8, 1.5, 70.0
    health = rng.normal(70, 15, n + 10)
    levels = rng.integers(0, 8, n).astype(np.uint16)
    table = rng.normal(0, 4, 8)
    seg = rng.integers(0, 3, n + 10)
    target = r * np.array([65.0, 72.0, 78.0])
    penalty = rng.random(n + 10) * 10
    overdue = rng.random(n) < 0.3
    h0, p0 = health.copy(), penalty.copy()

    book = slots(n + 10, health=health, seg=seg, penalty=penalty)
    rules = HealthRules(r, outcomes_on, decay, untrained, reference)
    kernels.move_health(book, levels, table, n, target, overdue, rules)

    if outcomes_on:
        p1 = p0[:n] * decay
        want = h0[:n] * (1 - r) + table[levels] + target[seg[:n]] - p1 * r - untrained * overdue
        np.testing.assert_array_equal(penalty[:n], p1)
    else:
        want = h0[:n] * (1 - r) + table[levels] + r * reference
        np.testing.assert_array_equal(penalty, p0)
    np.testing.assert_allclose(health[:n], want, rtol=1e-13)
    np.testing.assert_array_equal(health[n:], h0[n:])  # slots beyond the prefix untouched


class Book:
    """A small book with ``n`` slots, every one active in segment 0 or 1, all due at month 12."""

    def __init__(self, arr: list[float], seg: list[int]) -> None:
        n = len(arr)
        self.n = n
        self.arr = np.array(arr, dtype=float)
        self.seg = np.array(seg, dtype=np.int64)
        self.next_due = np.full(n, 12, dtype=np.int64)
        self.health = np.full(n, 70.0)
        self.fit_churn = np.ones(n)
        self.renewals = np.zeros(n, dtype=np.int64)
        self.status = np.full(n, ACTIVE, dtype=np.int8)
        self.alive = np.ones(n, dtype=bool)
        # Renewal draws are 32-bit words; 2^31 reads as the uniform 0.5.
        self.u_churn = np.full(n * 3, 2**31, dtype=np.uint32)
        self.u_change = np.full(n * 3, 2**31, dtype=np.uint32)
        self.renewed_month = np.full(n, -1, dtype=np.int64)
        self.arr_by_segment = np.bincount(self.seg, weights=self.arr, minlength=2)
        self.accounts_by_segment = np.bincount(self.seg, minlength=2)
        self.kept = np.zeros(2, dtype=np.int64)

    def settle(self, capacity: int, churn_worked=1.0, churn_unworked=1.0, expansion=0.0):
        """Settle month 12 with no health sensitivity.

        Churn is 0.1 per term times the worked or unworked multiplier; expansion has
        probability ``expansion``.
        """
        odds = Odds(70.0, 0.0, 0.0, 1.0, expansion, 0.0, churn_worked, 1.0, churn_unworked, 1.0)
        book = slots(
            self.n, seg=self.seg, status=self.status, alive=self.alive, arr=self.arr,
            health=self.health, renewals=self.renewals, next_due=self.next_due,
        )  # fmt: skip
        terms = RenewalTerms(
            np.array([0.1, 0.1]), np.array([1.0, 1.0]), np.array([12, 12]),
            np.tile([1.0, 1.2, 0.9, 0.0], 2), self.fit_churn,
        )  # fmt: skip
        return kernels.settle_renewals(
            12, self.n, book, SegmentTotals(self.accounts_by_segment, self.arr_by_segment),
            RenewalDraws(self.u_churn, self.u_change, 3, np.zeros(1), np.zeros(2, np.int8)),
            terms, odds, RenewalLog(self.renewed_month, self.kept), capacity, True,
        )  # fmt: skip


def test_reps_work_the_largest_renewals_first_ties_to_the_lowest_slot():
    # Worked renewals never churn (p = 0); unworked ones always do (p = 0.1 * 20 > u = 0.5).
    book = Book([10.0, 50.0, 30.0, 50.0, 20.0], [0, 1, 0, 1, 0])
    due, worked, churned, arr_churn, *_ = book.settle(3, churn_worked=0.0, churn_unworked=20.0)
    assert (due, worked, churned) == (5, 3, 2)
    # Kept: 50 (slot 1), 50 (slot 3) and 30 (slot 2); lost: 20 and 10.
    np.testing.assert_array_equal(book.alive, [False, True, True, True, False])
    assert arr_churn == 30.0
    tie = Book([10.0, 50.0, 30.0, 50.0, 20.0], [0, 1, 0, 1, 0])
    assert tie.settle(1, churn_worked=0.0, churn_unworked=20.0)[:3] == (5, 1, 4)
    np.testing.assert_array_equal(tie.alive, [False, True, False, False, False])


def test_settled_renewals_keep_the_book_consistent():
    book = Book([10.0, 50.0, 30.0, 50.0, 20.0], [0, 1, 0, 1, 0])
    book.u_change[2 * 3] = 2**25  # slot 2 expands (u = 0.008 < expansion probability 0.3)
    book.u_churn[0] = 2**25  # slot 0 churns (u = 0.008 < 0.1)
    out = book.settle(10, expansion=0.3)
    due, worked, churned, arr_churn, arr_contraction, arr_expansion, renewed, before = out
    assert (due, worked, churned) == (5, 5, 1)
    assert (arr_churn, arr_contraction) == (10.0, 0.0)
    assert arr_expansion == pytest.approx(6.0)
    assert before == 160.0 and renewed == pytest.approx(156.0)
    np.testing.assert_allclose(book.arr, [0.0, 50.0, 36.0, 50.0, 20.0])
    np.testing.assert_allclose(
        book.arr_by_segment, np.bincount(book.seg, weights=book.arr, minlength=2)
    )
    np.testing.assert_array_equal(book.accounts_by_segment, [2, 2])
    np.testing.assert_array_equal(book.kept, [2, 2])
    assert book.status[0] == CHURNED and book.next_due[0] == NO_RENEWAL
    np.testing.assert_array_equal(book.next_due[1:], 24)
    np.testing.assert_array_equal(book.renewals, [0, 1, 1, 1, 1])
    np.testing.assert_array_equal(book.renewed_month, 12)


def test_upsell_skips_accounts_new_or_renewed_this_month_and_the_churned():
    seg = np.array([0, 0, 1, 1, 0])
    alive = np.array([True, True, True, False, True])
    start = np.array([-5, 7, -5, -5, -5])  # slot 1 signed this month
    renewed = np.array([-1, -1, -1, -1, 7])  # slot 4 renewed this month
    arr = np.array([100.0, 100.0, 200.0, 0.0, 100.0])
    by_segment = np.array([300.0, 200.0])
    u = np.zeros(5, dtype=np.uint32)  # every draw is a lead
    hits, gained = kernels.upsell(
        7, u, np.array([2.0**31, 2.0**31]), slots(5, seg=seg, alive=alive, start=start, arr=arr),
        SegmentTotals(np.zeros(2, np.int64), by_segment), renewed, np.array([0.1, 0.5]),
    )  # fmt: skip
    assert (hits, gained) == (2, 110.0)
    np.testing.assert_allclose(arr, [110.0, 100.0, 300.0, 0.0, 100.0])
    np.testing.assert_allclose(by_segment, [310.0, 300.0])


def test_live_scores_are_clipped_in_slot_order_and_banded():
    health = np.array([-5.0, 40.0, 120.0, 60.0, 90.0])
    alive = np.array([True, False, True, True, False])
    out = np.empty(5)
    # Live scores 0, 100 and 60 (slot 4 is past the prefix): red is <= 50, yellow <= 75.
    assert kernels.live_scores(health, alive, 4, 50.0, 75.0, out) == (3, 1, 2)
    np.testing.assert_array_equal(out[:3], [0.0, 100.0, 60.0])


def test_live_score_bands_match_the_metric_definition():
    from ccosim import metrics

    rng = np.random.default_rng(5)
    health = rng.normal(60, 30, 800)
    health[:5] = [50.0, 75.0, 50.0000001, 75.0000001, -3.0]  # the band edges
    alive = rng.random(800) < 0.7
    alive[:5] = True
    out = np.empty(800)
    live, red, not_green = kernels.live_scores(health, alive, 800, 50.0, 75.0, out)
    scores = np.clip(health[alive], 0, 100)
    expected = metrics.health_band_counts(scores, 50.0, 75.0)
    assert (red, not_green - red, live - not_green) == expected
    np.testing.assert_array_equal(out[:live], scores)


def test_prospects_close_up_to_capacity_and_reviews_decline_poor_fit():
    # Segment 0: slots 0-3 (capacity 3); segment 1: slots 4-5 (no limit).
    n = 6
    fit = np.array([0.9, 0.1, 0.8, 0.7, 0.2, 0.9])
    status = np.zeros(n, dtype=np.int8)
    alive = np.zeros(n, dtype=bool)
    arr, start, next_due = np.zeros(n), np.zeros(n, np.int64), np.full(n, NO_RENEWAL)
    accounts, by_segment, won_by = np.array([10, 5]), np.array([1e6, 5e5]), np.zeros(2, np.int64)
    queue = np.zeros(n, dtype=np.int64)
    queue[0] = 99  # already queued from an earlier month
    book = slots(n, fit=fit, status=status, alive=alive, arr=arr, start=start, next_due=next_due)
    won, queue_len, lost_capacity, declined, fit_sum = kernels.sign_prospects(
        7, np.array([0, 4, 6]), np.array([3, 2]), 4, 0.5, book,
        SegmentTotals(accounts, by_segment), Offer(np.array([100.0, 10.0]), np.array([12, 24])),
        won_by, queue, 1,
    )  # fmt: skip
    # Capacity loses slot 3; the four reviews reach slots 0, 1, 2 and 4 and decline 1 and 4.
    assert (won, lost_capacity, declined) == (3, 1, 2)
    np.testing.assert_array_equal(queue[:queue_len], [99, 0, 2, 5])
    np.testing.assert_array_equal(status, [ACTIVE, LOST, ACTIVE, LOST, LOST, ACTIVE])
    np.testing.assert_array_equal(arr, [100.0, 0, 100.0, 0, 0, 10.0])
    np.testing.assert_array_equal(next_due[[0, 2, 5]], [19, 19, 31])
    np.testing.assert_array_equal(won_by, [2, 1])
    np.testing.assert_array_equal(accounts, [12, 6])
    np.testing.assert_allclose(by_segment, [1e6 + 200.0, 5e5 + 10.0])
    assert fit_sum == pytest.approx(0.9 + 0.8 + 0.9)


def test_onboarding_starts_in_queue_order_within_credit_and_penalises_waiting():
    n = 8
    alive = np.ones(n, dtype=bool)
    alive[1] = False  # churned while queued: leaves the queue
    seg = np.array([0, 0, 1, 0, 1, 0, 0, 0])
    start = np.full(n, 5, dtype=np.int64)
    queue = np.array([0, 1, 2, 3, 4, 0, 0, 0])
    project = np.zeros(n, np.int64)
    done_month, ttv = np.zeros(n, np.int64), np.zeros(n)
    project[0], done_month[0], ttv[0] = 6, 9, 2.5  # a project under way, ending now
    penalty = np.zeros(n)
    # Effort 1 (segment 0) and 2 (segment 1); credit 3.5 starts slots 0 and 2, not 3.
    work = Work(queue, project, done_month, ttv)
    book = slots(n, alive=alive, seg=seg, start=start, penalty=penalty)
    penalties = Penalties(wait=1.0, most=1.5, gap=0.25)
    queue_len, projects, used, finished, ttv_sum = kernels.onboard(
        9, work, 5, 1, 3.5, book, np.array([1.0, 2.0]), np.array([0.5, 3.0]), True, penalties,
    )  # fmt: skip
    assert (queue_len, used) == (2, 3.0)
    np.testing.assert_array_equal(queue[:2], [3, 4])
    # Slot 0 (half a month) ends this month with the one under way; slot 2 runs to month 12.
    assert (finished, projects) == (2, 1)
    assert ttv_sum == pytest.approx(2.5 + (9 - 5) + 0.5)
    assert (project[0], done_month[0], ttv[0]) == (2, 12, 7.0)
    np.testing.assert_array_equal(penalty, [0.25, 0, 0, 1.0, 1.0, 0, 0.25, 0])
    # Waiting penalties stop at the cap.
    kernels.onboard(
        10, work, 2, 1, 0.0, book, np.array([1.0, 2.0]), np.array([0.5, 3.0]), True, penalties,
    )  # fmt: skip
    np.testing.assert_array_equal(penalty[[3, 4]], [1.5, 1.5])


@pytest.mark.parametrize("shared", [0.0, 4.0])
def test_cs_coverage_states_the_coverage_rule_per_segment(shared):
    dedicated = np.array([3.0, 0.0, 2.5, 0.0])
    accounts = np.array([120.0, 300.0, 0.0, 40.0])
    per_csm = np.array([40.0, 100.0, 25.0, 10.0])
    keep, max_cov, lift, mult, floor, lead_mult = 0.9, 1.2, 6.0, 1.1, 0.3, 0.95
    seg_effect, leads = np.zeros(4), np.zeros(4)
    # The rule in numpy: shared heads go where the need is; no need counts as covered.
    need = accounts / per_csm
    heads = dedicated * keep + shared * keep * need / need.sum()
    cov = np.minimum(np.where(need > 0, heads / np.maximum(need, 1e-12), 1.0), max_cov)

    rules = CoverageRules(keep, max_cov, lift, mult, floor, lead_mult)
    weighted = kernels.cs_coverage(dedicated, shared, accounts, per_csm, rules, seg_effect, leads)

    np.testing.assert_allclose(seg_effect, lift * (mult * cov - 1))
    np.testing.assert_allclose(
        leads, (floor + (1 - floor) * np.minimum(cov, 1.0) * (cov > 0)) * lead_mult
    )
    assert weighted == pytest.approx((cov * need).sum() / need.sum())
    assert seg_effect[2] == pytest.approx(lift * (mult * 1.0 - 1))  # no accounts: covered
    if shared == 0.0:
        assert leads[1] == pytest.approx(floor * lead_mult)  # no CSM at all: the floor


def test_cs_coverage_is_nan_when_no_segment_needs_a_csm():
    out = np.zeros(2)
    rules = CoverageRules(1.0, 1.0, 5.0, 1.0, 0.3, 1.0)
    value = kernels.cs_coverage(np.zeros(2), 1.0, np.zeros(2), np.ones(2), rules, out, out.copy())
    assert np.isnan(value)


def test_ratio_targets_round_up_the_driver_per_head_and_keep_the_floor():
    base = np.array([4.0, 99.0, 2.0, 99.0, 99.0])  # units 1, 3 and 4 have ratio policies
    drivers = np.array([[250.0, 30.0], [600.0, 400.0]])  # driver x segment
    # Cells of the driver x (segment 0, segment 1, all) table: 0 = driver 0 of segment 0;
    # 5 = driver 1 of all segments (1,000); 4 = driver 1 of segment 1 (400).
    target = np.zeros(5)
    kernels.ratio_targets(
        base, drivers, np.array([1, 3, 4]), np.array([0, 5, 4]), np.array([100.0, 100.0, 50.0]),
        np.array([1.0, 12.0, 0.0]), target,
    )  # fmt: skip
    # 250 / 100 -> 3 heads; 1000 / 100 is exactly 10 (no extra head), below the floor of 12;
    # 400 / 50 -> 8.
    np.testing.assert_array_equal(target, [4.0, 3.0, 2.0, 12.0, 8.0])
    # A driver a rounding error above a whole number of heads asks for that number, not one
    # more: (0.1 + 0.2) / 0.1 is 3.0000000000000004 in floating point.
    kernels.ratio_targets(
        base, np.array([[0.1 + 0.2, 0.0]]), np.array([1]), np.array([0]), np.array([0.1]),
        np.array([0.0]), target,
    )  # fmt: skip
    assert target[1] == 3.0


def test_roll_up_sums_heads_by_function_and_costs_heads_in_post():
    table = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [4.0, 0.0, 0.25]])
    filled = np.array([2.0, 1.0, 3.0, 0.5])
    cost = np.array([120_000.0, 60_000.0, 240_000.0, 12_000.0])
    function = np.array([0, 2, 0, 1])
    target = np.array([3.0, 1.0, 3.0, 2.0])
    gap = np.maximum(target - filled, 0.0)
    active = np.array([1.0, 1.0, 0.0, 1.0])  # unit 2 is outside the period
    heads, costs, in_post, asked, missing = kernels.roll_up(
        table, filled, cost, function, target, gap, active
    )
    np.testing.assert_array_equal(heads, [3.5, 0.0, 4.25])
    np.testing.assert_allclose(costs, [(240_000 + 720_000) / 12, 500.0, 5_000.0])
    assert (in_post, asked, missing) == (3.5, 6.0, 2.5)
