"""A business case over several options against today, in one run on common random numbers.

A CEO rarely weighs "a CCO or not": the choice is among options such as promoting the VP of
Customer Success, hiring an external CCO, or having the post-sales heads report to the CEO.
Each option is a scenario file of the same company with its own hire month; the status quo
is the current org. Every option is built as the single business case builds its CCO org
(:func:`~ccosim.experiment.business_case.business_case_study`: with a hire month the
option is the current org plus the transition) and all of them run together with the current
org on the same customer streams, so each option's net value is paired with the same status
quo and the options are paired with each other.

Each option's figures are those of a two-design :class:`BusinessCase` (the status quo and the
option), so one option of several reads exactly as the same option run alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ccosim.experiment.business_case import (
    BusinessCase,
    _break_even,
    business_case_study,
    contribution,
    design_overrides,
    executive_start,
)
from ccosim.experiment.compare import CompareError, Comparison, run_study
from ccosim.experiment.study import Design, Execution, Hire, Study
from ccosim.money import DEFAULT_DISCOUNT_RATE

__all__ = [
    "STATUS_QUO",
    "Option",
    "OptionsCase",
    "OptionsStudy",
    "options_case",
    "options_study",
    "parse_option",
    "route_set_options",
]

#: The key of the current org among the options (it counts as an option with NPV 0).
STATUS_QUO = "status_quo"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_EXAMPLE = "e.g. --option promote=scenarios/cco_promote_vp_cs.yaml@12"


@dataclass(frozen=True)
class Option:
    """One option of a business case: its name, its scenario file and its hire month.

    Attributes:
        name: Short name (letters, digits, ``_ . -``), the option's label everywhere.
        path: The option's scenario file (the org the option leads to).
        hire_month: Month its search opens (None: the command's ``--hire-month``).
    """

    name: str
    path: str
    hire_month: int | None = None


def parse_option(text: str) -> Option:
    """An option from ``NAME=FILE`` or ``NAME=FILE@MONTH``.

    Raises:
        CompareError: the text is not of that form (the message gives an example).
    """
    name, sep, rest = text.partition("=")
    name, rest = name.strip(), rest.strip()
    if not sep or not rest:
        raise CompareError(f"--option {text!r}: write NAME=FILE or NAME=FILE@MONTH, {_EXAMPLE}")
    if not _NAME.fullmatch(name):
        raise CompareError(
            f"--option {text!r}: a name is letters, digits, '_', '.' and '-' (starting with "
            f"a letter or digit), {_EXAMPLE}"
        )
    path, at, month = rest.rpartition("@")
    if not at:
        return Option(name, rest)
    if month.strip().isascii() and month.strip().isdigit():  # not '²': int() refuses it
        return Option(name, path, int(month))
    if Path(rest).exists():  # a file whose name holds an '@'
        return Option(name, rest)
    raise CompareError(
        f"--option {text!r}: the month after '@' must be a whole number of months, {_EXAMPLE}"
    )


def route_set_options(
    set_options: Sequence[str], current_stem: str, options: Sequence[Option]
) -> tuple[list[str], dict[str, list[str]]]:
    """Route ``--set`` values: ``DESIGN:PATH=VALUE`` sets one design, no prefix every design.

    ``DESIGN`` is ``current`` (or the current file's stem), ``target`` (every option), or
    an option's name or file stem.

    Returns:
        (values for the current org, values for each option by name).
    """
    current: list[str] = []
    by_option: dict[str, list[str]] = {o.name: [] for o in options}
    for text in set_options:
        head, sep, rest = text.partition(":")
        key = head.strip()
        chosen = [o.name for o in options if key in {"target", o.name, Path(o.path).stem}]
        if sep and "=" not in head and key in {"current", current_stem}:
            current.append(rest)
        elif sep and "=" not in head and chosen:
            for name in chosen:
                by_option[name].append(rest)
        else:
            current.append(text)
            for values in by_option.values():
                values.append(text)
    return current, by_option


@dataclass(frozen=True)
class OptionsStudy:
    """The run context of a business case over options: the study and each option's hire.

    Attributes:
        study: The current org (the baseline, first) and one design per option, labelled by
            the option's name.
        hires: Each option's hire (month, target scenario, file), by option name.
    """

    study: Study
    hires: dict[str, Hire]

    @property
    def names(self) -> list[str]:
        """The options' names, in the order given (the status quo not among them)."""
        return [d.label for d in self.study.designs[1:]]


def _check_names(current_stem: str, options: Sequence[Option]) -> None:
    names = [o.name for o in options]
    if not names:
        raise CompareError("a business case needs at least one option (--with or --option)")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise CompareError(f"--option: each option needs its own name; repeated: {repeated}")
    for name in names:
        if name in {STATUS_QUO, current_stem, "current", "target"}:
            raise CompareError(
                f"--option {name}=...: {name!r} names the current org or every option; "
                "give the option another name"
            )


def options_study(
    current_path: str | Path,
    options: Sequence[Option],
    *,
    hire_month: int = 0,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    set_options: Sequence[str] = (),
    set_current: Sequence[str] = (),
    set_target: Sequence[str] = (),
    execution: Execution | None = None,
) -> OptionsStudy:
    """Load the current org and every option (each with its transition) on one horizon.

    Args:
        current_path: The current org's scenario file (the status quo).
        options: The options; an option without a month is hired at ``hire_month``.
        hire_month: Hire month of the options that name none.
        runs: Replications per design (or per draw).
        seed: Root seed (default: the current scenario's).
        years: Horizon (default: the current scenario's).
        set_options: ``--set`` values: for every design, or one with a ``DESIGN:`` prefix
            (:func:`route_set_options`).
        set_current: Values for the current org only.
        set_target: Values for every option.
        execution: Processes or scheduler, and progress.

    Raises:
        CompareError: no option, names that clash, a hire month outside the horizon, an
            option whose assumptions differ from the current org's (with a hire month), or
            an override that does not fit a file; each message names the option.
        ScenarioError: a scenario is invalid.
    """
    stem = Path(current_path).stem
    _check_names(stem, options)
    for_current, for_option = route_set_options(set_options, stem, options)
    designs: list[Design] = []
    hires: dict[str, Hire] = {}
    pair = None
    for option in options:
        month = hire_month if option.hire_month is None else option.hire_month
        try:
            # Each option is built as the business case builds its CCO org, then named.
            pair = business_case_study(
                current_path,
                option.path,
                hire_month=month,
                years=years,
                set_current=[*for_current, *set_current],
                set_target=[*for_option[option.name], *set_target],
            )
        except CompareError as exc:
            raise CompareError(f"option {option.name}: {exc}") from exc
        designs.append(replace(pair.designs[1], label=option.name))
        assert pair.hire is not None  # a business case's study always has its hire
        hires[option.name] = pair.hire
    assert pair is not None  # at least one option (checked above)
    current = pair.designs[0]
    study = Study(
        designs=(current, *designs),
        baseline=current.label,
        seed=current.scenario.seed if seed is None else int(seed),
        runs=runs,
        execution=execution or Execution(),
        overrides=design_overrides(set_options, set_current, set_target),
        given_horizons=(current.scenario.horizon_years,) * (len(options) + 1),
        years=years,
    )
    return OptionsStudy(study, hires)


@dataclass(frozen=True)
class OptionsCase:
    """Every option against the status quo, on one set of customer streams.

    Attributes:
        comparison: Every design's results (the status quo first).
        cases: Each option's business case against the status quo, by option name.
    """

    comparison: Comparison
    cases: dict[str, BusinessCase]

    @property
    def current(self) -> str:
        """Label of the status quo (the current file's stem)."""
        return self.comparison.baseline

    @property
    def names(self) -> list[str]:
        """The options' names, in the order given."""
        return list(self.cases)

    @property
    def lead(self) -> int:
        """The horizon (months) the answer is read at."""
        return next(iter(self.cases.values())).lead

    def horizons(self) -> list[int]:
        """The horizons (months) shown: 3 and 5 years, the lead and the whole."""
        return next(iter(self.cases.values())).horizons()

    @property
    def total_months(self) -> int:
        """The simulated horizon in months."""
        return next(iter(self.cases.values())).net_value.shape[1]


def options_case(
    ostudy: OptionsStudy, *, discount_rate: float = DEFAULT_DISCOUNT_RATE
) -> OptionsCase:
    """Run the status quo and every option on common random numbers (``runs``, 20 if None).

    Raises:
        CompareError: fewer than 2 runs.
    """
    study = ostudy.study
    runs = 20 if study.runs is None else study.runs
    if runs < 2:
        raise CompareError("a business case needs at least 2 runs for intervals (--runs)")
    comparison = run_study(study, runs, attribution=False)
    base_design = study.designs[0]
    current = base_design.scenario
    base = contribution(comparison.results[base_design.label])
    horizon = current.horizon_years * 12
    lead = None if study.years is None else study.years * 12
    cases: dict[str, BusinessCase] = {}
    for design in study.designs[1:]:
        hire = ostudy.hires[design.label]
        net = np.cumsum(contribution(comparison.results[design.label]) - base, axis=1)
        pair = replace(
            comparison,
            designs=(base_design, design),
            results={
                base_design.label: comparison.results[base_design.label],
                design.label: comparison.results[design.label],
            },
        )
        start = executive_start(hire.target, current, hire.month) if hire.month else 0
        cases[design.label] = BusinessCase(
            pair,
            hire.month,
            net,
            [_break_even(row, hire.month) for row in net],
            None,
            in_post_month=start if start < horizon else None,
            discount_rate=discount_rate,
            lead_months=lead,
        )
    return OptionsCase(comparison, cases)
