"""The CEO's business case for a CCO: retained ARR, added cost, net value, NPV and break-even.

The current org and the CCO org run on common random numbers. With a hire month ``M`` the CCO
org is the current one plus a timeline: the new executive is added at ``M`` (the search opens
and its fee is paid) and the rest of the change (units added, moved, resized and removed)
follows when the executive is in post, after its time to fill (:func:`executive_start`); the
CCO file's own timeline comes after that. The first ``M`` months are identical; the movers'
dip, reorg attrition and severance are paid, and the structure's effects phase in.

Money is compared as **operating contribution** each month: revenue minus hosting cost minus
the whole org's loaded cost and one-time costs (``revenue - (cogs - delivery teams' cost) -
org_cost - one_time_cost``, because the model's cost of revenue already holds support,
onboarding, PS and training cost). Net value is the CCO org's contribution minus the current
org's, accumulated month by month; NPV discounts it (:mod:`ccosim.money`);
break-even is the first month after which it stays at or above zero.

The goal-seek asks the question the other way round: how large a GRR lift would pay for the
role? It lowers every segment's ``base_churn`` of the current org by ``delta`` and charges it
the CCO org's extra cost (run-rate and one-time), and bisects for the smallest ``delta`` whose
net value over the horizon is not negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ccosim.experiment.compare import CompareError, Comparison, run_study
from ccosim.experiment.executors import run_ordered
from ccosim.experiment.study import Design, Execution, Hire, Study
from ccosim.functions import DELIVERY as DELIVERY_FUNCTIONS
from ccosim.money import DEFAULT_DISCOUNT_RATE, npv
from ccosim.results import Results
from ccosim.scenario import Scenario, ScenarioError, load, load_text
from ccosim.scenario.schema import Function, Unit
from ccosim.sim.model import run_replication
from ccosim.sim.params import ModelParams, compile_params
from ccosim.sim.workforce import ONE_TIME_KINDS
from ccosim.stats import Interval, mean_interval

__all__ = [
    "CONTRIBUTION_MEASURES",
    "DEFAULT_LEAD_MONTHS",
    "PERSISTENCE",
    "BusinessCase",
    "GoalSeek",
    "business_case",
    "business_case_study",
    "business_case_study_of",
    "contribution",
    "design_overrides",
    "executive_start",
    "lead_horizon",
    "load_designs",
    "run_business_case",
    "shown_horizons",
    "split_set_options",
    "transition_timeline",
]

DELIVERY = tuple(f.value for f in DELIVERY_FUNCTIONS)


#: The monthly measures :func:`contribution` reads.
CONTRIBUTION_MEASURES = (
    "revenue",
    "cogs",
    "org_cost",
    "one_time_cost",
    *(f"cost_{f}" for f in DELIVERY),
)


#: The horizon the one-pager leads with when the user names none (months).
DEFAULT_LEAD_MONTHS = 60
#: Shorter horizons the one-pager shows beside the lead and the whole (months).
SHOWN_HORIZONS = (36, 60)
#: What values beyond the chosen horizon rest on, said the same way everywhere. True with
#: or without executive turnover in the scenario: it says what the runs hold, not more.
PERSISTENCE = (
    "Values over longer horizons assume the lift persists: each later year counts the lift "
    "the model still gives in that year, with the leaders and teams the scenario keeps in "
    "post. Where the scenario gives an executive a tenure, departures, vacancies and refills "
    "are in the runs; an executive without one stays for the whole horizon. The further "
    "out, the more the number rests on that assumption."
)


def lead_horizon(total: int, chosen: int | None) -> int:
    """The horizon (months) a case leads with: ``chosen``, else 5 years; at most ``total``."""
    return min(total, DEFAULT_LEAD_MONTHS if chosen is None else chosen)


def shown_horizons(total: int, lead: int) -> list[int]:
    """Horizons (months) shown: 3 and 5 years if shorter than ``total``, the lead, the whole."""
    return sorted({*(m for m in SHOWN_HORIZONS if m < total), lead, total})


def contribution(results: Results) -> np.ndarray:
    """Monthly operating contribution per replication (runs x months)."""
    m = results.monthly
    delivery = sum(m[f"cost_{f}"] for f in DELIVERY if f"cost_{f}" in m)
    one_time = m.get("one_time_cost", 0.0)
    return m["revenue"] - (m["cogs"] - delivery) - m["org_cost"] - one_time


def cut_churn(scenario: Scenario, cut: float) -> Scenario:
    """``scenario`` with every segment's ``base_churn`` lowered by ``cut`` (not below 0)."""
    segments = {
        name: seg.model_copy(update={"base_churn": max(0.0, seg.base_churn - cut)})
        for name, seg in scenario.customers.segments.items()
    }
    customers = scenario.customers.model_copy(update={"segments": segments})
    return scenario.model_copy(update={"customers": customers})


