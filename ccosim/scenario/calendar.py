"""Simulated months as calendar dates, from the scenario's ``start_date``.

The engine counts months from 0. A scenario that states ``start_date: 2027-01`` (the calendar
month of simulated month 0) lets users name months by date: ``--at 2027-06`` is month 5, and a
plan's quarters get their first days (``2027-04-01``). A scenario without ``start_date`` has
months only; asking it for a date is refused with a message naming the key.
"""

from __future__ import annotations

import datetime as dt
import re

from ccosim.errors import CcosimError
from ccosim.scenario.schema import Scenario

__all__ = ["START_KEY", "month_at", "month_start", "parse_month", "start_of"]

#: The scenario key that states the calendar month of simulated month 0.
START_KEY = "start_date"

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str, *, option: str = "--at") -> tuple[int, int]:
    """``(year, month)`` of a ``YYYY-MM`` text.

    Raises:
        CcosimError: ``text`` is not a year and a month from 1 to 12 (the message names
            ``option`` and gives an example).
    """
    found = _MONTH.match(text.strip())
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise CcosimError(f"{option} {text!r} is not a month: write YYYY-MM, e.g. 2027-06")
    return int(found.group(1)), int(found.group(2))


def start_of(scenario: Scenario) -> tuple[int, int] | None:
    """``(year, month)`` of simulated month 0, or None if the scenario states no start."""
    if scenario.start_date is None:
        return None
    year, month = scenario.start_date.split("-")[:2]
    return int(year), int(month)


def month_at(scenario: Scenario, text: str, *, option: str = "--at") -> int:
    """The simulated month that the calendar month ``text`` (``YYYY-MM``) is.

    Args:
        scenario: A loaded scenario with a ``start_date``.
        text: The calendar month, e.g. ``2027-06``.
        option: The option being read (named in messages).

    Returns:
        Months from ``start_date`` to ``text``: 0 to the horizon in months.

    Raises:
        CcosimError: ``text`` is not a month, the scenario has no ``start_date``, or the
            month falls before the start or after the horizon.
    """
    year, month = parse_month(text, option=option)
    start = start_of(scenario)
    if start is None:
        raise CcosimError(
            f"{option} {text}: '{scenario.name}' states no {START_KEY}, so its months have no "
            f"dates; add the key at the top level (e.g. {START_KEY}: 2027-01, the calendar "
            "month of simulated month 0), or give the month number with --at-month"
        )
    months = (year - start[0]) * 12 + (month - start[1])
    horizon = scenario.horizon_years * 12
    begins = f"{start[0]:04d}-{start[1]:02d}"
    if months < 0:
        raise CcosimError(
            f"{option} {text} is before '{scenario.name}' starts ({START_KEY} {begins})"
        )
    if months > horizon:
        raise CcosimError(
            f"{option} {text} is month {months}, past the horizon of '{scenario.name}' "
            f"({horizon} months from {START_KEY} {begins}, horizon_years "
            f"{scenario.horizon_years})"
        )
    return months


def month_start(scenario: Scenario, month: int) -> dt.date | None:
    """The first day of simulated month ``month``, or None without a ``start_date``."""
    start = start_of(scenario)
    if start is None:
        return None
    index = start[0] * 12 + start[1] - 1 + month
    return dt.date(index // 12, index % 12 + 1, 1)
