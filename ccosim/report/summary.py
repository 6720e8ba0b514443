"""The executive summary of a comparison: the answer first, with what carries it.

For NRR and ARR the design that leads beyond the 95% interval of the difference, or the
designs level with it (ties are ties); the ranking on the headline KPIs; the trade-off against
the baseline (ARR and NRR gained, added org cost, ARR per dollar of added cost, net value over
the horizon); the paired differences with intervals; what carries each design's NRR difference
by year; and what the intervals cover, naming the assumptions that carry the result.

What assumption draws add (P(best), the EVPPI ranking) slots in as a :data:`SummaryPart`: a
function of the comparison returning a :class:`~ccosim.report.document.Section` whose
paragraphs and tables come first (the answer that covers assumption uncertainty too), then
the ranking at the assumptions' point values.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from ccosim import kpis
from ccosim.experiment.business_case import contribution
from ccosim.experiment.compare import ATTRIBUTION_KEYS, SWITCH_TITLES, Comparison, unpaired_delta
from ccosim.formatting import format_kpi, format_value
from ccosim.report.document import FigureItem, Section, Table
from ccosim.report.figures import attribution_lines, difference_chart
from ccosim.stats import mean_interval

__all__ = [
    "RANKED_KPIS",
    "SURE",
    "Odds",
    "SummaryPart",
    "carrying_pieces",
    "difference_figure",
    "display_label",
    "interval_text",
    "net_value",
    "of_draws",
    "pairing_words",
    "slug",
    "standing",
    "summary_section",
]

#: The KPIs of the ranking and the difference chart.
RANKED_KPIS: tuple[str, ...] = ("arr", "nrr", "grr", "org_cost")
#: The YAML switch of each mechanism, named where a result rests on it.
MECHANISM_KEYS = {SWITCH_TITLES[key]: path for key, path in ATTRIBUTION_KEYS.items()}
#: Extra parts of the executive summary, e.g. P(best) and EVPPI from assumption draws.
SummaryPart = Callable[[Comparison], Section]
#: With assumption draws, a design that leads is called "best" only when it is best in at
#: least this share of the draws.
SURE = 0.95
#: P(best) per design and KPI from assumption draws (report labels), and how many draws.
Odds = tuple[Mapping[str, Mapping[str, float]], int]


def standing(c: Comparison, kpi: str, year: int, odds: Odds | None = None) -> dict[str, str]:
    """What a design may be called on ``kpi`` in ``year``: ``best``, ``leads``, ``tied`` or "".

    ``tied``: level with the leader (equal, or the 95% interval of the difference includes
    zero). Without draws, a leader ahead of every other design beyond that interval is
    ``best``; with draws (``odds``) only if it is best in at least :data:`SURE` of them, else
    it ``leads``.
    """
    ranks = c.ranking(kpi, year)
    level = [r.label for r in ranks if r.level_with_leader]
    out = dict.fromkeys((r.label for r in ranks), "")
    if len(level) > 1:
        out.update(dict.fromkeys(level, "tied"))
        return out
    top = level[0]
    share = odds[0].get(top, {}).get(kpi, math.nan) if odds else 1.0
    out[top] = "best" if share >= SURE else "leads"
    return out


def interval_text(mean: float, lo: float, hi: float, unit: str, signed: bool = False) -> str:
    """``mean (lo to hi)`` in a unit; the mean alone when the interval is empty or undefined."""
    text = format_value(mean, unit, signed=signed)
    if not (np.isfinite(lo) and np.isfinite(hi)) or (lo == hi == mean):
        return text
    return (
        f"{text} ({format_value(lo, unit, signed=signed)} to "
        f"{format_value(hi, unit, signed=signed)})"
    )


def display_label(c: Comparison, label: str) -> str:
    """A design's label, marked when it is the baseline."""
    return label + (" (baseline)" if label == c.baseline else "")


