"""Compiled per-slot passes of the monthly cycle (numba).

Each kernel is one loop over what a month touches: staff the units; then, over the slots of
the account book, sign the month's prospects, start and finish onboarding projects, train and
flag, move health, settle the renewals due, convert mid-term upsell, read the live scores;
and, once a year, sum each segment's retention over the year's cohort.
Written as numpy expressions they cost 20-40 calls a month each, and at 10,000 accounts the
fixed cost of those calls (microseconds each, on arrays of a few hundred renewals) was most of
the engine's time; one compiled loop per step does the same arithmetic in one pass with no
temporaries. The mechanisms, their equations and their draws are those of
:mod:`ccosim.sim.model` and ``docs/model.md``; only the loops live here.

The draws are made by numpy outside the kernels (raw bit-generator words, see
:mod:`ccosim.sim.draws`), so a slot reads the same random numbers whatever the kernels do.
Kernels are compiled on first use and cached next to this file (``cache=True``); numba is
imported only when a model first runs (each component imports this module when it is built).

Inputs travel as named tuples of arrays and scalars (the book's :class:`~ccosim.sim.accounts.Slots`,
a component's rules, the month's odds), declared beside the component that builds them; numba
compiles field access by name, so a kernel reads ``book.arr`` as it would a plain argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba
import numpy as np

from ccosim.sim.accounts import ACTIVE, CHURNED, LOST, NO_RENEWAL
from ccosim.sim.draws import UNIFORM24

__all__ = [
    "bind",
    "cached",
    "cs_coverage",
    "live_scores",
    "move_health",
    "onboard",
    "ratio_targets",
    "roll_up",
    "segment_retention",
    "settle_renewals",
    "sign_prospects",
    "staff",
    "train_due",
    "upsell",
]

_jit = numba.njit(cache=True, nogil=True)

#: Check on every call of a bound kernel that its arguments keep the types of its first call
#: (tests turn it on; see :func:`bind`).
CHECK_TYPES = False


def bind(owner: object, name: str, kernel: Any) -> None:
    """Set ``owner.<name>`` to ``kernel``; after its first call, to its compiled code itself.

    numba's dispatcher works out the type of every argument on every call to pick the
    compiled code; for a named tuple of arrays that costs microseconds a call, more than some
    kernels' work on a small book (docs/performance.md, "Named inputs"). A component calls
    each kernel with arguments of the same types every month, so its first call picks the
    compiled entry point of those types and replaces ``owner.<name>`` by it. The entry points
    are kept per kernel and per fingerprint of the argument types (:func:`_fingerprint`), so
    later replications find theirs without asking numba again. Arguments must keep their
    types from call to call (the same dtypes and layouts, Python ``int`` for integers,
    ``float`` for reals, ``bool`` for flags); with :data:`CHECK_TYPES` on (the tests), every
    call checks that they do. When numba ran the first call on compiled code of other types
    (converting the arguments), the dispatcher stays.

    Args:
        owner: The component that calls the kernel.
        name: The attribute it calls the kernel through.
        kernel: One of this module's compiled kernels.
    """

    def first(*args: Any) -> Any:
        key = (kernel, tuple(_fingerprint(a) for a in args))
        entry = _ENTRIES.get(key)
        if entry is None:
            result = kernel(*args)
            signature = tuple(numba.typeof(a) for a in args)
            overload = kernel.overloads.get(signature)
            # ``entry_point`` is numba's compiled function of a CompileResult; should a numba
            # release rename it, the dispatcher (slower, same results) is used instead.
            entry = getattr(overload, "entry_point", None) or kernel
            if CHECK_TYPES and entry is not kernel:
                entry = _checked(kernel, entry, signature)
            _ENTRIES[key] = entry
        else:
            result = entry(*args)
        setattr(owner, name, entry)
        return result

    setattr(owner, name, first)


#: Compiled entry points by (kernel, fingerprint of the argument types).
_ENTRIES: dict[tuple[Any, tuple[Any, ...]], Callable[..., Any]] = {}


def _fingerprint(value: Any) -> Any:
    """What numba's type of ``value`` depends on, cheap to compute.

    Arrays: dtype, dimensions, contiguity, writability and alignment; tuples (named tuples
    included): their class and their items'; anything else: its Python class (the integers
    here are far below 2^63, which numba types as int64).
    """
    if isinstance(value, np.ndarray):
        f = value.flags
        return (value.dtype.str, value.ndim, f.c_contiguous, f.f_contiguous, f.writeable, f.aligned)
    if isinstance(value, tuple):
        return (type(value), *(_fingerprint(v) for v in value))
    return type(value)


def _checked(kernel: Any, entry: Callable[..., Any], signature: tuple[Any, ...]) -> Any:
    """``entry``, refusing arguments whose types differ from ``signature``."""

    def call(*args: Any) -> Any:
        types = tuple(numba.typeof(a) for a in args)
        if types != signature:
            pairs = enumerate(zip(signature, types, strict=False))
            changed = [(i, s, t) for i, (s, t) in pairs if s != t]
            raise TypeError(f"{kernel.__name__}: argument types changed: {changed}")
        return entry(*args)

    return call


@_jit
def staff(month: int, state: Any, period: Any, rules: Any, dip_on: bool, spike_on: bool) -> float:
    """One month of every unit's staffing, in place (docs/model.md "Workforce").

    Hires due this month start; attrition takes its share of those in post and of the hires
    still ramping; the gap to ``state.target`` not already in the pipeline is requisitioned,
    at once for units with no time to fill, else into the pipeline at ``later_cell + month``;
    productive heads are those in post less the ramp deficit, times span and move-dip
    factors, summed into ``state.table`` by ``table_key`` (keys past its end are not counted).

    Args:
        month: The month.
        state: The workforce's arrays (:class:`ccosim.sim.workforce.StaffState`), updated.
        period: The org period's staffing figures (:class:`ccosim.sim.workforce.StaffPeriod`).
        rules: The scenario's staffing rules (:class:`ccosim.sim.workforce.StaffRules`).
        dip_on: Whether a move's productivity dip may still act this month.
        spike_on: Whether a move's attrition spike may still act this month.

    Returns:
        Annual loaded cost of the heads laid off this month (0 without ``rules.layoffs``).
    """
    target, filled, pending = state.target, state.filled, state.pending
    pipeline, hires, moved_at = state.pipeline, state.hires, state.moved_at
    lo = max(0, month - rules.max_window + 1)
    laid_off = 0.0
    for u in range(filled.size):
        started = pipeline[u, month]
        f = filled[u] + started
        pending[u] -= started
        hires[u, month] += started
        f *= period.keep_filled[u]
        keep = period.keep_share[u]
        if spike_on and month - moved_at[u] < rules.spike_months:
            f *= rules.spike_keep
            keep *= rules.spike_keep
        for m in range(lo, month + 1):
            hires[u, m] *= keep
        short = target[u] - f - pending[u]
        if period.shrink[u] > 0 and short < -1e-9:
            # The target fell: cancel requisitions not yet started, latest first.
            excess = min(-short, pending[u])
            m = pipeline.shape[1] - 1
            while excess > 1e-12 and m > month:
                cut = min(excess, pipeline[u, m])
                pipeline[u, m] -= cut
                pending[u] -= cut
                excess -= cut
                m -= 1
            over = f - target[u]
            if rules.layoffs and over > 1e-9:
                laid_off += over * period.cost[u]
                share = target[u] / f
                f = target[u]
                for m in range(lo, month + 1):
                    hires[u, m] *= share
        if not short > 1e-9:
            short = 0.0
        now = short * period.hire_now[u]
        f += now
        hires[u, month] += now
        filled[u] = f
        state.need[u] = short
    _requisition(month, state, period)
    if rules.span_on:
        _span_factors(state, period, rules)
    _productive(month, state, period, rules, dip_on)
    return laid_off


@_jit
def _requisition(month: int, state: Any, period: Any) -> None:
    """Queue the month's requisitions of the units with a time to fill."""
    need, pending, pipeline_flat = state.need, state.pending, state.pipeline_flat
    for j in range(period.later_units.size):
        u = period.later_units[j]
        pipeline_flat[period.later_cell[j] + month] += need[u]
        pending[u] += need[u]


