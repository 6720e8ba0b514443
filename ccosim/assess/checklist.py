"""The questions of the readiness checklist, as data.

The signals come from mark-cco ("So you think you need a Chief Customer Officer"): high churn,
weak cross-sell and up-sell, customer satisfaction below par, too few references, a
subscription or low-switching-cost model, leaders without the bandwidth to own the customer,
and the size of the firm. Its conditions for success (authority over customer matters,
aligned metrics, a budget) are asked as enablers: they do not make a CCO more needed, they
decide whether one can succeed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["ENABLERS", "QUESTIONS", "SIGNALS", "Question"]


def _yes(answer: object) -> float:
    return 1.0 if answer else 0.0


def _owners(answer: object) -> float:
    count = float(answer)  # type: ignore[arg-type]
    return 0.0 if count <= 1 else (0.5 if count == 2 else 1.0)


def _arr_millions(answer: object) -> float:
    # mark-cco: small firms may lack the resources for a CCO; as a firm grows a part-time
    # CCO shared with sales or marketing no longer suffices. The thresholds are assumptions.
    arr = float(answer)  # type: ignore[arg-type]
    return 0.0 if arr < 10 else (0.6 if arr < 50 else 1.0)


@dataclass(frozen=True)
class Question:
    """One item of the checklist.

    Attributes:
        id: Key in the answers file.
        text: The question as asked.
        kind: ``yes_no`` (true/false), ``count`` (a whole number of at least 0) or ``number``
            (any number of at least 0).
        weight: Weight of a need signal in the score (0 for enablers).
        role: ``signal`` (the firm needs a CCO) or ``enabler`` (a CCO could succeed).
        source: Where the question comes from.
        points: Maps an answer to 0..1 (1: the signal is fully present).
    """

    id: str
    text: str
    kind: Literal["yes_no", "count", "number"]
    weight: float
    role: Literal["signal", "enabler"]
    source: str
    points: Callable[[object], float] = _yes


QUESTIONS: tuple[Question, ...] = (
    Question(
        "churn_too_high",
        "Is customer churn higher than you can accept?",
        "yes_no",
        3,
        "signal",
        "mark-cco: unacceptably high churn",
    ),
    Question(
        "weak_expansion",
        "Is cross-sell and up-sell in your existing base weaker than it should be?",
        "yes_no",
        2,
        "signal",
        "mark-cco: cannot cross-sell or up-sell",
    ),
    Question(
        "satisfaction_below_par",
        "Are customer satisfaction scores (CSAT, NPS) below par or below where you want them?",
        "yes_no",
        2,
        "signal",
        "mark-cco: satisfaction below par",
    ),
    Question(
        "too_few_references",
        "Are too few customers willing to act as references?",
        "yes_no",
        1.5,
        "signal",
        "mark-cco: not enough references",
    ),
    Question(
        "subscription_or_easy_switching",
        "Do customers pay by subscription, or can they switch to a competitor easily?",
        "yes_no",
        2,
        "signal",
        "mark-cco: subscription model, low switching barriers",
    ),
    Question(
        "leaders_lack_bandwidth",
        "Do your Sales, Marketing or Operations leaders lack "
        "the bandwidth to own the customer after the sale?",
        "yes_no",
        2,
        "signal",
        "mark-cco: leadership bandwidth",
    ),
    Question(
        "post_sale_owners",
        "How many executives share the post-sale functions "
        "(customer success, support, onboarding, renewals...)?",
        "count",
        1.5,
        "signal",
        "mehta2016: one owner of net retention; the post-sales org consolidates",
        _owners,
    ),
    Question(
        "arr_millions",
        "What is your annual recurring revenue, in millions?",
        "number",
        2,
        "signal",
        "mark-cco: firm size (thresholds $10M and $50M are assumptions)",
        _arr_millions,
    ),
    Question(
        "authority",
        "Would the CCO have authority to act for the customer in product, "
        "sales, support and operations?",
        "yes_no",
        0,
        "enabler",
        "mark-cco: unquestioned authority",
    ),
    Question(
        "aligned_metrics",
        "Would the CCO own metrics of their own (e.g. GRR, NRR, renewal bookings)?",
        "yes_no",
        0,
        "enabler",
        "mark-cco: aligned metrics",
    ),
    Question(
        "budget",
        "Is there a budget for the role and its team?",
        "yes_no",
        0,
        "enabler",
        "mark-cco: a budget",
    ),
)

SIGNALS = tuple(q for q in QUESTIONS if q.role == "signal")
ENABLERS = tuple(q for q in QUESTIONS if q.role == "enabler")