def slug(label: str) -> str:
    """A label as a file-name part (letters, digits, ``-`` and ``_``)."""
    out = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in label).strip("_")
    return out or "design"


def pairing_words(c: Comparison) -> str:
    """How the designs were run against each other, in words."""
    if c.paired:
        return (
            "on the same simulated customers (common random numbers: replication i of every "
            "design sees the same prospects, health noise and renewal draws), so the "
            "differences are paired"
        )
    return (
        "NOT paired: the designs belong to different companies (their customer bases "
        "differ), so a difference is one between independent averages (Welch intervals) and "
        "no replication of one design is matched with a replication of another"
    )


def net_value(c: Comparison, label: str) -> tuple[float, float, float]:
    """Cumulative operating contribution of ``label`` minus the baseline's over the horizon.

    Contribution is revenue minus hosting cost minus the whole org's loaded cost, as in the
    business case. Returns the mean and its 95% interval (paired when the comparison is).
    """
    design = contribution(c.results[label]).sum(axis=1)[:, None]
    base = contribution(c.results[c.baseline]).sum(axis=1)[:, None]
    if c.paired:
        iv = mean_interval(design - base)
        return float(iv.mean[0]), float(iv.lo[0]), float(iv.hi[0])
    d = unpaired_delta(base, design)
    return float(d.mean[0]), float(d.lo[0]), float(d.hi[0])


def _ranking_sentence(c: Comparison, kpi: str, year: int, odds: Odds | None = None) -> str:
    entry = kpis.get(kpi)
    ranks = c.ranking(kpi, year)
    level = [r for r in ranks if r.level_with_leader]
    best = "lowest" if entry.direction == "lower" else "highest"
    if len(level) > 1:
        names = ", ".join(r.label for r in level)
        return (
            f"{entry.label}: no single {best} value in year {year}; {names} are tied (equal, "
            "or the 95% interval of their difference includes zero)."
        )
    top = level[0]
    ahead = (
        f"{entry.label}: {top.label} has the {best} value in year {year} "
        f"({format_kpi(kpi, top.mean)}), ahead of every other design beyond the 95% interval "
        "of the difference"
    )
    if odds is None:
        return ahead + "."
    share, draws = odds[0].get(top.label, {}).get(kpi, math.nan), odds[1]
    count = of_draws(share, draws)
    if share >= SURE:
        return f"{ahead}, and it is best in {count} draws of the assumptions."
    return (
        f"{ahead} at the assumptions' point values, but it is best in only {count} draws of the "
        f"assumptions: it leads, and is not called best (that needs {SURE:.0%} of the draws)."
    )


def of_draws(share: float | None, draws: int) -> str:
    """A probability from ``draws`` draws as the count it is: ``86 of 100``.

    A tie splits its draw among the tied designs, so a count may end in ``.5``.
    """
    if share is None or not math.isfinite(share):
        return "n/a"
    count = share * draws
    whole = abs(count - round(count)) < 1e-6
    return f"{round(count) if whole else round(count, 1)} of {draws}"


def _ranking_table(c: Comparison, year: int, odds: Odds | None = None) -> Table:
    order = [r.label for r in c.ranking("nrr", year)]
    marks = {}
    for kpi in RANKED_KPIS:
        words = standing(c, kpi, year, odds)
        for r in c.ranking(kpi, year):
            tag = f" ({words[r.label]})" if words[r.label] else ""
            marks[(r.label, kpi)] = f"{format_kpi(kpi, r.mean)}{tag}"
    rows = [[display_label(c, lb), *(marks[(lb, k)] for k in RANKED_KPIS)] for lb in order]
    if odds is None:
        best = "'best': ahead of every other design beyond the 95% interval of the difference"
    else:
        best = (
            "'best': ahead of every other design beyond the 95% interval of the difference "
            f"and best in at least {SURE:.0%} of the {odds[1]} draws of the assumptions; "
            "'leads': ahead at the point values but best in fewer of the draws"
        )
    return Table(
        ["design", *(kpis.label(k) for k in RANKED_KPIS)],
        rows,
        caption=f"Ranking in year {year}, ordered by NRR: mean of {c.runs} runs",
        note=f"{best}; 'tied': level with the leader within that interval. Lower org cost is "
        "better.",
    )


