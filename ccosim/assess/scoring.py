"""Scoring the checklist: a weighted share of need signals, and the enablers apart.

Score: the weighted share of need signals present, 0-100 (``sum(weight x points) /
sum(weight)``). Bands: below 35 "not yet", 35 to 60 "worth considering", above 60 "strong
case" (assumptions). Enablers are counted apart: all three present "ready", some "partly
ready", none "not ready", because a needed CCO without authority, metrics or budget becomes a
figurehead (mark-cco).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ccosim.assess.answers import AnswersError, read_answers
from ccosim.assess.checklist import ENABLERS, SIGNALS

__all__ = [
    "CONSIDER_FROM",
    "STRONG_ABOVE",
    "AnswersError",
    "Assessment",
    "assess",
    "band",
    "read_answers",
]

#: Band cut-offs (assumptions): below 35 "not yet", 35 to 60 "worth considering", above 60
#: "strong case".
CONSIDER_FROM = 35.0
STRONG_ABOVE = 60.0


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
            "enablers": [
                {
                    "id": q.id,
                    "question": q.text,
                    "answer": self.answers.get(q.id),
                    "source": q.source,
                }
                for q in ENABLERS
                if q.id in self.answers
            ],
            "contradictions": self.contradictions,
            "notes": self.notes,
        }


def band(score: float) -> str:
    """Name of the band a score of 0-100 falls in."""
    if score > STRONG_ABOVE:
        return "strong case"
    return "worth considering" if score >= CONSIDER_FROM else "not yet"


def assess(answers: Mapping[str, Any]) -> Assessment:
    """Score complete answers (every question of :data:`~ccosim.assess.checklist.QUESTIONS`).

    Args:
        answers: One answer per question, e.g. from :func:`read_answers`.

    Returns:
        The score, band and enabler readiness; no contradictions yet (see
        :func:`ccosim.assess.crosscheck.cross_check`).
    """
    total = sum(q.weight for q in SIGNALS)
    score = 100 * sum(q.weight * q.points(answers[q.id]) for q in SIGNALS) / total
    present = [q.id for q in ENABLERS if answers[q.id]]
    readiness = (
        "ready" if len(present) == len(ENABLERS) else "partly ready" if present else "not ready"
    )
    return Assessment(dict(answers), score, band(score), present, readiness)
