"""Page 1 for a board: the recommendation with its condition, in plain words.

A :class:`BoardPage` is what a board reads first and what the slides (:mod:`ccosim.report.slides`)
and the one-page ``summary.pdf`` (:mod:`ccosim.report.summary_pdf`) carry: the question the
report answers (one sentence), the recommendation with the condition it rests on ("the answer
turns on X"), whether the company is calibrated to someone's data or is the illustrative one,
a headline table and the charts. No YAML key path, no statistics jargon and no link to the
project's docs appear on it; the methods are in the rest of the report.

:func:`compare_board` builds it for a comparison (with the answers of ``--draws`` when there
are any); :func:`board_section` renders it as the report's first section and
:func:`board_html` as a self-contained page that prints on one sheet.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, select_autoescape
from matplotlib.figure import Figure

from ccosim import kpis
from ccosim.experiment.business_case import contribution
from ccosim.experiment.compare import REMAINDER, Comparison
from ccosim.formatting import format_kpi, format_value
from ccosim.literal_text import literal_text
from ccosim.money import DEFAULT_DISCOUNT_RATE, discount_factors, npv
from ccosim.report.document import FigureItem, Section, Table, inline_svg
from ccosim.report.figures import design_colors, net_value_axes
from ccosim.report.summary import SURE, net_value, of_draws

__all__ = [
    "BOARD_TITLE",
    "BoardPage",
    "Evidence",
    "board_html",
    "board_section",
    "calibration_status",
    "case_board",
    "case_question",
    "compare_board",
    "compare_other_figure",
    "compare_question",
    "net_value_figure",
    "plain_name",
]

#: The title of the board's page in every report.
BOARD_TITLE = "For the board"


@dataclass(frozen=True)
class Evidence:
    """What assumption draws say, in the form page 1 needs (from ``--draws``).

    Attributes:
        draws: How many draws of the assumptions' ranges.
        npv_best: Per design label, the share of draws in which it has the highest NPV.
        leader: The design with the highest expected NPV.
        expected_npv: Per design label, its mean NPV over the draws (discounted).
        turns_on: The assumption whose range moves the decision most (the widest tornado
            bar) with its plain name, low and high value and the lead at each; None when
            the draws are too few to rank assumptions.
        research_draws: Draws that ranking the assumptions needs.
        discount_rate: The NPV's annual discount rate.
        evpi: What knowing every assumption before deciding is worth (0: no assumption in
            its range changes the decision in any draw).
    """

    draws: int
    npv_best: Mapping[str, float]
    leader: str
    expected_npv: Mapping[str, float]
    turns_on: tuple[str, float, float, float, float] | None
    research_draws: int
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    evpi: float = math.nan


@dataclass(frozen=True)
class BoardPage:
    """The board's page: sentences, a headline table and charts (see the module docstring).

    Attributes:
        title: What is compared, by design label.
        question: The question the report answers, in one sentence.
        recommendation: The answer in one sentence, with how often it holds.
        condition: What the answer turns on (or what it was not tested against).
        calibration: Calibrated to what, or that the company is the illustrative one.
        illustrative: True when no design is calibrated to anyone's data.
        table: The headline table.
        figures: The paired-difference chart and the net value chart.
        org_charts: The org charts of the baseline and the recommended design.
        other: How the other report's figure differs (the business case's question).
        extra: More sentences, after the question.
        recommended: The design the recommendation names (None: no clear one).
    """

    title: str
    question: str
    recommendation: str
    condition: str
    calibration: str
    illustrative: bool
    table: Table
    figures: Sequence[FigureItem] = ()
    org_charts: Sequence[FigureItem] = ()
    other: str = ""
    extra: Sequence[str] = field(default_factory=tuple)
    recommended: str | None = None

    @property
    def sentences(self) -> list[str]:
        """The page's sentences in reading order."""
        return [
            s
            for s in (
                self.recommendation,
                self.condition,
                self.calibration,
                self.question,
                *self.extra,
                self.other,
            )
            if s
        ]


# --- plain words ------------------------------------------------------------------------

_PREFIXES = ("assumptions.", "customers.segments.", "customers.", "org.units.", "workforce.")