def churn_cut_params(scenario: Scenario, cut: float, from_month: int) -> ModelParams:
    """``scenario``'s parameters with its churn cut by ``cut`` from ``from_month`` on.

    The searches for the lift that pays cut churn from the hire: before it there is no CCO
    org to deliver a lift.
    """
    lowered = compile_params(cut_churn(scenario, cut))
    if from_month <= 0:
        return lowered
    return replace(
        compile_params(scenario), churn_from=(from_month, lowered.segments.churn_per_term)
    )


def _break_even(cumulative: np.ndarray, hire_month: int = 0) -> int | None:
    """First month (1-based), from the hire on, after which net value never drops below zero.

    Months before the hire are left out: both orgs are the same then, and a net value of
    exactly zero is not a payback.
    """
    after = cumulative[hire_month:]
    negative = np.flatnonzero(after < 0)
    if negative.size == 0:
        return hire_month + 1
    last = int(negative[-1])
    return None if last == after.size - 1 else hire_month + last + 2


def executive_start(target: Scenario, current: Scenario, month: int) -> int:
    """Month the target's new executives are in post when their search opens at ``month``.

    The longest time to fill of the executive units the target adds (their
    ``staffing.time_to_fill_months``, else ``workforce.executive_time_to_fill_months``),
    rounded to whole months as the workforce does; ``month`` if the target adds none.
    """
    now = {u.id for u in current.org.units}
    # The transition runs on the current scenario's assumptions (the default time to fill).
    fill = current.assumptions.workforce.executive_time_to_fill_months
    waits = [
        u.staffing.time_to_fill_months
        if u.staffing is not None and u.staffing.time_to_fill_months is not None
        else fill
        for u in target.org.units
        if u.id not in now
        and u.function == Function.executive
        and u.reports_to in now
        and not _stays_empty(u)
    ]
    return month + (int(np.rint(max(waits))) if waits else 0)


def _stays_empty(unit: Unit) -> bool:
    """A new executive seat the target leaves vacant: with a hire month it is never filled."""
    return unit.vacant or (unit.seat is not None and unit.seat.never_filled)