def _trade_off_table(c: Comparison, year: int) -> Table:
    rows = []
    years = len(c.years)
    for label in c.labels:
        if label == c.baseline:
            continue
        arr, nrr, cost = (c.delta(label, k) for k in ("arr", "nrr", "org_cost"))
        j = year - 1
        gained, added = float(arr.mean[j]), float(cost.mean[j])
        if added > 0 and gained > 0:
            per_dollar = f"{format_value(gained / added, '$')} of ARR per $1"
        elif added <= 0 and gained >= 0:
            per_dollar = "more ARR at no added cost"
        elif added <= 0:
            per_dollar = "less ARR, lower cost"
        else:
            per_dollar = "less ARR at a higher cost"
        value = net_value(c, label)
        rows.append(
            [
                label,
                interval_text(gained, arr.lo[j], arr.hi[j], "$", signed=True),
                interval_text(nrr.mean[j], nrr.lo[j], nrr.hi[j], "pts", signed=True),
                interval_text(added, cost.lo[j], cost.hi[j], "$", signed=True),
                per_dollar,
                interval_text(*value, "$", signed=True),
            ]
        )
    return Table(
        [
            "design",
            "ARR gained",
            "NRR gained",
            "added org cost / year",
            "ARR gained per $ of added cost",
            f"net value over {years} years",
        ],
        rows,
        caption=f"Trade-off against {c.baseline} in year {year} (95% intervals)",
        note="Net value: the design's operating contribution (revenue minus hosting and the "
        "whole org's loaded cost) minus the baseline's, summed over every month.",
    )


def difference_figure(c: Comparison, year: int) -> Figure:
    """Each design minus the baseline in ``year`` on the ranked KPIs, with 95% intervals."""
    j = year - 1
    panels = []
    for kpi in RANKED_KPIS:
        values = {}
        for label in c.labels:
            if label == c.baseline:
                continue
            d = c.delta(label, kpi)
            values[label] = (float(d.mean[j]), float(d.lo[j]), float(d.hi[j]))
        panels.append((kpis.label(kpi), kpis.get(kpi).difference_unit, values))
    kind = "paired 95% intervals" if c.paired else "NOT paired: Welch 95% intervals"
    return difference_chart(panels, title=f"Difference from {c.baseline} in year {year} ({kind})")


def _carrying_sentence(c: Comparison, year: int, drawn: str = "") -> str:
    """What the intervals cover and which assumptions carry the NRR result.

    ``drawn`` says where the report covers assumption uncertainty (its draws), if it does.
    """
    if drawn:
        cover = (
            "The intervals of the ranking, the trade-off and the tables at the assumptions' "
            f"point values are 95% Student-t intervals over {c.runs} replications: they cover "
            "customer randomness only (which prospects arrive, health noise, renewal and "
            "upsell outcomes, when an executive with a tenure leaves), with the assumptions "
            "fixed at the values in the Assumptions "
            f"section. {drawn}"
        )
    else:
        cover = (
            f"Intervals are 95% Student-t intervals over {c.runs} replications. They cover "
            "customer randomness only (which prospects arrive, health noise, renewal and upsell "
            "outcomes, when an executive with a tenure leaves); they do not cover uncertainty in "
            "the assumptions, which are fixed at "
            "the values in the Assumptions section (--draws N samples their ranges: "
            "docs/uncertainty.md)."
        )
    pieces = carrying_pieces(c, year)
    if not pieces:
        if drawn:
            return cover
        return cover + " The result holds only as far as those assumptions hold."
    return cover + " " + "; ".join(pieces) + ". Change those assumptions and the result moves."


