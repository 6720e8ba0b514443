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
imported only when a model first runs (see :func:`ccosim.sim.model.Engine`).
"""

from __future__ import annotations

import numba
import numpy as np

from ccosim.sim.accounts import ACTIVE, CHURNED, LOST, NO_RENEWAL
from ccosim.sim.draws import UNIFORM24

__all__ = [
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


@_jit
def staff(
    month: int,
    target: np.ndarray,
    filled: np.ndarray,
    pending: np.ndarray,
    pipeline: np.ndarray,
    pipeline_flat: np.ndarray,
    hires: np.ndarray,
    max_window: int,
    keep_filled: np.ndarray,
    keep_share: np.ndarray,
    hire_now: np.ndarray,
    later_units: np.ndarray,
    later_cell: np.ndarray,
    need: np.ndarray,
    window: int,
    ramp_weight: np.ndarray,
    active: np.ndarray,
    parent: np.ndarray,
    span_limit: np.ndarray,
    span_on: bool,
    span_penalty: float,
    span_floor: float,
    reports: np.ndarray,
    shrink: np.ndarray,
    layoffs: bool,
    cost: np.ndarray,
    dip_on: bool,
    moved_at: np.ndarray,
    dip_months: int,
    move_dip: float,
    spike_on: bool,
    spike_months: float,
    spike_keep: float,
    table_key: np.ndarray,
    table: np.ndarray,
    effective: np.ndarray,
    gap: np.ndarray,
) -> float:
    """One month of every unit's staffing, in place (docs/model.md "Workforce").

    Hires due this month start; attrition takes its share of those in post and of the hires
    still ramping; the gap to ``target`` not already in the pipeline is requisitioned, at
    once for units with no time to fill, else into the pipeline at ``later_cell + month``;
    productive heads are those in post less the ramp deficit, times span and move-dip
    factors, summed into ``table`` by ``table_key`` (keys past its end are not counted).

    Args:
        month: The month.
        target: Heads each unit's policy asks for.
        filled: Heads in post (updated).
        pending: Heads requisitioned and not started (updated).
        pipeline: Unit x month starts (updated).
        pipeline_flat: The same array, flat.
        hires: Unit x month hires still ramping (updated).
        max_window: Months of hires that can still be ramping in any period.
        keep_filled: Share of those in post kept this month (0 outside the period).
        keep_share: Share of ramping hires kept.
        hire_now: 1.0 for units hired without delay.
        later_units: Units with a time to fill.
        later_cell: Where their requisitions of month 0 start in ``pipeline_flat``.
        need: Work buffer, one per unit.
        window: Months of ramp in this period.
        ramp_weight: Unit x age (oldest first): share of a hire not yet productive.
        active: 1.0 for units of the period, 0.0 outside it.
        parent: Manager slot of each unit (-1 for the root).
        span_limit: Direct reports each manager position handles well.
        span_on: Whether the span-of-control effect acts.
        span_penalty: Share of a head lost for each report beyond a manager's limit.
        span_floor: Least effectiveness of an over-span manager's team.
        reports: Work buffer, one per unit: heads in post reporting to each unit.
        shrink: 1.0 for units whose policy lets them shrink (ratio and plan), else 0.0.
        layoffs: Whether heads in post above a shrinking target are laid off.
        cost: Loaded annual cost per head (for the layoffs' severance).
        dip_on: Whether a move's productivity dip may still act.
        moved_at: Month each unit last moved.
        dip_months: Months a move's dip lasts.
        move_dip: Productivity lost at the move (falling linearly to 0).
        spike_on: Whether a move's attrition spike may still act.
        spike_months: Months a moved unit's extra attrition lasts.
        spike_keep: Share a moved unit keeps each month of the spike (on top of attrition).
        table_key: Cell of ``table`` each unit's productive heads count in.
        table: Out: productive heads per cell.
        effective: Out: productive heads per unit.
        gap: Out: heads the policy asks for and not in post.

    Returns:
        Annual loaded cost of the heads laid off this month (0 without ``layoffs``).
    """
    lo = max(0, month - max_window + 1)
    laid_off = 0.0
    for u in range(filled.size):
        started = pipeline[u, month]
        f = filled[u] + started
        pending[u] -= started
        hires[u, month] += started
        f *= keep_filled[u]
        keep = keep_share[u]
        if spike_on and month - moved_at[u] < spike_months:
            f *= spike_keep
            keep *= spike_keep
        for m in range(lo, month + 1):
            hires[u, m] *= keep
        short = target[u] - f - pending[u]
        if shrink[u] > 0 and short < -1e-9:
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
            if layoffs and over > 1e-9:
                laid_off += over * cost[u]
                share = target[u] / f
                f = target[u]
                for m in range(lo, month + 1):
                    hires[u, m] *= share
        if not short > 1e-9:
            short = 0.0
        now = short * hire_now[u]
        f += now
        hires[u, month] += now
        filled[u] = f
        need[u] = short
    for j in range(later_units.size):
        u = later_units[j]
        pipeline_flat[later_cell[j] + month] += need[u]
        pending[u] += need[u]
    if span_on:
        # Span on heads in post: a manager's direct reports (people) per manager position.
        reports[:] = 0.0
        for u in range(filled.size):
            if active[u] > 0 and parent[u] >= 0:
                reports[parent[u]] += filled[u]
        for u in range(filled.size):
            span = reports[u] / max(filled[u], 1.0)
            limit = span_limit[u]
            if span > limit:
                # Reports beyond the limit give (1 - penalty) of a head each.
                reports[u] = max((limit + (span - limit) * (1 - span_penalty)) / span, span_floor)
            else:
                reports[u] = 1.0
    table[:] = 0.0
    start = max(0, month - window + 1)
    offset = window - (month + 1 - start)
    for u in range(filled.size):
        f = filled[u]
        gap[u] = max(target[u] - f, 0.0)
        e = f
        if window > 0:
            ramping = 0.0
            for m in range(start, month + 1):
                ramping += hires[u, m] * ramp_weight[u, offset + m - start]
            e = max(f - ramping, 0.0)
        e *= active[u]
        if span_on and parent[u] >= 0:
            e *= reports[parent[u]]
        if dip_on:
            since = month - moved_at[u]
            e *= 1 - move_dip * min(max(1 - since / dip_months, 0.0), 1.0)
        effective[u] = e
        if table_key[u] < table.size:
            table[table_key[u]] += e
    return laid_off


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
    fit: np.ndarray,
    acv: np.ndarray,
    term: np.ndarray,
    status: np.ndarray,
    alive: np.ndarray,
    arr: np.ndarray,
    start: np.ndarray,
    next_due: np.ndarray,
    accounts_by_segment: np.ndarray,
    arr_by_segment: np.ndarray,
    won_by_segment: np.ndarray,
    queue: np.ndarray,
    queue_len: int,
) -> tuple[int, int, int, float, float]:
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
        fit: Fit of each slot.
        acv: ACV of each segment.
        term: Months between two renewal decisions of each segment.
        status: Status code of each slot (updated).
        alive: Whether each slot is active (updated).
        arr: ARR of each slot (updated).
        start: Month each slot was signed (updated).
        next_due: Month each slot's renewal falls due (updated).
        accounts_by_segment: Active accounts per segment (updated).
        arr_by_segment: ARR per segment (updated).
        won_by_segment: Out: new accounts per segment.
        queue: Onboarding queue (slots appended after ``queue_len``).
        queue_len: Slots in the queue.

    Returns:
        (new accounts, queue length, deals lost for capacity, deals declined, summed fit of
        the new accounts).
    """
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
            start[i] = month
            next_due[i] = month + term[s]
            won_by_segment[s] += 1
            fit_sum += fit[i]
            queue[queue_len] = i
            queue_len += 1
            won += 1
        accounts_by_segment[s] += won_by_segment[s]
        arr_by_segment[s] += won_by_segment[s] * acv[s]
    return won, queue_len, lost_capacity, declined, fit_sum


@_jit
def onboard(
    month: int,
    queue: np.ndarray,
    queue_len: int,
    credit: float,
    alive: np.ndarray,
    seg: np.ndarray,
    start: np.ndarray,
    effort: np.ndarray,
    duration: np.ndarray,
    project: np.ndarray,
    done_month: np.ndarray,
    ttv: np.ndarray,
    projects: int,
    outcomes_on: bool,
    penalty: np.ndarray,
    wait_penalty: float,
    max_penalty: float,
    gap_penalty: float,
) -> tuple[int, int, float, int, float]:
    """One month of the implementation queue, in place.

    Churned accounts leave the queue; projects start in queue order while their summed
    effort fits the ``credit``; a project started in ``month`` ends in
    ``month + floor(duration)`` and its time to value is the wait plus the duration. With
    outcomes on, every account still waiting gets ``wait_penalty`` more early-health penalty
    (up to ``max_penalty``) and every account finishing gets ``gap_penalty``.

    Args:
        month: The month.
        queue: Queued slots, oldest first (compacted in place).
        queue_len: Slots in the queue.
        credit: Project effort available.
        alive: Whether each slot is active.
        seg: Segment of each slot.
        start: Month each slot was signed.
        effort: Effort of a project of each segment.
        duration: Duration of a project of each segment, months (hand-off included).
        project: Slots with a project under way (compacted in place).
        done_month: Month each project under way ends.
        ttv: Time to value of each project under way.
        projects: Projects under way.
        outcomes_on: Whether waiting and hand-off gaps hurt early health.
        penalty: Early-health penalty of each slot (updated).
        wait_penalty: Penalty a month of waiting adds.
        max_penalty: Cap of the waiting penalty.
        gap_penalty: Penalty of a finished project's hand-off gap.

    Returns:
        (queue length, projects under way, effort used, projects finished, their summed
        time to value).
    """
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
        ttv[projects] = (month - start[i]) + duration[s]
        projects += 1
        started += 1
    queue_len = kept - started
    for j in range(queue_len):
        queue[j] = queue[started + j]
        if outcomes_on:
            i = queue[j]
            penalty[i] = min(penalty[i] + wait_penalty, max_penalty)
    finished = 0
    ttv_sum = 0.0
    running = 0
    for j in range(projects):
        if done_month[j] <= month:
            finished += 1
            ttv_sum += ttv[j]
            if outcomes_on:
                penalty[project[j]] += gap_penalty
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
    health: np.ndarray,
    levels: np.ndarray,
    table: np.ndarray,
    n: int,
    reversion: float,
    outcomes_on: bool,
    seg: np.ndarray,
    target: np.ndarray,
    penalty: np.ndarray,
    penalty_decay: float,
    overdue: np.ndarray,
    untrained: float,
    reference: float,
) -> None:
    """One month of mean reversion over the prefix, in place.

    ``h <- (1 - r) h + noise + r target[seg] - r penalty - untrained * overdue`` with the
    penalty decaying first; without outcome mechanisms the target is ``r * reference`` and
    penalties are left alone. ``target`` is already multiplied by ``r``. The noise of slot
    ``i`` is ``table[levels[i]]`` (:func:`ccosim.sim.draws.normal_draws`).
    """
    keep = 1 - reversion
    if not outcomes_on:
        pull = reversion * reference
        for i in range(n):
            health[i] = health[i] * keep + table[levels[i]] + pull
        return
    for i in range(n):
        p = penalty[i] * penalty_decay
        penalty[i] = p
        h = health[i] * keep + table[levels[i]] + target[seg[i]] - p * reversion
        health[i] = h - untrained * overdue[i]