def transition_timeline(current: Scenario, target: Scenario, month: int) -> list[dict[str, Any]]:
    """Timeline events that turn ``current``'s org into ``target``'s, starting at ``month``.

    The new executives (the CCO) are added at ``month``: their search opens then and they are
    hired (time to fill). The rest of the change waits until they are in post
    (:func:`executive_start`): new units are added parents first, then moved units get their
    new manager, headcounts are reset where they differ, and units the target lacks are
    removed last (their reports have already moved). Until then the teams keep their
    current reporting lines. Units the change adds are hired, not filled at once. A unit the
    target marks ``vacant`` that is filled today is vacated then (its holder moves on, as a
    promoted VP does) and hired again; a new executive the target marks ``vacant`` is opened
    at ``month`` and never filled.
    """
    now = {u.id: u for u in current.org.units}
    to_be = {u.id: u for u in target.org.units}
    reorg = executive_start(target, current, month)
    events: list[dict[str, Any]] = []
    first = [
        u
        for u in target.org.units
        if u.id not in now and u.function == Function.executive and u.reports_to in now
    ]
    for unit in first:
        data = unit.model_dump(mode="json", exclude_none=True)
        note = "business case: new executive in the CCO org (search opens)"
        if unit.seat is not None and unit.seat.appointment == "internal":
            note = "business case: new executive in the CCO org (appointed from inside)"
        if _stays_empty(unit):
            # `vacant: true` on a new executive: the seat is opened and left vacant.
            data["seat"] = {**data.get("seat", {}), "never_filled": True}
            note = "business case: new executive seat, left vacant (never filled)"
        events.append({"month": month, "action": "add_unit", "unit": data, "note": note})
    pending = [u for u in target.org.units if u.id not in now and u not in first]
    placed = set(now) | {u.id for u in first}
    while pending:
        ready = [u for u in pending if u.reports_to in placed]
        if not ready:  # pragma: no cover - a valid target org is a tree rooted in placed units
            raise CompareError("cannot order the new units of the CCO org under existing ones")
        for unit in ready:
            events.append(
                {
                    "month": reorg,
                    "action": "add_unit",
                    "unit": unit.model_dump(mode="json", exclude_none=True),
                    "note": "business case: new in the CCO org",
                }
            )
            placed.add(unit.id)
        pending = [u for u in pending if u.id not in placed]
    for unit_id, unit in to_be.items():
        if unit_id in now and now[unit_id].reports_to != unit.reports_to and unit.reports_to:
            events.append(
                {
                    "month": reorg,
                    "action": "move_unit",
                    "id": unit_id,
                    "reports_to": unit.reports_to,
                    "note": "business case: moves in the CCO org",
                }
            )
        if unit_id in now and unit.vacant and now[unit_id].filled_headcount > 0:
            events.append(
                {
                    "month": reorg,
                    "action": "vacate_unit",
                    "id": unit_id,
                    "note": "business case: its holder moves on (a promotion); hired again",
                }
            )
        if unit_id in now and now[unit_id].headcount != unit.headcount:
            events.append(
                {
                    "month": reorg,
                    "action": "set_headcount",
                    "id": unit_id,
                    "headcount": unit.headcount,
                }
            )
    for unit_id in now:
        if unit_id not in to_be:
            events.append(
                {
                    "month": reorg,
                    "action": "remove_unit",
                    "id": unit_id,
                    "note": "business case: not in the CCO org",
                }
            )
    return events


def _with_transition(
    current: Scenario, target: Scenario, month: int, source: str, target_path: str
) -> Scenario:
    """The current scenario with the transition to ``target`` and then ``target``'s timeline.

    Raises:
        CompareError: the target's own timeline has events before its new executives are in
            post (they cannot be merged with the generated transition).
    """
    data = current.model_dump(mode="json", exclude_none=True)
    data.pop("extends", None)
    data["name"] = f"{target.name} (hired at month {month})"
    data["label"] = target.label  # reports name the org as its own file does
    horizon = current.horizon_years * 12
    reorg = executive_start(target, current, month)
    early = [e for e in target.timeline if e.month < reorg]
    if early:
        listed = "; ".join(
            f"month {e.month} {e.action} {e.id or (e.unit.id if e.unit else '')}" for e in early
        )
        raise CompareError(
            f"{target_path}: its own timeline has events before the CCO org is in place "
            f"(month {reorg}: hire month {month} plus the executive search), which cannot be "
            f"merged with the generated transition: {listed}. Move them to month {reorg} or "
            "later, or use --hire-month 0 to run the file as written."
        )
    events = [e for e in transition_timeline(current, target, month) if e["month"] < horizon]
    own = [
        e.model_dump(mode="json", exclude_none=True) for e in target.timeline if e.month < horizon
    ]
    data["timeline"] = [*data.get("timeline", []), *events, *own]
    data["uncertainty"] = _merged_uncertainty(current, target, target_path)
    try:
        return load_text(yaml.safe_dump(data, sort_keys=False), source)
    except ScenarioError as err:
        if not set(target.uncertainty) - set(current.uncertainty):
            raise
        raise CompareError(
            f"{target_path}: its own ranges (uncertainty:) do not fit the current org plus "
            f"the transition at month {month} ({err}). A range on a unit the CCO org adds "
            "cannot be drawn when the unit only arrives by the timeline: run it with "
            "--hire-month 0, or give the range in the current org's file."
        ) from err


