"""Scoring the checklist, reading answers files, and cross-checking answers with a scenario.

Score: the weighted share of need signals present, 0-100 (``sum(weight x points) /
sum(weight)``). Bands: below 35 "not yet", 35 to 60 "worth considering", above 60 "strong
case" (assumptions). Enablers are counted apart: all three present "ready", some "partly
ready", none "not ready", because a needed CCO without authority, metrics or budget becomes a
figurehead (seed 003).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccosim.assess.checklist import ENABLERS, QUESTIONS, SIGNALS, Question
from ccosim.errors import CcosimError
from ccosim.scenario.checks import did_you_mean
from ccosim.scenario.errors import ScenarioError
from ccosim.scenario.yaml_source import MarkTable, read_yaml

__all__ = ["AnswersError", "Assessment", "assess", "cross_check", "read_answers"]

#: Annual logo churn above which a segment is outside benchmarks 2.5's band, by ACV.
CHURN_BAND_TOP = ((100_000, 0.07), (10_000, 0.12), (0, 0.25))


class AnswersError(CcosimError):
    """An answers file that cannot be used; the message names file, line and key."""


@dataclass(frozen=True)
class Assessment:
    """The score, its band, enablers, and what the scenario contradicts."""

    answers: dict[str, Any]
    score: float
    band: str
    enablers_present: list[str]
    readiness: str
    contradictions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "score": round(self.score, 1),
            "band": self.band,
            "readiness": self.readiness,
            "enablers_present": self.enablers_present,
            "answers": self.answers,
            "signals": [
                {
                    "id": q.id,
                    "question": q.text,
                    "answer": self.answers.get(q.id),
                    "weight": q.weight,
                    "points": q.points(self.answers[q.id]),
                    "source": q.source,
                }
                for q in SIGNALS
                if q.id in self.answers
            ],
            "contradictions": self.contradictions,
            "notes": self.notes,
        }


def _band(score: float) -> str:
    return "not yet" if score < 35 else ("worth considering" if score <= 60 else "strong case")


def assess(answers: Mapping[str, Any]) -> Assessment:
    """Score complete answers (every question of :data:`QUESTIONS`)."""
    total = sum(q.weight for q in SIGNALS)
    score = 100 * sum(q.weight * q.points(answers[q.id]) for q in SIGNALS) / total
    present = [q.id for q in ENABLERS if answers[q.id]]
    readiness = (
        "ready" if len(present) == len(ENABLERS) else "partly ready" if present else "not ready"
    )
    return Assessment(dict(answers), score, _band(score), present, readiness)


def _coerce(question: Question, value: Any) -> Any:
    if question.kind == "yes_no":
        if not isinstance(value, bool):
            raise ValueError("answer yes or no (true/false)")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError("answer a number of at least 0")
    return value


def read_answers(path: Path) -> dict[str, Any]:
    """Read an answers YAML file (``question_id: answer``), every question answered.

    Raises:
        AnswersError: unreadable file, unknown or missing question, or a wrong answer type;
            the message names the file, line and key.
    """
    marks = MarkTable()
    try:
        data = read_yaml(Path(path), marks)
    except ScenarioError as exc:
        raise AnswersError(str(exc)) from None
    if not isinstance(data, dict):
        raise AnswersError(f"{path}:1:1: an answers file maps question ids to answers")
    known = {q.id: q for q in QUESTIONS}
    problems = []
    answers: dict[str, Any] = {}
    for key, value in data.items():
        mark = marks.get(data, key)
        where = f"{path}:{mark.line}:{mark.column}" if mark else str(path)
        if key not in known:
            problems.append(f"{where}: {key}: unknown question{did_you_mean(key, list(known))}")
            continue
        try:
            answers[key] = _coerce(known[key], value)
        except ValueError as exc:
            problems.append(f"{where}: {key}: {exc} (got {value!r})")
    missing = [q.id for q in QUESTIONS if q.id not in data]
    if missing:
        problems.append(f"{path}: missing answers: {', '.join(missing)}")
    if problems:
        raise AnswersError("\n".join(problems))
    return answers


def cross_check(
    assessment: Assessment,
    scenario: Any,
    kpis: Mapping[str, Sequence[float]] | None = None,
) -> Assessment:
    """Compare the answers with what a scenario (and, if given, its simulation) shows.

    Args:
        assessment: The scored answers.
        scenario: A loaded :class:`~ccosim.scenario.Scenario` of the current organization.
        kpis: Optional simulated yearly KPI means, e.g. ``{"grr": [...], "nrr": [...]}``.

    Returns:
        The assessment with contradictions and notes filled in.
    """
    from ccosim.org import OrgGraph

    answers = assessment.answers
    contradictions: list[str] = []
    notes: list[str] = []
    segments = scenario.customers.segments
    high = []
    for name, seg in segments.items():
        top = next(limit for acv, limit in CHURN_BAND_TOP if seg.acv >= acv)
        if seg.base_churn > top:
            high.append(f"{name} {seg.base_churn:.0%} (band top {top:.0%})")
    if high and not answers["churn_too_high"]:
        contradictions.append(
            "you answered churn is acceptable, but the scenario's churn is "
            "above the benchmark band (benchmarks 2.5) in: " + ", ".join(high)
        )
    elif not high and answers["churn_too_high"]:
        notes.append(
            "you find churn too high although every segment's base churn is within "
            "its benchmark band (benchmarks 2.5): the bar you set is higher"
        )
    graph = OrgGraph.from_scenario(scenario)
    post_sale = (
        "customer_success",
        "support",
        "onboarding",
        "renewals",
        "professional_services",
        "training",
    )
    owners = {o for f in post_sale for o in graph.executive_owners(f)}
    if owners and len(owners) != answers["post_sale_owners"]:
        contradictions.append(
            f"you counted {answers['post_sale_owners']:g} executives over the "
            f"post-sale functions; the org has {len(owners)} "
            f"({', '.join(sorted(owners))})"
        )
    arr = sum(s.initial_accounts * s.acv for s in segments.values()) / 1e6
    if abs(arr - answers["arr_millions"]) > 0.5 * max(arr, 1):
        contradictions.append(
            f"you gave ARR of {answers['arr_millions']:g}M; the scenario's "
            f"customer base is {arr:,.1f}M"
        )
    if kpis:
        nrr = list(kpis.get("nrr", []))
        grr = list(kpis.get("grr", []))
        if nrr and nrr[-1] < 1.0 and not answers["weak_expansion"]:
            contradictions.append(
                f"you answered expansion is healthy, but the simulated NRR "
                f"ends at {nrr[-1]:.1%}: the base shrinks without new logos"
            )
        if grr and grr[-1] < 0.88 and not answers["churn_too_high"]:
            contradictions.append(
                f"the simulated GRR ends at {grr[-1]:.1%}, below the 88% median of benchmarks 1.5"
            )
    return Assessment(
        assessment.answers,
        assessment.score,
        assessment.band,
        assessment.enablers_present,
        assessment.readiness,
        [*assessment.contradictions, *contradictions],
        [*assessment.notes, *notes],
    )
