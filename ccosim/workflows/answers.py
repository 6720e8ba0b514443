"""Answers a front end shows: text for a terminal, data for JSON, one pair per kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ccosim.experiment.compare import Comparison
from ccosim.experiment.psa import PsaResult
from ccosim.experiment.refit import calibration_text
from ccosim.report.uncertainty_report import (
    EXCLUDES_ASSUMPTIONS,
    carried_by,
    uncertainty_json,
    uncertainty_text,
)

__all__ = ["DrawsAnswers", "PointAnswers"]


@dataclass(frozen=True)
class PointAnswers:
    """A comparison at the assumptions' values: the headline table and what it covers."""

    comparison: Comparison

    def to_text(self) -> str:
        """The headline table, what its intervals cover, and which assumptions carry it."""
        c = self.comparison
        return "\n".join(filter(None, [c.to_text(), EXCLUDES_ASSUMPTIONS, carried_by(c)]))

    def to_dict(self) -> dict[str, Any]:
        """The headline of every design, KPI and year."""
        return self.comparison.to_dict()


@dataclass(frozen=True)
class DrawsAnswers:
    """The answers of a study under draws of its assumptions (P(best), NPV, EVPPI, ...).

    Attributes:
        psa: The draws' per-draw summaries.
        answers: Their answers (:mod:`ccosim.experiment.decision`).
        kind: ``compare`` or ``business-case``.
        sources: Each of the draws' designs' scenario file, in the draws' order.
    """

    psa: PsaResult
    answers: dict[str, Any]
    kind: str
    sources: tuple[str, ...]

    def to_text(self) -> str:
        """The answers for a terminal."""
        text = uncertainty_text(self.psa, self.answers, self.kind)
        fit = self.answers.get("calibration_fit")
        return text if fit is None else f"{text}\n{calibration_text(fit)}"

    def to_dict(self) -> dict[str, Any]:
        """The answers as JSON-ready data."""
        return uncertainty_json(self.psa, self.answers, self.kind)