def plain_name(path: str) -> str:
    """An assumption key in words: ``assumptions.customer_success.health_lift`` -> ...

    ``customer success: health lift``; the last part is the measure, the part before it
    what it belongs to.
    """
    for prefix in _PREFIXES:
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    parts = [p.replace("_", " ") for p in path.split(".") if p]
    if len(parts) == 1:
        return parts[0]
    return f"{' '.join(parts[:-1])}: {parts[-1]}"


def _money(value: float, signed: bool = True) -> str:
    return format_value(value, "$", signed=signed)


def _read_head(path: str) -> list[str]:
    """The leading comment lines of a scenario file ('' where it cannot be read)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return lines


def calibration_status(sources: Sequence[str], scenarios: Sequence[Any]) -> tuple[str, bool]:
    """Calibrated to what (from the calibrated file's own note), or the illustrative banner.

    A scenario written by ``ccosim calibrate`` says so in its first comment line ("Calibrated
    by ...") and its name ends in "(calibrated)". Returns the sentence and whether the company
    is the illustrative one.
    """
    for source, scenario in zip(sources, scenarios, strict=True):
        head = _read_head(source)
        start = next((i for i, line in enumerate(head) if line.startswith("Calibrated by")), None)
        if start is None and not str(scenario.name).endswith("(calibrated)"):
            continue
        said = " ".join(head[start : start + 3]) if start is not None else ""
        what = said.replace("`", "") or f"{scenario.name} was calibrated"
        return (f"Calibrated company: {what.rstrip('.:')}.", False)
    return (
        "Illustrative company: these figures come from an example company, not from your "
        "data. Calibrate the model to your own retention and revenue before taking any "
        "number here as yours.",
        True,
    )


# --- the comparison's page ------------------------------------------------------------------


def compare_question(c: Comparison) -> str:
    """The comparison's question in one sentence, and how the business case's differs."""
    years = len(c.years)
    whose = "on the same customers" if c.paired else "each on its own company's customers"
    return (
        f"The question this report answers: what each design earns over {years} years if it "
        f"is in place from month 0, {whose}, undiscounted. Hiring a Chief "
        "Customer Officer later, with the search, severance and transition costs and "
        "discounted, is a different question: the business case answers it, with a smaller "
        "figure."
    )


def compare_other_figure(c: Comparison, label: str, rate: float = DEFAULT_DISCOUNT_RATE) -> str:
    """``label``'s figure as the business case counts it: discounted, hired at month 0."""
    if label == c.baseline:
        return ""
    diff = contribution(c.results[label]) - contribution(c.results[c.baseline])
    value = float(np.mean(npv(diff, rate)))
    return (
        f"Counted as the business case counts it (discounted at {rate:.0%} a year; a hire at "
        f"month 0 has no transition to pay for): {label} {_money(value)} against "
        f"{c.baseline}. A later hire, with its search and transition costs, gives less."
    )


def _net_values(c: Comparison) -> dict[str, tuple[float, float, float]]:
    return {lb: net_value(c, lb) for lb in c.labels if lb != c.baseline}


def _break_even_month(c: Comparison, label: str) -> int | None:
    """The month the mean cumulative net value against the baseline turns positive for good."""
    diff = contribution(c.results[label]) - contribution(c.results[c.baseline])
    cumulative = np.cumsum(diff.mean(axis=0))
    negative = np.flatnonzero(cumulative < 0)
    if negative.size == 0:
        return 1
    return None if negative[-1] == cumulative.size - 1 else int(negative[-1]) + 2


def _point_recommendation(c: Comparison) -> str:
    years = len(c.years)
    values = _net_values(c)
    if not values:
        return f"One design, {c.baseline}: nothing to choose between."
    best = max(values, key=lambda lb: values[lb][0])
    mean, lo, hi = values[best]
    span = f"over {years} years"
    if mean <= 0:
        return (
            f"Keep {c.baseline}: no other design earns more operating contribution {span} "
            f"(the closest, {best}, {_money(mean)})."
        )
    amount = f"{_money(mean)} of operating contribution {span} against {c.baseline}"
    sure = c.paired and lo > 0
    back = _break_even_month(c, best)
    payback = "" if back is None else f"; it has paid back by month {back}"
    if not sure:
        return (
            f"No clear winner: {best} leads with {amount}, but the range over the simulated "
            f"customers ({_money(lo)} to {_money(hi)}) includes zero."
        )
    return (
        f"{best} pays: {amount} (between {_money(lo)} and {_money(hi)} over the simulated "
        f"customers){payback}."
    )


def _carrying_terms(c: Comparison, label: str) -> list[str]:
    """The two largest terms of ``label``'s NRR difference, in plain words."""
    if not c.variants or not c.paired or label == c.baseline:
        return []
    j = len(c.years) - 1
    shares = c.attribution_by_year(label, "nrr")
    ranked = sorted(
        ((t, iv) for t, iv in shares.items() if np.isfinite(iv.mean[j])),
        key=lambda item: -abs(float(item[1].mean[j])),
    )
    words = {REMAINDER: "team sizes and service capacity"}
    return [
        f"{words.get(t, t)} ({format_value(iv.mean[j], 'pts', signed=True)} NRR)"
        for t, iv in ranked[:2]
    ]


def _point_condition(c: Comparison) -> str:
    values = _net_values(c)
    best = max(values, key=lambda lb: values[lb][0]) if values else c.baseline
    terms = _carrying_terms(c, best)
    carried = (
        f"The answer turns on {' and '.join(terms)}, assumed effects of the org design. "
        if terms
        else ""
    )
    return (
        carried + "It holds with every assumption at its stated value: how often it holds when "
        "the assumptions vary within their ranges was not tested in this run (run it again "
        "with draws of the assumptions)."
    )


def _drawn_recommendation(c: Comparison, e: Evidence) -> str:
    share = e.npv_best.get(e.leader, math.nan)
    count = of_draws(share, e.draws)
    worlds = f"{count} plausible worlds (draws of the assumptions' ranges)"
    if e.leader == c.baseline:
        return (
            f"Keep {c.baseline}: it has the highest net present value of the "
            f"{len(c.labels)} designs in {worlds}."
        )
    gain = e.expected_npv.get(e.leader, 0.0) - e.expected_npv.get(c.baseline, 0.0)
    verdict = "pays" if share >= SURE else "is the better bet, not a sure one"
    return (
        f"{e.leader} {verdict}: it has the highest net present value of the {len(c.labels)} "
        f"designs in {worlds}, on average {_money(gain)} against {c.baseline} "
        f"(discounted at {e.discount_rate:.0%} a year)."
    )


def _unchanged(evpi: float, draws: int) -> str | None:
    """The condition when no assumption changes the decision in any draw, else None."""
    if not evpi <= 0:
        return None
    return (
        f"No assumption within its range changes this answer in any of the {draws} draws; "
        "how large the figures are does depend on them (see the rest of the report)."
    )


def _drawn_condition(e: Evidence) -> str:
    unchanged = _unchanged(e.evpi, e.draws)
    if unchanged:
        return unchanged
    if e.turns_on is None:
        return (
            f"Which assumption the answer turns on needs {e.research_draws} draws to tell; "
            f"this run has {e.draws}."
        )
    name, low, high, at_low, at_high = e.turns_on
    return (
        f"The answer turns on {name}: from {low:.3g} to {high:.3g} it moves the leader's "
        f"lead from {_money(at_low)} to {_money(at_high)}."
    )


def _headline_table(c: Comparison, evidence: Evidence | None) -> Table:
    last = c.years[-1]
    shown = ("arr", "nrr", "grr", "org_cost")
    values = _net_values(c)
    headers = ["design", *(f"{kpis.label(k)}, year {last}" for k in shown)]
    headers.append(f"net value vs {c.baseline}, {len(c.years)} years")
    if evidence is not None:
        headers.append("highest NPV in")
    rows = []
    for label in c.labels:
        row = [label + (" (baseline)" if label == c.baseline else "")]
        row += [format_kpi(k, c.results[label].mean(k)[-1]) for k in shown]
        row.append("baseline" if label == c.baseline else _money(values[label][0]))
        if evidence is not None:
            row.append(f"{of_draws(evidence.npv_best.get(label), evidence.draws)} draws")
        rows.append(row)
    return Table(
        headers,
        rows,
        caption=f"The designs in year {last} (means of {c.runs} simulated runs)",
        note="Net value: operating contribution (revenue less hosting and the whole org's "
        "cost) minus the baseline's, summed over every month, undiscounted.",
    )


@literal_text
def net_value_figure(c: Comparison, *, discount_rate: float = DEFAULT_DISCOUNT_RATE) -> Figure:
    """Each design's cumulative net value against the baseline by month, and its break-even."""
    figure = Figure(figsize=(7.5, 3.6), layout="constrained")
    axes = figure.add_subplot()
    others = [lb for lb in c.labels if lb != c.baseline]
    colors = design_colors(["baseline", *others])
    base = contribution(c.results[c.baseline])
    months = base.shape[1]
    factors = discount_factors(months, discount_rate)
    x = np.arange(1, months + 1) / 12
    for label in others:
        diff = (contribution(c.results[label]) - base).mean(axis=0)
        axes.plot(x, np.cumsum(diff), color=colors[label], linewidth=2, label=label)
        axes.plot(x, np.cumsum(diff * factors), color=colors[label], linewidth=1, linestyle="--")
        back = _break_even_month(c, label)
        if back is not None and back > 1:
            axes.plot(back / 12, 0, "o", color=colors[label], markersize=5)
    axes.plot([], [], color="#555555", linestyle="--", label=f"discounted at {discount_rate:.0%}")
    axes.axhline(0, color="black", linewidth=0.8)
    net_value_axes(
        axes,
        f"Cumulative net value against {c.baseline} (dot: pays back for good)",
        signed=True,
    )
    return figure


def evidence_of(answers: Mapping[str, Any], draws: int, research_draws: int) -> Evidence:
    """The draws' answers (:func:`~ccosim.experiment.decision.compare_answers`) for page 1."""
    bars = answers.get("tornado") or []
    turns_on = None
    if draws >= research_draws and bars:
        top = bars[0]
        turns_on = (plain_name(top.path), top.low_value, top.high_value, top.at_low, top.at_high)
    return Evidence(
        draws=draws,
        npv_best={lb: v.get("npv", math.nan) for lb, v in answers["p_best"].items()},
        leader=answers["leader"],
        expected_npv=dict(answers.get("expected_npv", {})),
        turns_on=turns_on,
        research_draws=research_draws,
        discount_rate=answers.get("discount_rate", DEFAULT_DISCOUNT_RATE),
        evpi=float(answers.get("evpi", math.nan)),
    )


def compare_board(
    c: Comparison,
    *,
    evidence: Evidence | None = None,
    figures: Sequence[FigureItem] = (),
    org_charts: Sequence[FigureItem] = (),
) -> BoardPage:
    """The board's page of a comparison (with the draws' evidence when there is some).

    Args:
        c: The comparison at the assumptions' point values.
        evidence: What the draws of ``--draws`` say (None: no draws).
        figures: The charts to carry (the paired-difference chart, the net value chart).
        org_charts: The org charts to carry.
    """
    if evidence is not None:
        recommendation, condition = _drawn_recommendation(c, evidence), _drawn_condition(evidence)
        recommended = evidence.leader
    else:
        recommendation, condition = _point_recommendation(c), _point_condition(c)
        values = _net_values(c)
        best = max(values, key=lambda lb: values[lb][0]) if values else c.baseline
        recommended = best if values and values[best][0] > 0 else c.baseline
    calibration, illustrative = calibration_status(
        [d.source for d in c.designs], [d.scenario for d in c.designs]
    )
    return BoardPage(
        title=" vs ".join(c.labels),
        question=compare_question(c),
        recommendation=recommendation,
        condition=condition,
        calibration=calibration,
        illustrative=illustrative,
        table=_headline_table(c, evidence),
        figures=tuple(figures),
        org_charts=tuple(org_charts),
        recommended=recommended,
        other=compare_other_figure(c, recommended),
    )


def board_section(page: BoardPage, figures: Sequence[FigureItem] = ()) -> Section:
    """The board's page as the report's first section (``figures``: those it shows)."""
    return Section(BOARD_TITLE, paragraphs=page.sentences, tables=[page.table], figures=figures)


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="ccosim">
<title>{{ page.title }}</title>
<style>
 @page { size: A4 landscape; margin: 9mm; }
 html, body { margin: 0; padding: 0; }
 body { font-family: Helvetica, Arial, sans-serif; color: #222; font-size: 9.5pt;
        line-height: 1.3; }
 .sheet { height: 190mm; overflow: hidden; }
 .fit { transform-origin: top left; }
 h1 { font-size: 15pt; margin: 0 0 2mm 0; }
 .banner { background: #FFF3CD; border: 1px solid #E0B000; padding: 1.5mm 3mm;
           margin-bottom: 2mm; }
 .calibrated { background: #E8F4EA; border-color: #6AAF78; }
 .answer { font-size: 12pt; font-weight: bold; margin: 1mm 0; }
 p { margin: 1mm 0; }
 .cols { display: flex; gap: 5mm; margin-top: 2mm; }
 .cols > div { flex: 1; min-width: 0; } .cols > div + div { flex: 1.3; }
 table { border-collapse: collapse; font-size: 8pt; width: 100%; margin: 1mm 0; }
 th, td { border: 1px solid #ccc; padding: 0.6mm 1.5mm; text-align: right; }
 th:first-child, td:first-child { text-align: left; }
 thead th { background: #f2f2f2; } caption { text-align: left; font-weight: bold; }
 .note { color: #555; font-size: 7.5pt; }
 figure { margin: 0 0 2mm 0; } figure svg { width: 100%; height: auto; max-height: 62mm; }
 footer { color: #777; font-size: 7pt; margin-top: 1mm; }
</style>
</head>
<body><div class="sheet"><div class="fit">
<h1>{{ page.title }}</h1>
<div class="banner{{ '' if page.illustrative else ' calibrated' }}">{{ page.calibration }}</div>
<p class="answer">{{ page.recommendation }}</p>
<p>{{ page.condition }}</p>
<div class="cols">
<div>
<table><caption>{{ page.table.caption }}</caption>
<thead><tr>{% for h in page.table.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in page.table.rows %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<p class="note">{{ page.table.note }}</p>
<p>{{ page.question }}</p>
{% if page.other %}<p>{{ page.other }}</p>{% endif %}
{% for s in page.extra %}<p>{{ s | truncate(420, end="... (the full list is in the report)") }}</p>
{% endfor %}
</div>
<div>{% for svg in svgs %}<figure>{{ svg }}</figure>{% endfor %}</div>
</div>
<footer>{{ footer }}</footer>
</div></div>
<script>
/* A page with more than one sheet's worth is shrunk to fit (text reflowed to the wider
   column), never clipped: the last paragraph is what the reader must not lose. */
(function () {
  var sheet = document.querySelector(".sheet"), fit = document.querySelector(".fit");
  for (var z = 1; z >= 0.6; z -= 0.04) {
    fit.style.width = (100 / z) + "%";
    fit.style.transform = "scale(" + z + ")";
    if (fit.getBoundingClientRect().height <= sheet.clientHeight) { return; }
  }
})();
</script>
</body>
</html>
"""


def board_html(page: BoardPage, footer: str = "") -> str:
    """The board's page as a self-contained HTML page sized to print on one A4 sheet."""
    environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    svgs = [inline_svg(f.figure) for f in page.figures[:2]]
    return environment.from_string(_PAGE).render(page=page, svgs=svgs, footer=footer)


# --- the business case's page ----------------------------------------------------------------


def case_question(case: Any, current: str | None = None) -> str:
    """The business case's question in one sentence, and how the comparison's differs.

    ``current`` names the current org (default: its label in ``case``).
    """
    current = current or case.current
    when = f"at month {case.hire_month}" if case.hire_month else "from month 0"
    return (
        f"The question this report answers: what hiring a Chief Customer Officer {when} is "
        f"worth against keeping {current}, with the search, severance and transition "
        f"costs, discounted at {case.discount_rate:.0%} a year. What each org earns if it is "
        "in place from month 0, undiscounted, is a different question: the comparison of "
        "the designs answers it, with a larger figure."
    )


def _case_point(case: Any, names: Mapping[str, str]) -> tuple[str, str]:
    years = len(case.comparison.years)
    months = case.net_value.shape[1]
    pv = case.npv_at(months)
    mean, lo, hi = float(pv.mean[0]), float(pv.lo[0]), float(pv.hi[0])
    proposed = names.get(case.proposed, case.proposed)
    be = case.break_even_summary()
    back = "" if be["median"] is None else f"; it pays back by month {be['median']}"
    if lo > 0:
        answer = (
            f"Hiring a CCO pays: {proposed} adds {_money(mean)} of net present value over "
            f"{years} years (between {_money(lo)} and {_money(hi)} over the simulated "
            f"customers){back}."
        )
    elif hi < 0:
        answer = (
            f"Hiring a CCO does not pay within {years} years: {_money(mean)} of net present "
            f"value (between {_money(lo)} and {_money(hi)})."
        )
    else:
        answer = (
            f"No clear answer: hiring a CCO gives {_money(mean)} of net present value over "
            f"{years} years, but the range over the simulated customers ({_money(lo)} to "
            f"{_money(hi)}) includes zero."
        )
    seek = case.goal_seek
    if seek is not None and seek.grr_lift is not None:
        turns = (
            f"The answer turns on the retention lift the CCO delivers: it pays from "
            f"{format_value(seek.grr_lift, 'pts', signed=True)} of gross revenue retention a "
            f"year; the model assumes {format_value(seek.model_grr_lift, 'pts', signed=True)}. "
        )
    else:
        turns = ""
    return answer, turns + (
        "It holds with every assumption at its stated value: how often it holds when the "
        "assumptions vary within their ranges was not tested in this run (run it again with "
        "draws of the assumptions)."
    )


def _case_drawn(answers: Mapping[str, Any], research: int) -> tuple[str, str]:
    n = int(answers["draws"])
    curve = answers.get("p_breakeven_by_year") or {}
    q = answers["npv"]
    likely = [y for y, p in sorted(curve.items()) if p >= 0.5]
    if likely:
        y = likely[0]
        pays = (
            f"A CCO pays back within {y} year{'s' if y != 1 else ''} of the hire in "
            f"{of_draws(curve[y], n)} plausible worlds (draws of the assumptions' ranges)"
        )
    elif curve:
        y = max(curve)
        pays = (
            f"A CCO pays back within the {y} years after the hire in only "
            f"{of_draws(curve[y], n)} plausible worlds (draws of the assumptions' ranges)"
        )
    else:
        pays = "No whole year after the hire is simulated, so no payback is measured"
    answer = (
        f"{pays}; its net present value is positive in "
        f"{of_draws(answers['p_npv_positive'], n)} of them, median {_money(q['p50'])}."
    )
    bars = answers.get("tornado") or []
    unchanged = _unchanged(float(answers.get("evpi", math.nan)), n)
    if unchanged:
        condition = unchanged
    elif n >= research and bars:
        top = bars[0]
        condition = (
            f"The answer turns on {plain_name(top.path)}: from {top.low_value:.3g} to "
            f"{top.high_value:.3g} it moves the net present value from {_money(top.at_low)} "
            f"to {_money(top.at_high)}."
        )
    else:
        condition = (
            f"Which assumption the answer turns on needs {research} draws to tell; this run "
            f"has {n}."
        )
    return answer, condition


def case_board(
    case: Any,
    table: Table,
    *,
    answers: Mapping[str, Any] | None = None,
    research_draws: int = 0,
    names: Mapping[str, str] | None = None,
    figures: Sequence[FigureItem] = (),
) -> BoardPage:
    """The board's page of a business case (with the draws' answers when there are some).

    Args:
        case: The :class:`~ccosim.experiment.business_case.BusinessCase`.
        table: The one-pager's headline lines as a table.
        answers: The draws' answers (:func:`~ccosim.experiment.decision.business_case_answers`).
        research_draws: Draws that ranking the assumptions needs.
        names: Display names of the two orgs by their labels in ``case``.
        figures: The charts to carry.
    """
    names = dict(names or {})
    if answers is not None:
        recommendation, condition = _case_drawn(answers, research_draws)
    else:
        recommendation, condition = _case_point(case, names)
    c = case.comparison
    calibration, illustrative = calibration_status(
        [d.source for d in c.designs], [d.scenario for d in c.designs]
    )
    current = names.get(case.current, case.current)
    proposed = names.get(case.proposed, case.proposed)
    total = case.net_value_at(case.net_value.shape[1])
    if case.hire_month == 0:
        other = (
            "Counted as the comparison counts it (in place from month 0, undiscounted): "
            f"{_money(float(total.mean[0]))}."
        )
    else:
        other = (
            f"Undiscounted, the same hire gives {_money(float(total.mean[0]))}; with the org "
            "in place from month 0 (the comparison's question) the figure is larger: the "
            f"first {case.hire_month} months and the transition cost nothing there."
        )
    return BoardPage(
        title=f"A CCO: {proposed} vs {current}",
        question=case_question(case, current),
        recommendation=recommendation,
        condition=condition,
        calibration=calibration,
        illustrative=illustrative,
        table=table,
        figures=tuple(figures),
        recommended=proposed,
        other=other,
    )
