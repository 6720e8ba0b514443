"""The studio's business case: hire month, CCO cost, discount rate, horizon -> NPV and break-even.

Plain Python (the Shiny panel is in :mod:`ccosim.studio.business_panel`). The first design
is the current org; the chosen design (as edited, with the slider values) is the CCO org.
The run context comes from :func:`~ccosim.experiment.business_case.business_case_study_of`
and :func:`~ccosim.experiment.business_case.business_case` runs it: the same transition,
net value, NPV and break-even as ``ccosim business-case``, nothing computed here but the
words and the curve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ccosim.errors import CcosimError
from ccosim.experiment.business_case import BusinessCase, business_case, business_case_study_of
from ccosim.experiment.study import Execution, Study
from ccosim.formatting import format_value
from ccosim.org.edit import update_unit
from ccosim.scenario import Function, Scenario
from ccosim.stats import mean_interval
from ccosim.studio.workbench import Workbench

__all__ = ["CaseSettings", "CaseSummary", "case_study", "case_summary", "net_value_svg", "run_case"]


@dataclass(frozen=True)
class CaseSettings:
    """What the business-case panel asks.

    Attributes:
        target: Index of the CCO org among the designs (the first is the current org).
        hire_month: Month the CCO's search opens (0: the CCO org from the start).
        cco_cost: Loaded annual cost of the new executive (None: as in the design).
        discount_rate: Annual discount rate of the NPV.
        years: Horizon.
    """

    target: int
    hire_month: int
    cco_cost: float | None
    discount_rate: float
    years: int


def new_executives(current: Scenario, target: Scenario) -> list[str]:
    """Ids of the executives ``target`` adds under units ``current`` already has (the CCO)."""
    now = {u.id for u in current.org.units}
    return [
        u.id
        for u in target.org.units
        if u.id not in now and u.function == Function.executive and u.reports_to in now
    ]


def case_study(
    wb: Workbench, settings: CaseSettings, runs: int, execution: Execution | None = None
) -> Study:
    """The business case's run context over the designs as they stand in ``wb``.

    Raises:
        CcosimError: the CCO org is the current org, a bad value, or the library's refusal
            (a hire month outside the horizon, designs whose assumptions differ).
    """
    if not 0 < settings.target < len(wb.designs):
        raise CcosimError("choose a CCO org other than the first design (the current org)")
    if not 1 <= settings.years <= 30:
        raise CcosimError(f"horizon {settings.years}: choose 1 to 30 years")
    if not 0 <= settings.discount_rate < 1:
        raise CcosimError(f"discount rate {settings.discount_rate:g}: choose 0 to 0.99 a year")
    horizon = {"horizon_years": settings.years}
    current = wb.scenario(0).model_copy(update=horizon)
    target = wb.scenario(settings.target).model_copy(update=horizon)
    if settings.cco_cost is not None:
        chosen = new_executives(current, target)
        if not chosen:
            raise CcosimError(
                f"{wb.labels[settings.target]} adds no executive to {wb.labels[0]}: no CCO "
                "whose cost to set (leave the cost blank)"
            )
        for unit_id in chosen:
            target = update_unit(target, unit_id, {"cost": settings.cco_cost})
    first, other = wb.designs[0], wb.designs[settings.target]
    return business_case_study_of(
        current,
        target,
        hire_month=settings.hire_month,
        labels=(first.label, other.label),
        sources=(Path(first.source).name, Path(other.source).name),
        seed=wb.seed,
        runs=runs,
        execution=execution,
    )


def run_case(
    wb: Workbench, settings: CaseSettings, runs: int, execution: Execution | None = None
) -> BusinessCase:
    """Run the business case (no goal-seek: the panel answers the NPV question)."""
    study = case_study(wb, settings, runs, execution)
    return business_case(study, discount_rate=settings.discount_rate, goal_seek=False)


@dataclass(frozen=True)
class CaseSummary:
    """The panel's answer in words."""

    npv: str
    npv_interval: str
    break_even: str
    covers: str


def _month(m: int | None) -> str:
    return "not within the horizon" if m is None else f"month {m}"


