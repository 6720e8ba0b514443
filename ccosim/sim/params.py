"""Compile a scenario into plain model parameters (the only input a replication needs).

The compile step is where the org design turns into numbers: the OrgGraph of every period
between timeline changes is built once, and what the engine needs from it (which units give
which function's capacity, span effects, hand-off factors, incentive multipliers) is stored
as arrays and floats. The result is plain, picklable data, so replications can run on any
worker, and two runs with the same parameters and seed are identical bit for bit.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any, get_args

import numpy as np

from ccosim.org.graph import OrgGraph
from ccosim.scenario.assumptions import Assumptions
from ccosim.scenario.schema import (
    Function,
    Scenario,
    StaffingDriver,
    StaffingPolicy,
    TimelineEvent,
    Unit,
)
from ccosim.scenario.timeline import apply_event, replay
from ccosim.sim.org_effects import OrgEffectParams, compile_org_effects, post_sale_owner
from ccosim.sim.terms import decision_rates

__all__ = [
    "DRIVERS",
    "FUNCTIONS",
    "POLICIES",
    "EpochParams",
    "ModelParams",
    "SegmentParams",
    "compile_params",
]

#: Function codes used in the unit arrays (position in the Function enum).
FUNCTIONS: tuple[str, ...] = tuple(f.value for f in Function)
POLICIES: tuple[str, ...] = get_args(StaffingPolicy)
DRIVERS: tuple[str, ...] = get_args(StaffingDriver)
#: Executives of one period whose vacancy is tracked (2^n effect variants are compiled).
_MAX_LEADERS = 4


def fcode(function: Function | str) -> int:
    """The integer code of a function."""
    return FUNCTIONS.index(Function(function).value)


@dataclass(frozen=True)
class SegmentParams:
    """Per-segment figures, as arrays indexed by segment (order of the scenario file)."""

    names: tuple[str, ...]
    touch: tuple[str, ...]
    acv: np.ndarray
    initial_accounts: np.ndarray
    new_accounts_per_year: np.ndarray
    new_accounts_growth: np.ndarray
    term_months: np.ndarray
    #: Months between two renewal decisions: the term (a renewal falls due at the end of
    #: each term); every rate below is converted from its annual value (docs/model.md, "Units").
    step_months: np.ndarray
    base_churn: np.ndarray
    #: Churn per renewal decision at the reference (:func:`ccosim.sim.terms.decision_rates`).
    churn_per_term: np.ndarray
    #: Beta shapes of the annual churn propensity (sBG) with the mean set to ``base_churn``;
    #: 0 for a homogeneous segment.
    churn_alpha: np.ndarray
    churn_beta: np.ndarray
    expansion_rate: np.ndarray
    contraction_rate: np.ndarray
    #: Contraction per renewal decision (:func:`ccosim.sim.terms.decision_rates`).
    contraction_per_step: np.ndarray
    accounts_per_csm: np.ndarray
    onboarding_effort: np.ndarray
    onboarding_months: np.ndarray
    ps_hours: np.ndarray
    #: Per initial account (segment order): ARR, months to the first renewal decision (-1:
    #: spread evenly) and tenure in months (-1: unknown); None without any starting book.
    initial_book: tuple[np.ndarray, np.ndarray, np.ndarray] | None
    # Derived calibration constants (see docs/model.md, "Renewal outcomes").
    renewal_expansion: np.ndarray
    expansion_size: np.ndarray
    contraction_size: np.ndarray
    midterm_size: np.ndarray


@dataclass(frozen=True)
class EpochParams:
    """The org between two timeline changes, compiled to arrays over unit slots."""

    month: int
    active: np.ndarray
    parent: np.ndarray
    function: np.ndarray
    segment: np.ndarray
    is_capacity: np.ndarray
    cost: np.ndarray
    policy: np.ndarray
    plan: np.ndarray
    driver: np.ndarray
    per_head: np.ndarray
    driver_segment: np.ndarray
    min_headcount: np.ndarray
    time_to_fill: np.ndarray
    ramp: np.ndarray
    attrition: np.ndarray
    target: np.ndarray
    span_limit: np.ndarray
    effects: OrgEffectParams
    #: Changes applied when this epoch begins: (action, slot, value).
    changes: tuple[tuple[str, int, float], ...] = ()
    #: Executive units of the period that may be vacant (slots), and the effects of the org
    #: with each combination of them vacant (bit i of the key: ``leaders[i]`` vacant): a vacant
    #: leader's reports behave as reporting to the next filled manager up.
    leaders: tuple[int, ...] = ()
    vacancy_effects: dict[int, OrgEffectParams] = field(default_factory=dict)
    #: Seats whose holder may leave (docs/model.md, "Executive turnover"): per seat
    #: ``(slot, mean tenure months, months to refill, search fee of a refill)``; each is one
    #: of ``leaders``.
    turnover: tuple[tuple[int, float, float, float], ...] = ()
    #: What the engine derives from the period (its indexes, its staffing tables), kept here
    #: so that every replication of these parameters derives it once.
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class ModelParams:
    """Everything one replication needs, as plain data."""

    scenario: str
    horizon_months: int
    outcomes_on: bool
    segments: SegmentParams
    unit_ids: tuple[str, ...]
    unit_titles: tuple[str, ...]
    initial_filled: np.ndarray
    epochs: tuple[EpochParams, ...]
    assumptions: Assumptions
    health_sd: float
    churn_norm: float
    expansion_norm: float
    fit_norm: float
    extras: dict[str, float] = field(default_factory=dict)
    #: From this month on, these per-term churn rates replace ``segments.churn_per_term`` (and
    #: sBG propensities are scaled by the same ratio): a churn cut that starts at a hire, as
    #: the business case's search for the lift that pays asks. None: no change.
    churn_from: tuple[int, np.ndarray] | None = None


def _segment_params(scenario: Scenario) -> SegmentParams:
    a = scenario.assumptions
    names = tuple(scenario.customers.segments)
    segs = [scenario.customers.segments[n] for n in names]
    touch = tuple(s.touch.value for s in segs)

    def arr(values: list[float]) -> np.ndarray:
        return np.asarray(values, dtype=float)

    term = arr([s.contract_months for s in segs])
    step = term
    churn = arr([s.annual_churn for s in segs])
    e = arr([s.expansion_rate for s in segs])
    k = arr([s.contraction_rate for s in segs])
    # Every rate is annual; a decision's share of it depends on the term (docs/model.md, "Units").
    rates = decision_rates(term, churn, e, k, a.health)
    kappa = arr(
        [(s.churn_alpha or 0.0) + (s.churn_beta or 0.0) if s.heterogeneous else 0.0 for s in segs]
    )
    apc = arr(
        [
            s.accounts_per_csm
            if s.accounts_per_csm is not None
            else a.customer_success.accounts_per_csm[t]
            for s, t in zip(segs, touch, strict=True)
        ]
    )
    initial_book = None
    if any(s.starting_book is not None for s in segs):
        arr_l: list[float] = []
        due_l: list[int] = []
        tenure_l: list[int] = []
        for s, st in zip(segs, step, strict=True):
            book = s.starting_book
            n = s.initial_accounts
            if book is None:
                arr_l += [s.acv] * n
                due_l += [-1] * n
                tenure_l += [-1] * n
                continue
            arr_l += list(book.arr)
            due_l += [m % int(st) if m >= 0 else -1 for m in book.months_to_renewal or [-1] * n]
            tenure_l += list(book.tenure_months or [-1] * n)
        initial_book = (
            np.asarray(arr_l, dtype=float),
            np.asarray(due_l, dtype=np.int64),
            np.asarray(tenure_l, dtype=np.int64),
        )
    return SegmentParams(
        names=names,
        touch=touch,
        acv=arr([s.acv for s in segs]),
        initial_accounts=np.asarray([s.initial_accounts for s in segs], dtype=np.int64),
        new_accounts_per_year=arr([s.new_accounts_per_year for s in segs]),
        new_accounts_growth=arr([s.new_accounts_growth for s in segs]),
        term_months=term.astype(np.int64),
        step_months=step.astype(np.int64),
        base_churn=churn,
        churn_per_term=rates.churn,
        churn_alpha=churn * kappa,
        churn_beta=(1 - churn) * kappa,
        expansion_rate=e,
        contraction_rate=k,
        contraction_per_step=rates.contraction,
        accounts_per_csm=apc,
        onboarding_effort=arr([a.onboarding.effort[t] for t in touch]),
        onboarding_months=arr([a.onboarding.duration_months[t] for t in touch]),
        ps_hours=arr([a.professional_services.hours_per_account_month[t] for t in touch]),
        initial_book=initial_book,
        renewal_expansion=rates.renewal_expansion,
        expansion_size=rates.renewal_expansion / a.health.expansion_probability,
        contraction_size=rates.contraction / a.health.contraction_probability,
        midterm_size=rates.monthly_upsell / a.health.midterm_lead_rate,
    )


def _epoch(
    graph: OrgGraph,
    slots: dict[str, int],
    seg_index: dict[str, int],
    scenario: Scenario,
    month: int,
    changes: tuple[tuple[str, int, float], ...],
    maybe_vacant: frozenset[str] = frozenset(),
) -> EpochParams:
    a = scenario.assumptions
    n = len(slots)
    years = scenario.horizon_years
    active = np.zeros(n, dtype=bool)
    parent = np.full(n, -1, dtype=np.int64)
    function = np.zeros(n, dtype=np.int64)
    segment = np.full(n, -1, dtype=np.int64)
    is_capacity = np.zeros(n, dtype=bool)
    cost = np.zeros(n)
    policy = np.zeros(n, dtype=np.int64)
    plan = np.zeros((n, years))
    driver = np.zeros(n, dtype=np.int64)
    per_head = np.ones(n)
    driver_segment = np.full(n, -1, dtype=np.int64)
    min_headcount = np.zeros(n)
    time_to_fill = np.full(n, a.workforce.time_to_fill_months)
    executive_fill = a.workforce.executive_time_to_fill_months
    ramp = np.full(n, a.workforce.ramp_months)
    attrition = np.full(n, a.workforce.attrition_rate)
    target = np.zeros(n)
    span_limit = np.full(n, float(a.span.limit))
    for uid, unit in graph.units.items():
        i = slots[uid]
        active[i] = True
        span_limit[i] = graph.span_limit(uid)
        if unit.reports_to is not None:
            parent[i] = slots[unit.reports_to]
        function[i] = fcode(unit.function)
        if unit.function == Function.executive:
            time_to_fill[i] = executive_fill
        if unit.segment is not None and unit.segment in seg_index:
            segment[i] = seg_index[unit.segment]
        is_capacity[i] = not graph.is_manager(uid)
        cost[i] = graph.cost_per_head_of(unit)
        target[i] = unit.headcount
        st = unit.staffing
        if unit.seat is not None and unit.seat.never_filled:
            target[i] = 0.0  # a fixed policy at 0: never hired
            continue
        if st is None:
            continue
        policy[i] = POLICIES.index(st.policy)
        if st.plan:
            values = list(st.plan) + [st.plan[-1]] * max(0, years - len(st.plan))
            plan[i] = values[:years]
        if st.driver is not None:
            driver[i] = DRIVERS.index(st.driver)
        if st.per_head is not None:
            per_head[i] = st.per_head
        if st.segment is not None and st.segment in seg_index:
            driver_segment[i] = seg_index[st.segment]
        min_headcount[i] = st.min_headcount
        if st.time_to_fill_months is not None:
            time_to_fill[i] = st.time_to_fill_months
        if st.ramp_months is not None:
            ramp[i] = st.ramp_months
        if st.attrition_rate is not None:
            attrition[i] = st.attrition_rate
    effects = compile_org_effects(graph, a, slots)
    seats = _turnover_seats(graph, a, slots, time_to_fill)
    for u in seats:
        attrition[slots[u]] = 0.0  # the holder's departures are drawn, not a fluid rate
    leaders, variants = _leaders(graph, slots, month, maybe_vacant | frozenset(seats))
    return EpochParams(
        month=month,
        active=active,
        parent=parent,
        function=function,
        segment=segment,
        is_capacity=is_capacity,
        cost=cost,
        policy=policy,
        plan=plan,
        driver=driver,
        per_head=per_head,
        driver_segment=driver_segment,
        min_headcount=min_headcount,
        time_to_fill=time_to_fill,
        ramp=ramp,
        attrition=attrition,
        target=target,
        span_limit=span_limit,
        effects=effects,
        changes=changes,
        leaders=tuple(slots[u] for u in leaders),
        vacancy_effects=variants,
        turnover=tuple(seats[u] for u in leaders if u in seats),
    )


def _leaders(
    graph: OrgGraph, slots: dict[str, int], month: int, tracked: frozenset[str]
) -> tuple[tuple[str, ...], dict[int, OrgEffectParams]]:
    """The period's executives whose vacancy is tracked, and the effects of each vacancy mix.

    Executive units below the CEO with reports, among ``tracked`` (maybe vacant, or with
    turnover), the first ``_MAX_LEADERS`` top-down; bit i of a key: ``leaders[i]`` vacant,
    its reports under the next manager up.
    """
    a = graph.assumptions
    leaders = tuple(
        u
        for u in graph.top_down
        if u in tracked
        and u != graph.root
        and graph.units[u].function == Function.executive
        and graph.is_manager(u)
    )[:_MAX_LEADERS]
    variants: dict[int, OrgEffectParams] = {}
    for mask in range(1, 2 ** len(leaders)):
        vacant = [u for i, u in enumerate(leaders) if mask >> i & 1]
        units = list(graph.units.values())
        for uid in vacant:
            units = apply_event(units, TimelineEvent(month=month, action="remove_unit", id=uid))
        variants[mask] = compile_org_effects(OrgGraph(units, a), a, slots)
    return leaders, variants


def _turnover_seats(
    graph: OrgGraph, a: Assumptions, slots: dict[str, int], time_to_fill: np.ndarray
) -> dict[str, tuple[int, float, float, float]]:
    """Executive seats of a period whose holder may leave, top-down (see EpochParams.turnover).

    On by default for the executive who owns the post-sale functions (mean tenure
    ``leadership.owner_tenure_months``), for other executives only when their seat says so
    (``leadership.executive_tenure_months``); never for the CEO or a never-filled seat.
    """
    lead = a.leadership
    if not lead.turnover:
        return {}
    owner = post_sale_owner(graph)
    out: dict[str, tuple[int, float, float, float]] = {}
    for uid in graph.top_down:
        unit = graph.units[uid]
        if uid == graph.root or unit.function != Function.executive or not graph.is_manager(uid):
            continue
        seat = unit.seat
        on = seat.turnover if seat is not None and seat.turnover is not None else uid == owner
        if not on or (seat is not None and seat.never_filled):
            continue
        default = lead.owner_tenure_months if uid == owner else lead.executive_tenure_months
        tenure = seat.tenure_months if seat is not None and seat.tenure_months else default
        slot = slots[uid]
        refill = float(time_to_fill[slot])
        if seat is not None and seat.refill_months is not None:
            refill = seat.refill_months
        elif seat is not None and seat.appointment == "internal":
            # The first holder was promoted; a successor is searched for.
            refill = a.workforce.executive_time_to_fill_months
        fee = a.transition.search_fee_share * graph.cost_per_head_of(unit) * unit.headcount
        out[uid] = (slot, float(tenure), float(refill), float(fee))
    return out


def _search_fee(unit: Unit, graph: OrgGraph, a: Assumptions) -> float:
    """Search fee of the open executive positions of ``unit`` (0 for other functions)."""
    seat = unit.seat
    if unit.function != Function.executive or (
        seat is not None and (seat.never_filled or seat.appointment == "internal")
    ):
        return 0.0
    open_heads = unit.headcount - unit.filled_headcount
    return a.transition.search_fee_share * graph.cost_per_head_of(unit) * open_heads


def _changes(
    events: tuple[TimelineEvent, ...], slots: dict[str, int], graph: OrgGraph
) -> tuple[tuple[str, int, float], ...]:
    """What the workforce must do when a group of same-month events takes effect."""
    out: list[tuple[str, int, float]] = []
    for event in events:
        if event.action == "add_unit" and event.unit is not None:
            unit = event.unit
            if not event.moves_in_filled:
                # Hired: every position is open; an executive search is paid for.
                unit = unit.model_copy(update={"vacant": True})
            out.append(("add", slots[unit.id], unit.filled_headcount))
            fee = _search_fee(unit, graph, graph.assumptions)
            if fee > 0:
                out.append(("search_fee", slots[unit.id], fee))
        elif event.action == "remove_unit" and event.id is not None:
            out.append(("remove", slots[event.id], 0.0))
        elif event.action == "vacate_unit" and event.id is not None:
            # The people leave for another role (no severance); the positions are hired.
            out.append(("add", slots[event.id], 0.0))
            fee = _search_fee(graph.units[event.id], graph, graph.assumptions)
            if fee > 0:
                out.append(("search_fee", slots[event.id], fee))
        elif event.action == "move_unit" and event.id is not None:
            for uid in graph.subtree(event.id):
                out.append(("move", slots[uid], 0.0))
        elif event.action == "set_headcount" and event.id is not None:
            out.append(("set_headcount", slots[event.id], float(event.headcount or 0.0)))
    return tuple(out)


def compile_params(scenario: Scenario) -> ModelParams:
    """Turn a validated scenario into the plain parameters of the model.

    Args:
        scenario: A scenario from :func:`ccosim.load`.

    Returns:
        The compiled :class:`ModelParams` (org epochs, segment arrays, calibration constants).
    """
    a = scenario.assumptions
    seg_index = {name: i for i, name in enumerate(scenario.customers.segments)}
    units = list(scenario.org.units)
    slots: dict[str, int] = {}
    titles: list[str] = []
    for unit in units:
        slots.setdefault(unit.id, len(slots))
        titles.append(unit.title)
    for event in scenario.timeline:
        if event.unit is not None and event.unit.id not in slots:
            slots[event.unit.id] = len(slots)
            titles.append(event.unit.title)
    horizon = scenario.horizon_years * 12
    graph = OrgGraph(units, a)
    maybe_vacant = frozenset(
        [u.id for u in units if u.filled_headcount < u.headcount]
        + [
            e.unit.id
            for e in scenario.timeline
            if e.unit is not None and not (e.moves_in_filled and e.unit.filled_headcount >= 1)
        ]
    )
    # Executives vacant at month 0 are being searched for: the fee is paid then.
    initial = tuple(
        ("search_fee", slots[u.id], fee) for u in units if (fee := _search_fee(u, graph, a)) > 0
    )
    epochs = [_epoch(graph, slots, seg_index, scenario, 0, initial, maybe_vacant)]
    for period in itertools.islice(replay(scenario), 1, None):  # the file's org is epoch 0
        month = period.month
        if month >= horizon:
            break
        graph = OrgGraph(list(period.units), a)
        changes = _changes(period.events, slots, graph)
        if month == 0:
            epochs[0] = _epoch(
                graph, slots, seg_index, scenario, 0, initial + changes, maybe_vacant
            )
        else:
            epochs.append(_epoch(graph, slots, seg_index, scenario, month, changes, maybe_vacant))
    initial_filled = np.zeros(len(slots))
    for unit in scenario.org.units:
        initial_filled[slots[unit.id]] = unit.filled_headcount
    h = a.health
    sd = h.noise_sd / math.sqrt(1 - (1 - h.reversion) ** 2)
    beta, gamma = h.churn_sensitivity, h.expansion_sensitivity
    fit_b = a.sales_consulting.fit_churn_sensitivity
    fit_norm = math.sinh(fit_b / 2) / (fit_b / 2) if fit_b > 0 else 1.0
    return ModelParams(
        scenario=scenario.name,
        horizon_months=horizon,
        outcomes_on=a.org_effects,
        segments=_segment_params(scenario),
        unit_ids=tuple(slots),
        unit_titles=tuple(titles),
        initial_filled=initial_filled,
        epochs=tuple(epochs),
        assumptions=a,
        health_sd=sd,
        # E[exp(-beta X)] and E[exp(gamma X)] for X ~ N(0, sd^2): the normalisers that make
        # the health multipliers average exactly 1 at the reference service level.
        churn_norm=math.exp(beta**2 * sd**2 / 2),
        expansion_norm=math.exp(gamma**2 * sd**2 / 2),
        fit_norm=fit_norm,
    )
