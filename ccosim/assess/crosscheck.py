"""Cross-checking readiness answers with what a scenario, and its simulation, show.

Two sources, each a plain function returning :class:`Finding` objects:

- :func:`scenario_findings`: the scenario as written: each segment's churn and expected
  expansion against published benchmarks, who owns the post-sale functions, spans of control,
  and the size of the customer base.
- :func:`kpi_findings`: simulated yearly KPIs passed as a plain dict (``{"grr": [...],
  "nrr": [...], "logo_retention": [...]}``, one value per year, ratios), so anything that
  produces yearly retention (the engine, a spreadsheet, last year's actuals) can feed it.

:func:`cross_check` runs both and files each finding on the :class:`Assessment` as a
contradiction (the data disagree with an answer) or a note (the data are milder than the
answer: the bar the user sets is higher than the benchmark's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ccosim.assess.scoring import Assessment
from ccosim.errors import CcosimError
from ccosim.functions import POST_SALE_CORE, function_label
from ccosim.org import OrgGraph
from ccosim.sim import compile_params
from ccosim.sim.closed_form import segment_expectation

__all__ = [
    "CHURN_BAND_TOP",
    "KPI_NAMES",
    "Finding",
    "cross_check",
    "kpi_findings",
    "net_expansion",
    "scenario_findings",
]

#: Top of benchmarks 2.5's annual logo churn band, by ACV floor (enterprise $100k+ 3-7%,
#: mid-market $10-100k 8-12%, SMB $1-10k 15-25%, self-serve below $1k 30-50%).
CHURN_BAND_TOP: tuple[tuple[float, float], ...] = (
    (100_000, 0.07),
    (10_000, 0.12),
    (1_000, 0.25),
    (0, 0.50),
)

#: Median net expansion (NRR minus GRR) by ACV floor: benchmarks 1.1 (NRR) minus 1.2 (GRR).
EXPANSION_MEDIAN: tuple[tuple[float, float], ...] = (
    (250_000, 1.10 - 0.93),
    (100_000, 1.07 - 0.93),
    (50_000, 1.05 - 0.93),
    (25_000, 1.03 - 0.92),
    (12_000, 1.02 - 0.90),
    (0, 1.00 - 0.90),
)

#: How far below the median net expansion a segment must be to count as weak (assumption).
EXPANSION_SLACK = 0.02

#: Benchmarks: 1.5 (median GRR about 88%) and 2.1 (median annual logo churn 11%).
GRR_MEDIAN = 0.88
LOGO_RETENTION_MEDIAN = 0.89

#: Functions whose leaders mark-cco says lack the bandwidth to also own the customer.
_FRONT_OFFICE = ("new_business_sales", "marketing", "operations")

#: Yearly KPIs :func:`kpi_findings` understands.
KPI_NAMES = ("grr", "nrr", "logo_retention")


@dataclass(frozen=True)
class Finding:
    """One thing the data say about one answer.

    Attributes:
        question: Id of the question the finding is about.
        kind: ``contradiction`` (the data disagree with the answer) or ``note``.
        text: The finding in words, with the numbers and the benchmark used.
    """

    question: str
    kind: Literal["contradiction", "note"]
    text: str


def _names(functions: Sequence[str]) -> str:
    return ", ".join(function_label(f) for f in functions)


def _floor_lookup(table: Sequence[tuple[float, float]], acv: float) -> float:
    return next(value for floor, value in table if acv >= floor)


def _churn(answers: Mapping[str, Any], segments: Mapping[str, Any]) -> list[Finding]:
    high = []
    for name, seg in segments.items():
        top = _floor_lookup(CHURN_BAND_TOP, seg.acv)
        if seg.base_churn > top:
            high.append(f"{name} {seg.base_churn:.0%} (band top {top:.0%})")
    if high and not answers["churn_too_high"]:
        return [
            Finding(
                "churn_too_high",
                "contradiction",
                "you answered churn is acceptable, but the scenario's base churn is "
                "above the benchmark band (benchmarks 2.5) in: " + ", ".join(high),
            )
        ]
    if not high and answers["churn_too_high"]:
        return [
            Finding(
                "churn_too_high",
                "note",
                "you find churn too high although every segment's base churn is "
                "within its benchmark band (benchmarks 2.5): your bar is higher",
            )
        ]
    return []


def net_expansion(scenario: Any) -> dict[str, float]:
    """Expected yearly net expansion (NRR minus GRR) of each segment, as ratios.

    The engine's closed form (:func:`ccosim.sim.closed_form.segment_expectation`) at the
    reference service level, the org switched off: what the scenario's rates promise. The
    rates are annual and the closed form's NRR and GRR are yearly, so nothing is raised to a
    power of the term; and the figure is taken on 12-month terms (one renewal decision a
    year) whatever ``contract_months`` is, so the same annual rates give the same figure on
    every term (longer terms are calibrated to the same yearly NRR: docs/model.md "Units").
    (With monthly terms the engine's own expectation is up to 0.3 pts lower: the health that
    drives churn also drives expansion, and that covariance acts at each of 12 decisions a
    year; docs/assess.md.)

    Args:
        scenario: A loaded :class:`~ccosim.scenario.Scenario`.

    Returns:
        Segment name -> yearly NRR minus yearly GRR without contraction.
    """
    customers = scenario.customers
    annual = {
        name: seg.model_copy(update={"contract_months": 12})
        for name, seg in customers.segments.items()
    }
    params = compile_params(
        scenario.model_copy(update={"customers": customers.model_copy(update={"segments": annual})})
    )
    out = {}
    for index, name in enumerate(annual):
        expected = segment_expectation(params, index)
        out[name] = expected.nrr - expected.grr_without_contraction
    return out


def _expansion(answers: Mapping[str, Any], scenario: Any) -> list[Finding]:
    nets = net_expansion(scenario)
    weak, fine = [], []
    for name, seg in scenario.customers.segments.items():
        if seg.initial_accounts == 0 and seg.new_accounts_per_year == 0:
            continue
        net = nets[name]
        median = _floor_lookup(EXPANSION_MEDIAN, seg.acv)
        text = f"{name} {net * 100:+.1f} pts (median {median * 100:+.0f})"
        (weak if net < median - EXPANSION_SLACK else fine).append(text)
    if weak and not answers["weak_expansion"]:
        return [
            Finding(
                "weak_expansion",
                "contradiction",
                "you answered expansion is healthy, but the scenario's expected net "
                "expansion (NRR minus GRR) is below the benchmark median (benchmarks "
                "1.1 minus 1.2) in: " + ", ".join(weak),
            )
        ]
    if not weak and answers["weak_expansion"]:
        return [
            Finding(
                "weak_expansion",
                "note",
                "you find expansion weak although every segment's expected net "
                "expansion is near or above the benchmark median: " + ", ".join(fine),
            )
        ]
    return []


def _ownership(answers: Mapping[str, Any], graph: Any, arr: float) -> list[Finding]:
    findings = []
    owners = sorted({o for f in POST_SALE_CORE for o in graph.executive_owners(f)})
    if owners and len(owners) != answers["post_sale_owners"]:
        findings.append(
            Finding(
                "post_sale_owners",
                "contradiction",
                f"you counted {answers['post_sale_owners']:g} executives over the post-sale "
                f"functions; the org has {len(owners)} ({', '.join(owners)})",
            )
        )
    for owner in owners:
        runs = [f for f in _FRONT_OFFICE if owner in graph.executive_owners(f)]
        if runs and owner != graph.root and arr >= 10:
            owns = [f for f in POST_SALE_CORE if owner in graph.executive_owners(f)]
            findings.append(
                Finding(
                    "leaders_lack_bandwidth",
                    "note",
                    f"{owner} runs {_names(runs)} and also owns {_names(owns)}: the "
                    f"part-time CCO shared with sales or marketing that mark-cco says stops being "
                    f"enough as the firm grows (the base is {arr:,.1f}M ARR)",
                )
            )
    stretched = [u for u in graph.over_span() if u == graph.root or u in owners]
    if stretched and not answers["leaders_lack_bandwidth"]:
        spans = ", ".join(f"{u} {graph.span(u):g} (limit {graph.span_limit(u)})" for u in stretched)
        findings.append(
            Finding(
                "leaders_lack_bandwidth",
                "contradiction",
                f"you answered leaders have the bandwidth to own the customer, but spans are "
                f"over their limit: {spans}",
            )
        )
    return findings


def scenario_findings(answers: Mapping[str, Any], scenario: Any) -> list[Finding]:
    """What the scenario of today's organization says about the answers.

    Args:
        answers: Complete, validated answers (see :func:`ccosim.assess.answers.read_answers`).
        scenario: A loaded :class:`~ccosim.scenario.Scenario` of the current organization.

    Returns:
        Findings on churn, expansion, post-sale ownership, spans and size, in that order.
    """
    segments = scenario.customers.segments
    arr = sum(s.initial_accounts * s.acv for s in segments.values()) / 1e6
    findings = [
        *_churn(answers, segments),
        *_expansion(answers, scenario),
        *_ownership(answers, OrgGraph.from_scenario(scenario), arr),
    ]
    if abs(arr - answers["arr_millions"]) > 0.5 * max(arr, 1):
        findings.append(
            Finding(
                "arr_millions",
                "contradiction",
                f"you gave ARR of {answers['arr_millions']:g}M; the scenario's customer base is "
                f"{arr:,.1f}M",
            )
        )
    return findings


def kpi_findings(answers: Mapping[str, Any], kpis: Mapping[str, Sequence[float]]) -> list[Finding]:
    """What simulated (or measured) yearly KPIs say about the answers.

    The last year of each series is compared with the benchmark medians: GRR 88%
    (benchmarks 1.5), logo retention 89% (2.1: median logo churn 11%), NRR 100% (below it the
    base shrinks without new logos).

    Args:
        answers: Complete, validated answers.
        kpis: Yearly series as ratios, any of ``grr``, ``nrr``, ``logo_retention``; e.g. the
            means of a simulation, ``{k: list(result.mean(k)) for k in KPI_NAMES}``.

    Returns:
        Contradictions between the series and the churn and expansion answers.

    Raises:
        CcosimError: a KPI name other than those in :data:`KPI_NAMES`.
    """
    unknown = sorted(set(kpis) - set(KPI_NAMES))
    if unknown:
        raise CcosimError(f"unknown KPI {', '.join(unknown)}; known: {', '.join(KPI_NAMES)}")
    last = {k: float(v[-1]) for k, v in kpis.items() if len(v)}
    findings = []
    if "nrr" in last and last["nrr"] < 1.0 and not answers["weak_expansion"]:
        findings.append(
            Finding(
                "weak_expansion",
                "contradiction",
                f"you answered expansion is healthy, but the simulated NRR ends at "
                f"{last['nrr']:.1%}: the base shrinks without new logos",
            )
        )
    if "grr" in last and last["grr"] < GRR_MEDIAN and not answers["churn_too_high"]:
        findings.append(
            Finding(
                "churn_too_high",
                "contradiction",
                f"the simulated GRR ends at {last['grr']:.1%}, below the {GRR_MEDIAN:.0%} median "
                "of benchmarks 1.5",
            )
        )
    logos = last.get("logo_retention")
    if logos is not None and logos < LOGO_RETENTION_MEDIAN and not answers["churn_too_high"]:
        findings.append(
            Finding(
                "churn_too_high",
                "contradiction",
                f"the simulated logo retention ends at {logos:.1%}, below the "
                f"{LOGO_RETENTION_MEDIAN:.0%} implied by benchmarks 2.1 (median logo churn 11%)",
            )
        )
    return findings


def cross_check(
    assessment: Assessment,
    scenario: Any = None,
    kpis: Mapping[str, Sequence[float]] | None = None,
) -> Assessment:
    """Compare the answers with what a scenario and, if given, yearly KPIs show.

    Args:
        assessment: The scored answers.
        scenario: A loaded :class:`~ccosim.scenario.Scenario` of the current organization,
            or None to check the KPIs alone.
        kpis: Optional yearly KPI series (see :func:`kpi_findings`).

    Returns:
        A copy of the assessment with contradictions and notes added; the score is unchanged
        (the answers are the user's; the findings say where to look again).
    """
    findings: list[Finding] = []
    if scenario is not None:
        findings += scenario_findings(assessment.answers, scenario)
    if kpis:
        findings += kpi_findings(assessment.answers, kpis)
    return replace(
        assessment,
        contradictions=[
            *assessment.contradictions,
            *(f.text for f in findings if f.kind == "contradiction"),
        ],
        notes=[*assessment.notes, *(f.text for f in findings if f.kind == "note")],
    )