def _merged_uncertainty(current: Scenario, target: Scenario, target_path: str) -> dict[str, Any]:
    """The current org's ranges plus those only the CCO file declares, for the proposed org.

    With a hire month the CCO org is the current file plus a timeline, so without this the
    CCO file's own ranges would be dropped silently (drawn for neither design).

    Raises:
        CompareError: both files give one key different ranges (the draws are shared).
    """
    merged = {
        path: dist.model_dump(mode="json", exclude_none=True)
        for path, dist in current.uncertainty.items()
    }
    for path, dist in target.uncertainty.items():
        mine = current.uncertainty.get(path)
        if mine is None:
            merged[path] = dist.model_dump(mode="json", exclude_none=True)
        elif mine.model_dump(exclude={"reason"}) != dist.model_dump(exclude={"reason"}):
            raise CompareError(
                f"{target_path}: uncertainty.{path} is {dist.describe()} but the current org "
                f"gives {mine.describe()}; the two designs are drawn together, so give both "
                "files the same range."
            )
    return merged


def split_set_options(
    set_options: Sequence[str], current_label: str, target_label: str
) -> tuple[list[str], list[str]]:
    """Route ``--set`` values to the designs: ``DESIGN:PATH=VALUE`` sets one design only.

    ``DESIGN`` is ``current`` or ``target`` or a file's stem; without a prefix the value goes
    to both designs.

    Returns:
        (options for the current org, options for the CCO org).
    """
    current: list[str] = []
    target: list[str] = []
    for text in set_options:
        head, sep, rest = text.partition(":")
        key = head.strip()
        if sep and "=" not in head and key in {"current", current_label}:
            current.append(rest)
        elif sep and "=" not in head and key in {"target", target_label}:
            target.append(rest)
        else:
            current.append(text)
            target.append(text)
    return current, target


def load_designs(
    current_path: str | Path,
    cco_path: str | Path,
    years: int | None = None,
    set_options: Sequence[str] = (),
    set_current: Sequence[str] = (),
    set_target: Sequence[str] = (),
) -> tuple[Scenario, Scenario]:
    """Load the current and the CCO org, each with its own overrides, on one horizon.

    Raises:
        CompareError: an override that does not fit a file (the message names the file).
    """
    for_current, for_target = split_set_options(
        set_options, Path(current_path).stem, Path(cco_path).stem
    )
    current = _load_design(current_path, years, [*for_current, *set_current], "--set-current")
    target = _load_design(
        cco_path, current.horizon_years, [*for_target, *set_target], "--set-target"
    )
    return current, target


def _load_design(
    path: str | Path, horizon: int | None, options: Sequence[str], flag: str
) -> Scenario:
    """Load one design; an override that does not fit names the file and the way around it."""
    try:
        overrides = {"horizon_years": horizon} if horizon is not None else None
        return load(path, overrides, set_options=options)
    except ScenarioError as exc:
        message = str(exc)
        if not message.startswith(str(path)):
            message = f"{path}: {message}"
        if "--set " in message:  # an override that does not fit this design
            message += (
                f"\n(to set a value on one design only, use {flag} PATH=VALUE or "
                "--set DESIGN:PATH=VALUE)"
            )
        raise CompareError(message) from exc


@dataclass(frozen=True)
class GoalSeek:
    """The GRR lift over the current org at which the CCO org's NPV is zero.

    Found by moving the CCO org's own churn (``churn_cut`` > 0: lower than the model has it,
    < 0: higher) from the hire on until its NPV against the current org is zero, so the
    answer is consistent with the NPV: above ``model_grr_lift`` when the NPV is negative,
    below it when positive.
    """

    churn_cut: float | None
    grr_lift: float | None
    model_grr_lift: float
    evaluations: int


