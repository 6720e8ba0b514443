"""The CCO readiness assessment: the signals that a firm needs a CCO, and what the role needs."""

from ccosim.assess.checklist import QUESTIONS, Question
from ccosim.assess.scoring import Assessment, assess, cross_check

__all__ = ["QUESTIONS", "Assessment", "Question", "assess", "cross_check"]
