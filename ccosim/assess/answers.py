"""Answers to the readiness checklist: a strict model, and the YAML file that fills it.

The model is built from :data:`~ccosim.assess.checklist.QUESTIONS`, so a question added to the
checklist is asked, validated and documented without a second list to keep in step. Every
problem in a file is reported at once, each with ``file:line:column: key: what is wrong``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from ccosim.assess.checklist import QUESTIONS, Question
from ccosim.errors import CcosimError
from ccosim.scenario.errors import ScenarioError
from ccosim.scenario.yaml_source import MarkTable, read_yaml
from ccosim.suggest import did_you_mean

__all__ = ["AnswersError", "ReadinessAnswers", "read_answers", "validate_answers"]

_EXPECTED = {
    "yes_no": "answer yes or no (true/false)",
    "count": "answer a whole number of at least 0",
    "number": "answer a number of at least 0",
}


class AnswersError(CcosimError):
    """An answers file that cannot be used; the message names file, line and key."""


class _AnswersBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _field(question: Question) -> tuple[Any, Any]:
    if question.kind == "yes_no":
        return (Annotated[bool, Field(description=question.text)], ...)
    if question.kind == "count":
        return (Annotated[int, Field(ge=0, description=question.text)], ...)
    # strict: "36" (text) and true (a yes/no) are refused as numbers; 36 and 36.5 are fine
    return (Annotated[float, Field(ge=0, allow_inf_nan=False, description=question.text)], ...)


#: Pydantic model of a complete set of answers: one field per question, unknown keys refused.
ReadinessAnswers: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "ReadinessAnswers",
    __base__=_AnswersBase,
    __doc__="Answers to every question of the CCO readiness checklist.",
    **{q.id: _field(q) for q in QUESTIONS},
)


def validate_answers(
    data: Mapping[str, Any], source: str = "<answers>", marks: MarkTable | None = None
) -> dict[str, Any]:
    """Check a mapping of answers against :data:`ReadinessAnswers`.

    Args:
        data: ``question id -> answer``, as read from YAML or built in code.
        source: Name of the file (or other origin) used in messages.
        marks: Source positions of ``data``'s keys, from :func:`read_yaml`.

    Returns:
        The answers, one per question, in checklist order (yes/no as bool, counts as
        int, numbers as float).

    Raises:
        AnswersError: every unknown question, missing answer and wrong kind of answer, one per
            line, each prefixed with ``source:line:column`` where the key's line is known.
    """
    try:
        model = ReadinessAnswers.model_validate(dict(data))
    except ValidationError as exc:
        raise AnswersError(_messages(exc, data, source, marks)) from None
    return model.model_dump()


def _messages(
    exc: ValidationError, data: Mapping[str, Any], source: str, marks: MarkTable | None
) -> str:
    known = {q.id: q for q in QUESTIONS}
    located: list[tuple[int, str]] = []  # (line, message), reported in file order
    missing: list[str] = []
    for error in exc.errors():
        key = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "missing":
            missing.append(key)
            continue
        mark = marks.get(data, key) if marks is not None else None
        where = f"{source}:{mark.line}:{mark.column}" if mark else source
        if error["type"] == "extra_forbidden":
            text = f"{where}: {key}: unknown question{did_you_mean(key, list(known))}"
        else:
            text = f"{where}: {key}: {_EXPECTED[known[key].kind]} (got {data[key]!r})"
        located.append((mark.line if mark else 0, text))
    problems = [text for _, text in sorted(located, key=lambda item: item[0])]
    if missing:
        ordered = [q.id for q in QUESTIONS if q.id in missing]
        problems.append(f"{source}: missing answers: {', '.join(ordered)}")
    return "\n".join(problems)


def read_answers(path: Path) -> dict[str, Any]:
    """Read an answers YAML file (``question_id: answer``), every question answered.

    Args:
        path: The file, e.g. ``examples/readiness_answers.yaml``.

    Returns:
        The validated answers (see :func:`validate_answers`).

    Raises:
        AnswersError: unreadable or malformed file, unknown or missing question, or a wrong
            answer type; the message names the file, line and key.
    """
    marks = MarkTable()
    try:
        data = read_yaml(Path(path), marks)
    except ScenarioError as exc:
        raise AnswersError(str(exc)) from None
    if not isinstance(data, dict):
        raise AnswersError(
            f"{path}:1:1: an answers file maps question ids to answers, e.g. "
            "'churn_too_high: true' (see examples/readiness_answers.yaml)"
        )
    return validate_answers(data, str(path), marks)