@dataclass(frozen=True)
class BusinessCase:
    """Everything the one-pager shows; arrays are per replication unless named otherwise.

    Attributes:
        hire_month: Month the CCO's search opens (0: the CCO org from the start).
        in_post_month: Month the new executives start and the teams move (None: not within
            the horizon).
        net_value: Runs x months, cumulative net value (undiscounted).
        break_even: Per run, break-even month counted from month 0 (1-based), from the hire
            on; None if never within the horizon.
        discount_rate: Annual rate of the NPV, compounded monthly.
        lead_months: The horizon the user decides on (``--years``; None: 5 years, or the
            whole horizon if shorter): the one-pager leads with it.
        seat_left_vacant: The new executive seat is opened at the hire month and never
            filled (``vacant: true`` or ``seat.never_filled`` on it in the target).
    """

    comparison: Comparison
    hire_month: int
    net_value: np.ndarray  # runs x months, cumulative
    break_even: list[int | None]
    goal_seek: GoalSeek | None
    in_post_month: int | None = None
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    lead_months: int | None = None
    seat_left_vacant: bool = False

    @property
    def monthly_net(self) -> np.ndarray:
        """Runs x months: each month's net value (not cumulative)."""
        return np.diff(self.net_value, axis=1, prepend=0.0)

    @property
    def lead(self) -> int:
        """The horizon (months) the one-pager leads with: the user's, else 5 years or less."""
        return lead_horizon(self.net_value.shape[1], self.lead_months)

    def horizons(self) -> list[int]:
        """Horizons (months) the one-pager shows: 3 and 5 years, the lead and the whole."""
        return shown_horizons(self.net_value.shape[1], self.lead)

    def net_value_at(self, months: int) -> Interval:
        """Cumulative net value over the first ``months`` months: mean and 95% interval."""
        return mean_interval(self.net_value[:, months - 1 : months])

    def npv_at(self, months: int) -> Interval:
        """Net present value at month 0 of the first ``months`` months (paired 95%)."""
        values = npv(self.monthly_net[:, :months], self.discount_rate)
        return mean_interval(values[:, None])

    def one_time_costs(self) -> dict[str, float]:
        """Mean one-time costs of the CCO org beyond the current org's, by kind."""
        new = self.comparison.results[self.proposed].monthly
        old = self.comparison.results[self.current].monthly
        return {
            kind: float((new[kind].sum(axis=1) - old[kind].sum(axis=1)).mean())
            for kind in ONE_TIME_KINDS
            if kind in new and kind in old
        }

    @property
    def current(self) -> str:
        """Label of the current org."""
        return self.comparison.baseline

    @property
    def proposed(self) -> str:
        """Label of the CCO org."""
        return next(lb for lb in self.comparison.labels if lb != self.current)

    def yearly_delta(self, kpi: str) -> Interval:
        """Paired difference (CCO minus current) of a yearly KPI."""
        d = self.comparison.delta(self.proposed, kpi)
        return Interval(d.mean, d.lo, d.hi, d.n)

    @property
    def p_leader_leaves(self) -> float:
        """Share of runs in which an executive of the CCO org left within the horizon.

        Executive turnover (docs/model.md, "Executive turnover"); 0 with turnover off.
        """
        left = self.comparison.results[self.proposed].monthly.get("leader_departures")
        if left is None:
            return 0.0
        return float((np.nansum(left, axis=1) > 0).mean())

    def net_value_at_horizon(self) -> Interval:
        """Cumulative net value at the last month, mean and 95% interval."""
        return mean_interval(self.net_value[:, -1:])

    def break_even_summary(self) -> dict[str, Any]:
        """Median break-even month, a 95% range over replications, and how many broke even."""
        reached = np.array([m for m in self.break_even if m is not None], dtype=float)
        share = reached.size / len(self.break_even)
        if reached.size == 0:
            return {"median": None, "lo": None, "hi": None, "share_reached": 0.0}
        # Replications that never break even count as "after the horizon" for the quantiles.
        horizon = self.net_value.shape[1] + 1
        padded = np.array([horizon if m is None else m for m in self.break_even], dtype=float)
        lo, median, hi = np.percentile(padded, [2.5, 50, 97.5])

        def month(v: float) -> int | None:
            return None if v >= horizon else round(v)

        return {"median": month(median), "lo": month(lo), "hi": month(hi), "share_reached": share}


