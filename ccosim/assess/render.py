"""The assessment as text for the terminal."""

from __future__ import annotations

from ccosim.assess.checklist import ENABLERS, SIGNALS
from ccosim.assess.scoring import Assessment

__all__ = ["format_assessment"]


def _answer(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def format_assessment(assessment: Assessment) -> str:
    """Score, band, readiness, each answer with its weight, then contradictions and notes."""
    a = assessment
    lines = [
        f"CCO readiness: {a.score:.0f}/100, {a.band}; enablers: {a.readiness} "
        f"({len(a.enablers_present)} of {len(ENABLERS)})",
        "",
    ]
    width = max(len(q.id) for q in (*SIGNALS, *ENABLERS))
    lines.append("need signals (weight x points):")
    for q in SIGNALS:
        value = a.answers[q.id]
        lines.append(
            f"  {q.id.ljust(width)}  {_answer(value):>5}  "
            f"{q.weight:>3g} x {q.points(value):.1f}   {q.source}"
        )
    lines.append("what the role needs to succeed:")
    for q in ENABLERS:
        lines.append(f"  {q.id.ljust(width)}  {_answer(a.answers[q.id]):>5}   {q.source}")
    if a.contradictions:
        lines += ["", "the scenario disagrees with some answers:"]
        lines += [f"  - {c}" for c in a.contradictions]
    if a.notes:
        lines += ["", "notes:"] + [f"  - {n}" for n in a.notes]
    return "\n".join(lines)