def case_summary(bc: BusinessCase) -> CaseSummary:
    """NPV over the horizon with its interval, break-even, and what the intervals cover."""
    months = bc.net_value.shape[1]
    value = bc.npv_at(months)
    be = bc.break_even_summary()
    if be["median"] is None:
        breaks = f"not within {months} months in any run"
    else:
        breaks = (
            f"{_month(be['median'])} (median; 95% of runs {_month(be['lo'])} to "
            f"{_month(be['hi'])}; {be['share_reached']:.0%} of runs break even)"
        )
    runs = bc.net_value.shape[0]
    covers = (
        f"{runs} runs of each org on the same simulated customers; intervals cover customer "
        "randomness only, with the assumptions at the slider values. NPV discounted at "
        f"{bc.discount_rate:.1%} a year to month 0; {bc.proposed} against {bc.current}, hired at "
        f"month {bc.hire_month}."
    )
    return CaseSummary(
        npv=format_value(float(value.mean[0]), "$", signed=True),
        npv_interval=(
            f"95% interval {format_value(float(value.lo[0]), '$', signed=True)} to "
            f"{format_value(float(value.hi[0]), '$', signed=True)}"
        ),
        break_even=breaks,
        covers=covers,
    )


def _nice_step(span: float) -> float:
    raw = span / 4 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def net_value_svg(bc: BusinessCase, width: int = 640, height: int = 230) -> str:
    """The cumulative net value by month: mean line, 95% band, zero line, hire month.

    Plain SVG text (no script); the band is the 95% interval of the mean over runs.
    """
    curve = mean_interval(bc.net_value)
    mean, lo, hi = (np.asarray(a, dtype=float) / 1e6 for a in (curve.mean, curve.lo, curve.hi))
    months = mean.size
    top, bottom = float(max(hi.max(), 0.0)), float(min(lo.min(), 0.0))
    step = _nice_step(top - bottom)
    top, bottom = math.ceil(top / step) * step, math.floor(bottom / step) * step
    if top == bottom:
        top += step
    left, right, up, down = 62, 12, 16, 34
    plot_w, plot_h = width - left - right, height - up - down

    def x(month: float) -> float:
        return left + plot_w * month / max(months, 1)

    def y(value: float) -> float:
        return up + plot_h * (top - value) / (top - bottom)

    def path(values: np.ndarray) -> str:
        return " ".join(f"{x(i + 1):.1f},{y(v):.1f}" for i, v in enumerate(values))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" id="case-curve" '
        'aria-label="Cumulative net value by month" font-family="sans-serif" font-size="11">'
    ]
    ticks = np.arange(bottom, top + step / 2, step)
    for v in ticks:
        v = 0.0 if abs(v) < step / 1000 else float(round(v / step) * step)
        label = "0" if v == 0 else f"{v:+.4g}M"
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="{"#555" if abs(v) < 1e-12 else "#e3e3e3"}"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" fill="#444">'
            f"{label}</text>"
        )
    for year in range(0, months + 1, 12):
        parts.append(
            f'<text x="{x(year):.1f}" y="{height - down + 16}" text-anchor="middle" '
            f'fill="#444">{year // 12}y</text>'
        )
    band = path(hi) + " " + " ".join(reversed(path(lo).split(" ")))
    parts.append(f'<polygon points="{band}" fill="#0072b2" fill-opacity="0.18" stroke="none"/>')
    parts.append(f'<polyline points="{path(mean)}" fill="none" stroke="#0072b2" stroke-width="2"/>')
    if bc.hire_month:
        hx = x(bc.hire_month)
        parts.append(
            f'<line x1="{hx:.1f}" x2="{hx:.1f}" y1="{up}" y2="{height - down}" stroke="#e69f00" '
            f'stroke-dasharray="4 3"/><text x="{hx + 4:.1f}" y="{up + 10}" fill="#8a5a00">'
            f"hire month {bc.hire_month}</text>"
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" fill="#444">'
        "years from now; line: mean cumulative net value ($M); band: its 95% interval</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