def business_case_designs(
    current_path: str | Path,
    cco_path: str | Path,
    hire_month: int,
    years: int | None,
    set_options: Sequence[str] = (),
    set_current: Sequence[str] = (),
    set_target: Sequence[str] = (),
) -> tuple[Scenario, Scenario, Scenario, list[str]]:
    """``(current, target, proposed, labels)`` of a business case, as it and the draws run it.

    The two files are loaded with their own overrides on one horizon; with ``hire_month`` > 0
    the CCO org is the current org plus the transition.

    Raises:
        CompareError: a hire month outside the horizon, (with a hire month) designs whose
            assumptions differ, a target timeline that cannot follow the transition, or an
            override that does not fit a file.
    """
    cur_label, new_label = Path(current_path).stem, Path(cco_path).stem
    if new_label == cur_label:
        new_label += "-2"
    current, target = load_designs(
        current_path, cco_path, years, set_options, set_current, set_target
    )
    horizon = current.horizon_years
    if not 0 <= hire_month < horizon * 12:
        raise CompareError(f"--hire-month must be between 0 and {horizon * 12 - 1}")
    if hire_month > 0 and target.assumptions != current.assumptions:
        raise CompareError(
            f"{cco_path}: its assumptions differ from {current_path}'s; with --hire-month the "
            "CCO org is the current org plus a timeline and runs on the current file's "
            "assumptions. Make them the same (set assumptions with --set, for both designs)."
        )
    proposed = (
        target
        if hire_month == 0
        else _with_transition(
            current, target, hire_month, f"{cco_path} at month {hire_month}", str(cco_path)
        )
    )
    return current, target, proposed, [cur_label, new_label]


def design_overrides(
    set_options: Sequence[str], set_current: Sequence[str], set_target: Sequence[str]
) -> tuple[str, ...]:
    """A business case's overrides as one list, each per-design one with its design prefix."""
    return (
        *set_options,
        *(f"current:{o}" for o in set_current),
        *(f"target:{o}" for o in set_target),
    )


def business_case_study(
    current_path: str | Path,
    cco_path: str | Path,
    *,
    hire_month: int = 0,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    set_options: Sequence[str] = (),
    set_current: Sequence[str] = (),
    set_target: Sequence[str] = (),
    execution: Execution | None = None,
) -> Study:
    """The business case's run context: the current org (baseline) and the CCO org.

    Both files are loaded once, each with its own overrides, on the current org's horizon
    (or ``years``); with ``hire_month`` > 0 the CCO org is the current org plus the
    transition (:func:`business_case_designs`). Designs are labelled by file stem.

    Args:
        current_path: The current org's scenario file.
        cco_path: The CCO org's scenario file.
        hire_month: Month the CCO's search opens (0: the CCO org as written, from month 0).
        runs: Replications per design (or per draw).
        seed: Root seed (default: the current scenario's).
        years: Horizon (default: the current scenario's).
        set_options: ``--set`` values: for both designs, or one with a ``DESIGN:`` prefix
            (``current``, ``target`` or a file stem).
        set_current: Values for the current org only.
        set_target: Values for the CCO org only.
        execution: Processes or scheduler, and progress.

    Raises:
        CompareError: a hire month outside the horizon, a target timeline that cannot
            follow the transition, or an override that does not fit a file.
        ScenarioError: a scenario is invalid.
    """
    current, target, proposed, (cur_label, new_label) = business_case_designs(
        current_path, cco_path, hire_month, years, set_options, set_current, set_target
    )
    return Study(
        designs=(
            Design(cur_label, str(current_path), current),
            Design(new_label, str(cco_path), proposed),
        ),
        baseline=cur_label,
        seed=current.seed if seed is None else int(seed),
        runs=runs,
        execution=execution or Execution(),
        overrides=design_overrides(set_options, set_current, set_target),
        given_horizons=(current.horizon_years, current.horizon_years),
        years=years,
        hire=Hire(hire_month, target, str(cco_path)),
    )


