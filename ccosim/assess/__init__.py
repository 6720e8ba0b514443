"""The CCO readiness assessment: the signals that a firm needs a CCO, and what the role needs.

``checklist`` holds the questions as data, ``answers`` reads and validates them, ``scoring``
turns them into a score and band, ``crosscheck`` compares them with a scenario and simulated
KPIs, and ``render`` formats the result for the terminal.
"""

from ccosim.assess.answers import AnswersError, ReadinessAnswers, read_answers, validate_answers
from ccosim.assess.checklist import QUESTIONS, Question
from ccosim.assess.crosscheck import Finding, cross_check, kpi_findings, scenario_findings
from ccosim.assess.scoring import Assessment, assess, band

__all__ = [
    "QUESTIONS",
    "AnswersError",
    "Assessment",
    "Finding",
    "Question",
    "ReadinessAnswers",
    "assess",
    "band",
    "cross_check",
    "kpi_findings",
    "read_answers",
    "scenario_findings",
    "validate_answers",
]