@_jit
def _span_factors(state: Any, period: Any, rules: Any) -> None:
    """Each manager's span factor into ``state.reports`` (1 within the span limit)."""
    # Span on heads in post: a manager's direct reports (people) per manager position.
    reports, filled, parent = state.reports, state.filled, period.parent
    reports[:] = 0.0
    for u in range(filled.size):
        if period.active[u] > 0 and parent[u] >= 0:
            reports[parent[u]] += filled[u]
    for u in range(filled.size):
        span = reports[u] / max(filled[u], 1.0)
        limit = period.span_limit[u]
        if span > limit:
            # Reports beyond the limit give (1 - penalty) of a head each.
            reports[u] = max(
                (limit + (span - limit) * (1 - rules.span_penalty)) / span, rules.span_floor
            )
        else:
            reports[u] = 1.0


@_jit
def _productive(month: int, state: Any, period: Any, rules: Any, dip_on: bool) -> None:
    """Productive heads per unit and per cell of the capacity table."""
    filled, hires, table = state.filled, state.hires, state.table
    window, weight = period.window, period.ramp_weight
    table[:] = 0.0
    start = max(0, month - window + 1)
    offset = window - (month + 1 - start)
    for u in range(filled.size):
        f = filled[u]
        state.gap[u] = max(state.target[u] - f, 0.0)
        e = f
        if window > 0:
            ramping = 0.0
            for m in range(start, month + 1):
                ramping += hires[u, m] * weight[u, offset + m - start]
            e = max(f - ramping, 0.0)
        e *= period.active[u]
        if rules.span_on and period.parent[u] >= 0:
            e *= state.reports[period.parent[u]]
        if dip_on:
            since = month - state.moved_at[u]
            e *= 1 - rules.move_dip * min(max(1 - since / rules.dip_months, 0.0), 1.0)
        state.effective[u] = e
        key = period.table_key[u]
        if key < table.size:
            table[key] += e