def business_case_study_of(
    current: Scenario,
    target: Scenario,
    *,
    hire_month: int = 0,
    labels: tuple[str, str] = ("current", "target"),
    sources: tuple[str, str] = ("current", "target"),
    seed: int | None = None,
    runs: int | None = None,
    execution: Execution | None = None,
) -> Study:
    """:func:`business_case_study` for scenarios already in memory (a front end's edits).

    ``target`` runs on ``current``'s horizon; with ``hire_month`` > 0 the CCO org is the
    current org plus the transition, as from files.

    Raises:
        CompareError: a hire month outside the horizon, or (with a hire month) designs whose
            assumptions differ.
    """
    horizon = current.horizon_years
    if target.horizon_years != horizon:
        target = target.model_copy(update={"horizon_years": horizon})
    if not 0 <= hire_month < horizon * 12:
        raise CompareError(f"the hire month must be between 0 and {horizon * 12 - 1}")
    if hire_month > 0 and target.assumptions != current.assumptions:
        raise CompareError(
            f"{labels[1]}: its assumptions differ from {labels[0]}'s; with a hire month the CCO "
            "org is the current org plus a timeline and runs on the current org's assumptions"
        )
    proposed = (
        target
        if hire_month == 0
        else _with_transition(
            current, target, hire_month, f"{sources[1]} at month {hire_month}", sources[1]
        )
    )
    return Study(
        designs=(Design(labels[0], sources[0], current), Design(labels[1], sources[1], proposed)),
        baseline=labels[0],
        seed=current.seed if seed is None else int(seed),
        runs=runs,
        execution=execution or Execution(),
        given_horizons=(horizon, horizon),
        hire=Hire(hire_month, target, sources[1]),
    )


def run_business_case(
    current_path: str | Path,
    cco_path: str | Path,
    *,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    goal_seek: bool = True,
    **settings: Any,
) -> BusinessCase:
    """Load the two orgs (:func:`business_case_study`) and run :func:`business_case`.

    Args:
        current_path: The current org's scenario file.
        cco_path: The CCO org's scenario file.
        discount_rate: Annual discount rate of the NPV (compounded monthly).
        goal_seek: Also search for the GRR lift that pays for the role.
        **settings: :func:`business_case_study`'s keywords (``hire_month``, ``runs``
            (default 20), ``seed``, ``years``, ``set_options``, ``set_current``,
            ``set_target``) and :class:`~ccosim.experiment.study.Execution`'s
            (``workers``, ``scheduler``, ``on_done``, ``on_total``).

    Raises:
        CompareError: a hire month outside the horizon, fewer than 2 runs, a target timeline
            that cannot follow the transition, or an override that does not fit a file (the
            message names it).
        ScenarioError: a scenario is invalid.
    """
    settings.setdefault("runs", 20)
    if settings["runs"] < 2:
        raise CompareError("a business case needs at least 2 runs for intervals (--runs)")
    study = business_case_study(current_path, cco_path, **Execution.gather(settings))
    return business_case(study, discount_rate=discount_rate, goal_seek=goal_seek)