def carrying_pieces(c: Comparison, year: int, kpi: str = "nrr") -> list[str]:
    """Per design, the two largest terms of its ``kpi`` difference from the baseline.

    The terms are the attribution's mechanisms and its remainder (staffing, service and the
    rest), largest first, each with the assumption key it rests on and its paired mean;
    the report's summary and the terminal both say exactly these. Empty without attribution
    or when the comparison is not paired.
    """
    if not c.variants or not c.paired:
        return []
    pieces = []
    j = year - 1
    for label in c.labels:
        if label == c.baseline:
            continue
        shares = c.attribution_by_year(label, kpi)
        ranked = sorted(
            ((t, iv) for t, iv in shares.items() if np.isfinite(iv.mean[j])),
            key=lambda item: -abs(float(item[1].mean[j])),
        )
        named = []
        unit = kpis.get(kpi).difference_unit
        for title, iv in ranked[:2]:
            key = MECHANISM_KEYS.get(title, "team sizes and the service assumptions")
            sure = "" if iv.lo[j] > 0 or iv.hi[j] < 0 else ", interval includes zero"
            named.append(f"{title} ({key}; {format_value(iv.mean[j], unit, signed=True)}{sure})")
        pieces.append(
            f"{label}'s {kpis.label(kpi)} difference rests mostly on " + " and ".join(named)
        )
    return pieces


def summary_section(
    c: Comparison,
    summary_parts: Sequence[SummaryPart] = (),
    *,
    drawn: str = "",
    odds: Odds | None = None,
) -> Section:
    """The executive summary section (see the module's docstring).

    Args:
        c: The comparison (at the assumptions' point values).
        summary_parts: Extra parts (e.g. the answers of assumption draws); their paragraphs
            and tables come first, before the ranking at the point values.
        drawn: A sentence saying where the report covers assumption uncertainty (its draws);
            the sentence on what the intervals cover then points to it.
        odds: P(best) per design and KPI from the draws, and their number: a design that
            leads is then called best only when it is best in 95% of them.
    """
    last = c.years[-1]
    intro = (
        f"{len(c.labels)} org designs, {c.runs} replications each, {last} years, seed "
        f"{c.seed}, {pairing_words(c)}. Baseline: {c.baseline}."
    )
    paragraphs = [intro, *c.notes]
    tables: list[Table] = []
    figures: list[FigureItem] = []
    for part in summary_parts:
        extra = part(c)
        paragraphs += list(extra.paragraphs)
        tables += list(extra.tables)
        figures += list(extra.figures)
    if summary_parts:
        paragraphs.append(
            f"At the assumptions' point values ({c.runs} replications per design; intervals "
            "cover customer randomness only):"
        )
    paragraphs += [_ranking_sentence(c, k, last, odds) for k in ("nrr", "arr")]
    tables.append(_ranking_table(c, last, odds))
    if len(c.labels) > 1:
        tables.append(_trade_off_table(c, last))
        figures.append(
            FigureItem(
                "differences",
                difference_figure(c, last),
                "Each design minus the baseline in the final year, with 95% intervals; a "
                "whisker crossing zero is no clear difference.",
            )
        )
    if c.variants and c.paired:
        for label in c.labels:
            if label == c.baseline:
                continue
            shares = c.attribution_by_year(label, "nrr")
            bands = {t: (iv.mean, iv.lo, iv.hi) for t, iv in shares.items()}
            figures.append(
                FigureItem(
                    f"attribution_years_{slug(label)}",
                    attribution_lines(
                        list(c.years),
                        bands,
                        title=f"What carries {label}'s NRR difference, by year",
                        unit="pts",
                    ),
                    f"Each mechanism's share of {label}'s NRR difference from {c.baseline}, "
                    "by year, with 95% intervals (see 'Why the designs differ').",
                )
            )
    paragraphs.append(_carrying_sentence(c, last, drawn))
    return Section("Executive summary", paragraphs=paragraphs, tables=tables, figures=figures)