@_jit
def ratio_targets(
    base: np.ndarray,
    drivers: np.ndarray,
    ratio_units: np.ndarray,
    ratio_cell: np.ndarray,
    per_head: np.ndarray,
    floor: np.ndarray,
    target: np.ndarray,
) -> None:
    """This month's staffing targets: the fixed and planned ones, then the ratio policies.

    A ratio unit's target is ``max(ceil(driver / per_head - 1e-9), floor)``. Its driver is
    cell ``ratio_cell`` of the flat driver x (segments + whole company) table: the row of
    ``drivers`` is ``cell // (segments + 1)``, the column a segment or, past the last
    segment, the row's sum over all segments.

    Args:
        base: Targets of the fixed and planned policies this year (ratio units' are ignored).
        drivers: Driver x segment values.
        ratio_units: Units with a ratio policy.
        ratio_cell: Each ratio unit's cell of the driver x (segments + 1) table.
        per_head: Driver per head of each ratio unit.
        floor: Least headcount of each ratio unit.
        target: Out: every unit's target.
    """
    target[:] = base
    segments = drivers.shape[1]
    for j in range(ratio_units.size):
        row, column = divmod(ratio_cell[j], segments + 1)
        if column < segments:
            value = drivers[row, column]
        else:
            value = 0.0
            for s in range(segments):
                value += drivers[row, s]
        amount = np.ceil(value / per_head[j] - 1e-9)
        least = floor[j]
        target[ratio_units[j]] = least if least > amount else amount