def business_case(
    study: Study, *, discount_rate: float = DEFAULT_DISCOUNT_RATE, goal_seek: bool = True
) -> BusinessCase:
    """Run a business-case study's two orgs on common random numbers (``study.runs``, 20 if None).

    Args:
        study: From :func:`business_case_study`: the current org first, then the CCO org.
        discount_rate: Annual discount rate of the NPV (compounded monthly).
        goal_seek: Also search for the GRR lift that pays for the role.

    Raises:
        CompareError: fewer than 2 runs.
    """
    runs = 20 if study.runs is None else study.runs
    if runs < 2:
        raise CompareError("a business case needs at least 2 runs for intervals (--runs)")
    hire = study.hire or Hire(0, study.designs[1].scenario, study.designs[1].source)
    current_design, proposed_design = study.baseline_first()
    current = current_design.scenario
    cur_label, new_label = current_design.label, proposed_design.label
    comparison = run_study(study, runs, attribution=False)
    net = np.cumsum(
        contribution(comparison.results[new_label]) - contribution(comparison.results[cur_label]),
        axis=1,
    )
    breaks = [_break_even(row, hire.month) for row in net]
    seek = (
        _goal_seek(
            proposed_design.scenario,
            comparison,
            new_label,
            study.with_runs(min(runs, 10)),
            (hire.month, discount_rate),
        )
        if goal_seek
        else None
    )
    start = executive_start(hire.target, current, hire.month) if hire.month else 0
    return BusinessCase(
        comparison,
        hire.month,
        net,
        breaks,
        seek,
        in_post_month=start if start < current.horizon_years * 12 else None,
        discount_rate=discount_rate,
        lead_months=None if study.years is None else study.years * 12,
        seat_left_vacant=bool(hire.month) and _new_seat_left_vacant(current, hire.target),
    )


def _new_seat_left_vacant(current: Scenario, target: Scenario) -> bool:
    """Whether a new executive seat of ``target`` stays empty (opened, never filled)."""
    now = {u.id for u in current.org.units}
    return any(
        _stays_empty(u)
        for u in target.org.units
        if u.id not in now and u.function == Function.executive
    )


def _goal_seek(
    proposed: Scenario,
    comparison: Comparison,
    new_label: str,
    study: Study,
    timing: tuple[int, float] = (0, DEFAULT_DISCOUNT_RATE),
) -> GoalSeek:
    """The GRR lift at which the CCO org's NPV is zero (see :class:`GoalSeek`).

    ``timing`` is the hire month and the annual discount rate of the business case. The side
    of the search is the sign of the business case's own NPV (every run); the search runs
    ``study.runs`` replications of the CCO org with its churn moved, and the answer is the
    model's GRR lift plus the lift the churn move adds on those runs.
    """
    hire_month, rate = timing
    seed, runs = study.seed, study.runs or 10
    workers, scheduler = study.execution.workers, study.execution.scheduler
    base = comparison.results[comparison.baseline]
    new = comparison.results[new_label]
    # GRR lifts are read over the years from the hire's on (before it nothing differs).
    since = hire_month // 12
    model_lift = float(np.mean((new.yearly["grr"] - base.yearly["grr"])[:, since:]))
    headline = float(npv(contribution(new) - contribution(base), rate).mean())
    base_contribution = contribution(base)[:runs]
    grr0 = float(np.mean(new.yearly["grr"][:runs, since:]))

    def evaluate(cut: float) -> tuple[float, float]:
        params = churn_cut_params(proposed, cut, hire_month)
        tasks = [(params, seed, r) for r in range(runs)]
        outputs = run_ordered(run_replication, tasks, workers, scheduler=scheduler)
        lifted = Results.from_runs(proposed.name, seed, outputs)
        net = float(npv(contribution(lifted) - base_contribution, rate).mean())
        return net, model_lift + float(np.mean(lifted.yearly["grr"][:, since:])) - grr0

    # NPV rises as churn falls: a negative NPV needs a lower churn, a positive one affords more.
    bound = min(s.base_churn for s in proposed.customers.segments.values())
    bound = bound if headline < 0 else -bound
    net_b, lift_b = evaluate(bound)
    if (net_b < 0) == (headline < 0):
        # Out of reach, or paying even with churn raised by the smallest base churn.
        return (
            GoalSeek(None, None, model_lift, 1)
            if headline < 0
            else (GoalSeek(bound, lift_b, model_lift, 1))
        )
    paying, failing, lift = (bound, 0.0, lift_b) if headline < 0 else (0.0, bound, model_lift)
    evaluations = 1
    for _ in range(10):
        mid = (paying + failing) / 2
        net_mid, lift_mid = evaluate(mid)
        evaluations += 1
        if net_mid >= 0:
            paying, lift = mid, lift_mid
        else:
            failing = mid
    return GoalSeek(paying, lift, model_lift, evaluations)