@_jit
def settle_renewals(
    month: int,
    n: int,
    next_due: np.ndarray,
    seg: np.ndarray,
    arr: np.ndarray,
    health: np.ndarray,
    fit_churn: np.ndarray,
    renewals: np.ndarray,
    status: np.ndarray,
    alive: np.ndarray,
    u_churn: np.ndarray,
    u_change: np.ndarray,
    max_renewals: int,
    renewed_month: np.ndarray,
    arr_by_segment: np.ndarray,
    accounts_by_segment: np.ndarray,
    kept_by_segment: np.ndarray,
    churn_per_term: np.ndarray,
    propensity: np.ndarray,
    heterogeneous: np.ndarray,
    can_contract: np.ndarray,
    term: np.ndarray,
    factor: np.ndarray,
    scalars: np.ndarray,
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
        next_due: Month each slot's renewal falls due (updated).
        seg: Segment of each slot.
        arr: ARR of each slot (updated).
        health: Latent health of each slot.
        fit_churn: Churn multiplier of each slot's fit (applied with outcomes on).
        renewals: Renewals each slot has been through (updated).
        status: Status code of each slot (updated).
        alive: Whether each slot is active (updated).
        u_churn: Churn word of each (slot, renewal), slot-major (a uniform as ``UNIFORM24``
            says).
        u_change: Change word of each (slot, renewal), likewise.
        max_renewals: Renewals per slot in ``u_churn`` and ``u_change``.
        renewed_month: Month each slot last renewed (updated).
        arr_by_segment: The book's ARR per segment (updated).
        accounts_by_segment: The book's active accounts per segment (updated).
        kept_by_segment: Out: renewals kept per segment.
        churn_per_term: Churn per renewal decision of each segment at the reference.
        propensity: Churn per renewal decision of each slot drawn from the segment's Beta
            (read only for slots of a heterogeneous segment).
        heterogeneous: 1 for a segment whose churn propensity varies by account, else 0.
        can_contract: 1.0 for a segment that contracts at all, else 0.0.
        term: Months between two renewal decisions of each segment.
        factor: ARR factor of each (segment, outcome) cell, ``4 * seg + outcome`` with
            outcomes 0 flat, 1 expand, 2 contract, 3 churn.
        scalars: Reference health; churn and expansion sensitivities; 1 / churn norm;
            expansion probability / expansion norm; contraction probability; the churn and
            expansion multipliers of a worked renewal, then of an unworked one (all
            effects included).
        capacity: Renewals the reps can work (ignored when outcomes are off).
        outcomes_on: Whether the org's outcome mechanisms act.

    Returns:
        (renewals due, renewals worked, churned, ARR churned, ARR contracted, ARR expanded,
        ARR renewed (the renewal bookings), ARR that came up for renewal).
    """
    (
        reference,
        churn_sens,
        exp_sens,
        inv_churn_norm,
        exp_scale,
        contraction_p,
        churn_worked,
        exp_worked,
        churn_unworked,
        exp_unworked,
    ) = (
        scalars[0],
        scalars[1],
        scalars[2],
        scalars[3],
        scalars[4],
        scalars[5],
        scalars[6],
        scalars[7],
        scalars[8],
        scalars[9],
    )
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
        # Work the `capacity` largest: all above the capacity-th largest ARR, then those
        # equal to it in slot order (a selection, not a sort).
        n_worked = max(capacity, 0)
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
    kept_by_segment[:] = 0
    churned = 0
    moved = np.zeros(4)
    bookings = 0.0
    arr_before = 0.0
    for j in range(count):
        i = due[j]
        s = seg[i]
        x = health[i] - reference
        m_h = np.exp(x * -churn_sens) * inv_churn_norm
        g_h = np.exp(x * exp_sens) * exp_scale
        if heterogeneous[s]:
            # The account's own propensity q times the org's multipliers, then health moves it
            # by q (1 - q) tanh(-beta X): inside [0, 1] and mean-preserving for symmetric X.
            q = propensity[i]
            if outcomes_on:
                q *= fit_churn[i] * (churn_worked if worked[j] else churn_unworked)
                q = min(q, 1.0)
            p_churn = q + q * (1.0 - q) * np.tanh(x * -churn_sens)
        else:
            p_churn = churn_per_term[s] * m_h
            if outcomes_on:
                p_churn *= fit_churn[i]
                p_churn *= churn_worked if worked[j] else churn_unworked
        if outcomes_on:
            g_h *= exp_worked if worked[j] else exp_unworked
        at = i * max_renewals + renewals[i]
        p_c = min(m_h * contraction_p, 1.0) * can_contract[s]
        p_x = min(g_h, 1.0 - p_c) + p_c
        u2 = (u_change[at] >> 8) * UNIFORM24
        if (u_churn[at] >> 8) * UNIFORM24 < p_churn:
            outcome = 3
        elif u2 < p_c:
            outcome = 2
        elif u2 < p_x:
            outcome = 1
        else:
            outcome = 0
        old = arr[i]
        new = old * factor[4 * s + outcome]
        arr[i] = new
        change = new - old
        arr_by_segment[s] += change
        moved[outcome] += change
        bookings += new
        arr_before += old
        renewed_month[i] = month
        if outcome == 3:
            churned += 1
            status[i] = CHURNED
            alive[i] = False
            accounts_by_segment[s] -= 1
            next_due[i] = NO_RENEWAL
        else:
            kept_by_segment[s] += 1
            renewals[i] += 1
            next_due[i] = month + term[s]
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
def upsell(
    month: int,
    u: np.ndarray,
    bar: np.ndarray,
    seg: np.ndarray,
    alive: np.ndarray,
    start: np.ndarray,
    renewed_month: np.ndarray,
    arr: np.ndarray,
    arr_by_segment: np.ndarray,
    midterm_size: np.ndarray,
) -> tuple[int, float]:
    """Convert mid-term upsell leads over the prefix ``u`` covers, in place.

    A slot converts when its 32-bit draw is below its segment's ``p * 2^32`` and it is
    active, signed before ``month`` and not renewed in ``month``; its ARR grows by its
    segment's mid-term size.

    Returns:
        (accounts converted, ARR gained).
    """
    hits = 0
    gained = 0.0
    for i in range(u.size):
        s = seg[i]
        if u[i] < bar[s] and alive[i] and start[i] < month and renewed_month[i] != month:
            old = arr[i]
            gain = old * midterm_size[s]
            new = old + gain
            arr[i] = new
            arr_by_segment[s] += new - old
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
    keep: float,
    accounts: np.ndarray,
    accounts_per_csm: np.ndarray,
    max_coverage: float,
    health_lift: float,
    health_multiplier: float,
    lead_floor: float,
    lead_multiplier: float,
    seg_effect: np.ndarray,
    leads: np.ndarray,
) -> float:
    """Customer-success coverage per segment and what it does to health and leads.

    Need is ``accounts / accounts_per_csm``; shared heads go where the need is; coverage is
    heads over need (1 where nothing is needed), capped at ``max_coverage``. Writes each
    segment's health effect ``lift * (multiplier * coverage - 1)`` to ``seg_effect`` and
    its upsell-lead multiplier ``(floor + (1 - floor) min(coverage, 1)) * multiplier`` (the
    floor alone with no coverage) to ``leads``.

    Returns:
        Coverage weighted by need over all segments (nan when no segment needs a CSM).
    """
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
        covered = min(cov, max_coverage)
        seg_effect[s] = health_lift * (health_multiplier * covered - 1)
        reach = (1 - lead_floor) * min(covered, 1.0) if covered > 0 else 0.0
        leads[s] = (lead_floor + reach) * lead_multiplier
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