@_jit
def roll_up(
    table: np.ndarray,
    filled: np.ndarray,
    cost: np.ndarray,
    function: np.ndarray,
    target: np.ndarray,
    gap: np.ndarray,
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """Each function's productive front-line heads and monthly cost; the org's totals.

    Args:
        table: Productive heads by function x (all segments, then each segment).
        filled: Heads in post of each unit.
        cost: Loaded annual cost per head of each unit.
        function: Function code of each unit.
        target: Heads each unit's policy asks for.
        gap: Heads asked for and not in post, per unit.
        active: 1.0 for the units of the period.

    Returns:
        (heads per function: the rows of ``table`` summed; cost per function: heads in
        post x cost / 12 summed over its units, in unit order; heads in post, target and
        gap summed over the period's units).
    """
    functions, cells = table.shape
    heads = np.zeros(functions)
    for f in range(functions):
        total = 0.0
        for c in range(cells):
            total += table[f, c]
        heads[f] = total
    costs = np.zeros(functions)
    in_post = 0.0
    asked = 0.0
    missing = 0.0
    for u in range(filled.size):
        costs[function[u]] += filled[u] * cost[u] / 12.0
        if active[u] > 0:
            in_post += filled[u]
            asked += target[u]
            missing += gap[u]
    return heads, costs, in_post, asked, missing


@_jit
def sign_prospects(
    month: int,
    first: np.ndarray,
    limit: np.ndarray,
    reviews: int,
    fit_threshold: float,
    book: Any,
    totals: Any,
    offer: Any,
    won_by_segment: np.ndarray,
    queue: np.ndarray,
    queue_len: int,
) -> tuple[int, int, int, int, float]:
    """Close or lose the month's prospects, in place on the book, and queue the new accounts.

    Prospects of segment ``s`` are the slots ``first[s]:first[s + 1]``. The first
    ``limit[s]`` of them close as far as sales capacity goes (the rest are lost for capacity);
    then, in slot order, the first ``reviews`` closed deals get a sales-consulting review,
    which declines those with fit below ``fit_threshold``. The won open at their segment's
    ACV, due for their first renewal decision one step on, and join the end of the onboarding queue.

    Args:
        month: The month.
        first: First slot of each segment's prospects, then the end of the last.
        limit: Prospects each segment can close.
        reviews: Reviews available (0 when there is no review).
        fit_threshold: Fit below which a reviewed deal is declined.
        book: The book's per-slot arrays (:class:`ccosim.sim.accounts.Slots`), updated.
        totals: The book's segment totals (:class:`ccosim.sim.accounts.SegmentTotals`),
            updated.
        offer: ACV and months between two renewal decisions of each segment
            (:class:`ccosim.sim.bookings.Offer`).
        won_by_segment: Out: new accounts per segment.
        queue: Onboarding queue (slots appended after ``queue_len``).
        queue_len: Slots in the queue.

    Returns:
        (new accounts, queue length, deals lost for capacity, deals declined, summed fit of
        the new accounts).
    """
    acv, term = offer.acv, offer.term
    status, alive, arr, fit = book.status, book.alive, book.arr, book.fit
    won = 0
    lost_capacity = 0
    declined = 0
    fit_sum = 0.0
    for s in range(acv.size):
        won_by_segment[s] = 0
        for i in range(first[s], first[s + 1]):
            lost = False
            if i - first[s] >= limit[s]:
                lost_capacity += 1
                lost = True
            elif reviews > 0:
                reviews -= 1
                if fit[i] < fit_threshold:
                    declined += 1
                    lost = True
            if lost:
                status[i] = LOST
                continue
            status[i] = ACTIVE
            alive[i] = True
            arr[i] = acv[s]
            book.start[i] = month
            book.next_due[i] = month + term[s]
            won_by_segment[s] += 1
            fit_sum += fit[i]
            queue[queue_len] = i
            queue_len += 1
            won += 1
        totals.accounts[s] += won_by_segment[s]
        totals.arr[s] += won_by_segment[s] * acv[s]
    return won, queue_len, lost_capacity, declined, fit_sum


@_jit
def onboard(
    month: int,
    work: Any,
    queue_len: int,
    projects: int,
    credit: float,
    book: Any,
    effort: np.ndarray,
    duration: np.ndarray,
    outcomes_on: bool,
    penalties: Any,
) -> tuple[int, int, float, int, float]:
    """One month of the implementation queue, in place.

    Churned accounts leave the queue; projects start in queue order while their summed
    effort fits the ``credit``; a project started in ``month`` ends in
    ``month + floor(duration)`` and its time to value is the wait plus the duration. With
    outcomes on, every account still waiting gets ``penalties.wait`` more early-health
    penalty (up to ``penalties.most``) and every account finishing gets ``penalties.gap``.

    Args:
        month: The month.
        work: The queue and the projects under way (:class:`ccosim.sim.onboarding.Work`):
            ``queue`` (queued slots, oldest first), ``project`` (slots with a project under
            way), ``done_month`` (the month each ends) and ``ttv`` (its time to value), all
            compacted in place.
        queue_len: Slots in the queue.
        projects: Projects under way.
        credit: Project effort available.
        book: The book's per-slot arrays (``penalty`` updated).
        effort: Effort of a project of each segment.
        duration: Duration of a project of each segment, months (hand-off included).
        outcomes_on: Whether waiting and hand-off gaps hurt early health.
        penalties: Early-health penalties (:class:`ccosim.sim.onboarding.Penalties`).

    Returns:
        (queue length, projects under way, effort used, projects finished, their summed
        time to value).
    """
    queue, project, done_month, ttv = work.queue, work.project, work.done_month, work.ttv
    alive, seg, penalty = book.alive, book.seg, book.penalty
    kept = 0
    for j in range(queue_len):
        if alive[queue[j]]:
            queue[kept] = queue[j]
            kept += 1
    used = 0.0
    started = 0
    while started < kept:
        i = queue[started]
        s = seg[i]
        if used + effort[s] > credit + 1e-9:
            break
        used += effort[s]
        project[projects] = i
        done_month[projects] = month + np.int64(np.floor(duration[s]))
        ttv[projects] = (month - book.start[i]) + duration[s]
        projects += 1
        started += 1
    queue_len = kept - started
    for j in range(queue_len):
        queue[j] = queue[started + j]
        if outcomes_on:
            i = queue[j]
            penalty[i] = min(penalty[i] + penalties.wait, penalties.most)
    finished = 0
    ttv_sum = 0.0
    running = 0
    for j in range(projects):
        if done_month[j] <= month:
            finished += 1
            ttv_sum += ttv[j]
            if outcomes_on:
                penalty[project[j]] += penalties.gap
        else:
            project[running] = project[j]
            done_month[running] = done_month[j]
            ttv[running] = ttv[j]
            running += 1
    return queue_len, running, used, finished, ttv_sum


@_jit
def train_due(
    last_trained: np.ndarray,
    alive: np.ndarray,
    n: int,
    cutoff: int,
    month: int,
    capacity: int,
    overdue: np.ndarray,
) -> tuple[int, int]:
    """Train up to ``capacity`` overdue live accounts, lowest slot first.

    Args:
        last_trained: Month each slot was last trained (updated for those trained).
        alive: Whether each slot is an active account.
        n: Slots of the prefix.
        cutoff: A slot is overdue when last trained at or before this month.
        month: The month.
        capacity: Trainings available this month.
        overdue: Out: whether each slot of the prefix is still overdue after training.

    Returns:
        (live accounts that were due, accounts trained).
    """
    # Branch-free, the store included: whether a slot is live is close to a coin flip, and a
    # mispredicted branch per slot costs more than the arithmetic (measured in the engine).
    due = 0
    trained = 0
    for i in range(n):
        late = last_trained[i] <= cutoff
        candidate = late & alive[i]
        train = candidate & (trained < capacity)
        last_trained[i] = month if train else last_trained[i]
        trained += train
        due += candidate
        overdue[i] = late & ~train
    return due, trained


@_jit
def move_health(
    book: Any,
    levels: np.ndarray,
    table: np.ndarray,
    n: int,
    target: np.ndarray,
    overdue: np.ndarray,
    rules: Any,
) -> None:
    """One month of mean reversion over the prefix, in place.

    ``h <- (1 - r) h + noise + r target[seg] - r penalty - untrained * overdue`` with the
    penalty decaying first; without outcome mechanisms the target is ``r * reference`` and
    penalties are left alone. ``target`` is already multiplied by ``r``. The noise of slot
    ``i`` is ``table[levels[i]]`` (:func:`ccosim.sim.draws.normal_draws`).

    Args:
        book: The book's per-slot arrays (``health`` and ``penalty`` updated).
        levels: Noise level of each slot of the prefix.
        table: Noise of each level.
        n: Slots of the prefix.
        target: ``r`` times each segment's target.
        overdue: Whether each slot of the prefix is overdue for training.
        rules: ``reversion`` r, ``outcomes_on``, ``penalty_decay``, ``untrained`` (r times
            the untrained penalty) and ``reference`` (:class:`ccosim.sim.health.HealthRules`).
    """
    health, penalty, seg = book.health, book.penalty, book.seg
    reversion = rules.reversion
    keep = 1 - reversion
    if not rules.outcomes_on:
        pull = reversion * rules.reference
        for i in range(n):
            health[i] = health[i] * keep + table[levels[i]] + pull
        return
    decay, untrained = rules.penalty_decay, rules.untrained
    for i in range(n):
        p = penalty[i] * decay
        penalty[i] = p
        h = health[i] * keep + table[levels[i]] + target[seg[i]] - p * reversion
        health[i] = h - untrained * overdue[i]


@_jit
def settle_renewals(
    month: int,
    n: int,
    book: Any,
    totals: Any,
    draws: Any,
    terms: Any,
    odds: Any,
    log: Any,
    capacity: int,
    outcomes_on: bool,
) -> tuple[int, int, int, float, float, float, float, float]:
    """Settle every renewal falling due in ``month``, in place on the book.

    Each due account draws churn (``u_churn < p_churn``) and then contraction, expansion or
    flat from one more uniform, with the probabilities of docs/model.md "Renewal". With
    outcome mechanisms on, the reps work the ``capacity`` largest renewals (ties: lowest
    slot); the others take the unworked multipliers.

    Args:
        month: The month.
        n: Slots of the prefix that may be active.
        book: The book's per-slot arrays (:class:`ccosim.sim.accounts.Slots`), updated.
        totals: The book's segment totals, updated.
        draws: The renewal decisions' random numbers (:class:`ccosim.sim.accounts.RenewalDraws`).
        terms: Per segment, churn per term, whether it contracts, months between two
            decisions and the ARR factor of each outcome; per slot, fit's churn factor
            (:class:`ccosim.sim.renewals.RenewalTerms`).
        odds: The month's health and org multipliers (:class:`ccosim.sim.renewals.Odds`).
        log: Out: ``renewed_month`` of each slot renewed, ``kept_by_segment``
            (:class:`ccosim.sim.renewals.RenewalLog`).
        capacity: Renewals the reps can work (ignored when outcomes are off).
        outcomes_on: Whether the org's outcome mechanisms act.

    Returns:
        (renewals due, renewals worked, churned, ARR churned, ARR contracted, ARR expanded,
        ARR renewed (the renewal bookings), ARR that came up for renewal).
    """
    next_due, arr = book.next_due, book.arr
    count = 0
    for i in range(n):
        if next_due[i] == month:
            count += 1
    due = np.empty(count, dtype=np.int64)
    j = 0
    for i in range(n):
        if next_due[i] == month:
            due[j] = i
            j += 1
    worked = np.ones(count, dtype=np.bool_)
    n_worked = count
    if outcomes_on and capacity < count:
        n_worked = _work_largest(arr, due, max(capacity, 0), worked)
    kept_by_segment = log.kept_by_segment
    kept_by_segment[:] = 0
    churned = 0
    moved = np.zeros(4)
    bookings = 0.0
    arr_before = 0.0
    for j in range(count):
        i = due[j]
        s = book.seg[i]
        outcome = _outcome(i, s, book, draws, terms, odds, worked[j], outcomes_on)
        old = arr[i]
        new = old * terms.factor[4 * s + outcome]
        arr[i] = new
        change = new - old
        totals.arr[s] += change
        moved[outcome] += change
        bookings += new
        arr_before += old
        log.renewed_month[i] = month
        if outcome == 3:
            churned += 1
            book.status[i] = CHURNED
            book.alive[i] = False
            totals.accounts[s] -= 1
            next_due[i] = NO_RENEWAL
        else:
            kept_by_segment[s] += 1
            book.renewals[i] += 1
            next_due[i] = month + terms.term[s]
    return (
        count,
        n_worked,
        churned,
        -moved[3],
        -moved[2],
        moved[1],
        bookings,
        arr_before,
    )


@_jit
def _work_largest(arr: np.ndarray, due: np.ndarray, n_worked: int, worked: np.ndarray) -> int:
    """Mark the ``n_worked`` largest due renewals as worked; return ``n_worked``.

    All above the ``n_worked``-th largest ARR, then those equal to it in slot order (a
    selection, not a sort).
    """
    count = due.size
    worked[:] = False
    if n_worked > 0:
        before = np.empty(count)
        for j in range(count):
            before[j] = arr[due[j]]
        bar = np.partition(before, count - n_worked)[count - n_worked]
        left = n_worked
        for j in range(count):
            if before[j] > bar:
                worked[j] = True
                left -= 1
        for j in range(count):
            if left > 0 and before[j] == bar:
                worked[j] = True
                left -= 1
    return n_worked


@_jit
def _outcome(
    i: int,
    s: int,
    book: Any,
    draws: Any,
    terms: Any,
    odds: Any,
    worked: bool,
    outcomes_on: bool,
) -> int:
    """The renewal outcome of slot ``i``: 0 flat, 1 expand, 2 contract, 3 churn."""
    x = book.health[i] - odds.reference
    m_h = np.exp(x * -odds.churn_sensitivity) * odds.inv_churn_norm
    g_h = np.exp(x * odds.expansion_sensitivity) * odds.expansion_scale
    if draws.heterogeneous[s]:
        # The account's own propensity q times the org's multipliers, then health moves it
        # by q (1 - q) tanh(-beta X): inside [0, 1] and mean-preserving for symmetric X.
        q = draws.propensity[i]
        if outcomes_on:
            q *= terms.fit_churn[i] * (odds.churn_worked if worked else odds.churn_unworked)
            q = min(q, 1.0)
        p_churn = q + q * (1.0 - q) * np.tanh(x * -odds.churn_sensitivity)
    else:
        p_churn = terms.churn_per_term[s] * m_h
        if outcomes_on:
            p_churn *= terms.fit_churn[i]
            p_churn *= odds.churn_worked if worked else odds.churn_unworked
    if outcomes_on:
        g_h *= odds.expansion_worked if worked else odds.expansion_unworked
    at = i * draws.per_slot + book.renewals[i]
    p_c = min(m_h * odds.contraction_probability, 1.0) * terms.can_contract[s]
    p_x = min(g_h, 1.0 - p_c) + p_c
    u2 = (draws.change[at] >> 8) * UNIFORM24
    if (draws.churn[at] >> 8) * UNIFORM24 < p_churn:
        return 3
    if u2 < p_c:
        return 2
    if u2 < p_x:
        return 1
    return 0


@_jit
def upsell(
    month: int,
    u: np.ndarray,
    bar: np.ndarray,
    book: Any,
    totals: Any,
    renewed_month: np.ndarray,
    midterm_size: np.ndarray,
) -> tuple[int, float]:
    """Convert mid-term upsell leads over the prefix ``u`` covers, in place.

    A slot converts when its 32-bit draw is below its segment's ``p * 2^32`` and it is
    active, signed before ``month`` and not renewed in ``month``; its ARR grows by its
    segment's mid-term size.

    Returns:
        (accounts converted, ARR gained).
    """
    seg, alive, start, arr = book.seg, book.alive, book.start, book.arr
    hits = 0
    gained = 0.0
    for i in range(u.size):
        s = seg[i]
        if u[i] < bar[s] and alive[i] and start[i] < month and renewed_month[i] != month:
            old = arr[i]
            gain = old * midterm_size[s]
            new = old + gain
            arr[i] = new
            totals.arr[s] += new - old
            hits += 1
            gained += gain
    return hits, gained


@_jit
def segment_retention(seg: np.ndarray, start: np.ndarray, end: np.ndarray, out: np.ndarray) -> None:
    """Per-segment sums over a year's cohort (accounts with ``start > 0``), into ``out``.

    Rows of ``out`` (one column per segment): start ARR, end ARR, end ARR capped at start
    (GRR), accounts, accounts kept, ARR of the accounts lost (at the start), expansion and
    contraction of the accounts kept.
    """
    out[:] = 0.0
    for i in range(start.size):
        a = start[i]
        if a > 0:
            s = seg[i]
            b = end[i]
            out[0, s] += a
            out[1, s] += b
            out[2, s] += min(a, b)
            out[3, s] += 1.0
            if b > 0:
                out[4, s] += 1.0
                if b > a:
                    out[6, s] += b - a
                else:
                    out[7, s] += a - b
            else:
                out[5, s] += a


@_jit
def cs_coverage(
    dedicated: np.ndarray,
    shared: float,
    accounts: np.ndarray,
    accounts_per_csm: np.ndarray,
    rules: Any,
    seg_effect: np.ndarray,
    leads: np.ndarray,
) -> float:
    """Customer-success coverage per segment and what it does to health and leads.

    Need is ``accounts / accounts_per_csm``; shared heads go where the need is; each head
    counts for ``rules.keep`` (the share not diverted); coverage is heads over need (1 where
    nothing is needed), capped at ``rules.max_coverage``. Writes each segment's health effect
    ``health_lift * (health_multiplier * coverage - 1)`` to ``seg_effect`` and its
    upsell-lead multiplier ``(lead_floor + (1 - lead_floor) min(coverage, 1)) *
    lead_multiplier`` (the floor alone with no coverage) to ``leads``
    (``rules``: :class:`ccosim.sim.health.CoverageRules`).

    Returns:
        Coverage weighted by need over all segments (nan when no segment needs a CSM).
    """
    keep, lead_floor = rules.keep, rules.lead_floor
    n = accounts.size
    total = 0.0
    for s in range(n):
        total += accounts[s] / accounts_per_csm[s]
    share = shared * keep
    weighted = 0.0
    for s in range(n):
        need = accounts[s] / accounts_per_csm[s]
        heads = dedicated[s] * keep + (share * need / total if total > 0 else 0.0)
        cov = heads / max(need, 1e-12) if need > 0 else 1.0
        covered = min(cov, rules.max_coverage)
        seg_effect[s] = rules.health_lift * (rules.health_multiplier * covered - 1)
        reach = (1 - lead_floor) * min(covered, 1.0) if covered > 0 else 0.0
        leads[s] = (lead_floor + reach) * rules.lead_multiplier
        weighted += covered * need
    return weighted / total if total > 0 else np.nan


@_jit
def live_scores(
    health: np.ndarray,
    alive: np.ndarray,
    n: int,
    red_max: float,
    yellow_max: float,
    out: np.ndarray,
) -> tuple[int, int, int]:
    """Write the reported scores (health clipped to 0-100) of the live slots to ``out``.

    Returns:
        (live accounts written, in slot order; those red (score <= ``red_max``); those not
        green (score <= ``yellow_max``)).
    """
    live = 0
    for i in range(n):
        out[live] = min(max(health[i], 0.0), 100.0)  # kept only if live: branch-free
        live += alive[i]
    # Counted in a second pass over the live scores: simple enough to vectorise, where
    # counting in the first pass (or summing there) measured slower at 25,000 slots.
    red = 0
    not_green = 0
    for j in range(live):
        score = out[j]
        red += score <= red_max
        not_green += score <= yellow_max
    return live, red, not_green


def cached() -> bool:
    """Whether numba's cache holds this source's compiled code for every kernel.

    Lets a command say that the first run after an install compiles for a few seconds. It
    reads numba's cache index, which is not a public API: if that fails it answers True, so
    a caller never announces a compile that will not happen.
    """
    kernels = (
        staff,
        sign_prospects,
        onboard,
        train_due,
        move_health,
        settle_renewals,
        upsell,
        live_scores,
        segment_retention,
    )
    try:
        return all(bool(k._cache._cache_file._load_index()) for k in kernels)
    except Exception:  # any change in numba's internals
        return True
