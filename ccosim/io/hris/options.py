"""How to read an HRIS file: the options of ``ccosim org import``, as one record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ccosim.io.hris.keywords import KeywordTable

__all__ = [
    "DEFAULT_LOADED_MULTIPLIER",
    "HOURS_PER_YEAR",
    "INACTIVE_MARKERS",
    "OPEN_MARKERS",
    "PAY_PERIODS",
    "ImportOptions",
    "pay_period_of",
]

#: Salary x this = loaded cost (benefits, taxes, overhead); the same +25% the scenario
#: format's ``assumptions.costs.loaded_multiplier`` uses, so imported and default costs agree.
DEFAULT_LOADED_MULTIPLIER = 1.25

#: Status or name cells that mark a position to be hired (compared without case or
#: punctuation; a status *starting* with one of them counts too: "Open - approved").
OPEN_MARKERS: tuple[str, ...] = (
    "open",
    "open requisition",
    "requisition",
    "req",
    "vacant",
    "vacancy",
    "to be hired",
    "tbh",
    "tbd",
    "unfilled",
    "approved",
    "posted",
    "recruiting",
    "hiring",
    "new hire",
)


#: Employment-status cells of people no longer employed (compared without case or punctuation;
#: a status starting with one of them counts too: "Terminated - voluntary").
INACTIVE_MARKERS: tuple[str, ...] = (
    "terminated",
    "termed",
    "inactive",
    "separated",
    "former",
    "left",
    "resigned",
    "retired",
    "deceased",
    "dismissed",
    "withdrawn",
    "ex employee",
)

#: Paid hours in a year of an hourly employee (40 hours x 52 weeks), as US payroll counts.
HOURS_PER_YEAR = 2080

#: Pay period -> pay periods in a year.
PAY_PERIODS: dict[str, float] = {
    "annual": 1.0,
    "monthly": 12.0,
    "semimonthly": 24.0,
    "biweekly": 26.0,
    "weekly": 52.0,
    "daily": 260.0,
    "hourly": float(HOURS_PER_YEAR),
}

_PERIOD_WORDS: dict[str, str] = {
    "annual": "annual",
    "annually": "annual",
    "year": "annual",
    "yearly": "annual",
    "yr": "annual",
    "y": "annual",
    "pa": "annual",
    "perannum": "annual",
    "salary": "annual",
    "salaried": "annual",
    "monthly": "monthly",
    "month": "monthly",
    "mo": "monthly",
    "mth": "monthly",
    "semimonthly": "semimonthly",
    "twiceamonth": "semimonthly",
    "biweekly": "biweekly",
    "fortnightly": "biweekly",
    "everyotherweek": "biweekly",
    "weekly": "weekly",
    "week": "weekly",
    "wk": "weekly",
    "daily": "daily",
    "day": "daily",
    "hourly": "hourly",
    "hour": "hourly",
    "hr": "hourly",
    "h": "hourly",
}


def pay_period_of(text: str) -> str | None:
    """The pay period a cell names ("Hourly", "per Hour", "Month", "Salary"), or None.

    A cell of several words is named by the last word that is a period ("Exception hourly"
    is hourly, "Paid every two weeks" is not recognised: None).
    """
    word = "".join(ch for ch in text.lower() if ch.isalnum())
    word = word.removeprefix("per").removeprefix("every") if word not in _PERIOD_WORDS else word
    if word in _PERIOD_WORDS:
        return _PERIOD_WORDS[word]
    words = [w for w in "".join(c if c.isalpha() else " " for c in text.lower()).split()]
    found = [_PERIOD_WORDS[w] for w in words if w in _PERIOD_WORDS and len(w) > 2]
    return found[-1] if found else None


@dataclass(frozen=True)
class ImportOptions:
    """How to read an HRIS file (every field has the default ``ccosim org import`` uses).

    Attributes:
        columns: Field -> column name (``name`` may list several, comma-separated).
        keywords: Function keyword table (None: the shipped one).
        fold_teams: Fold like reports into teams: True, False, or None (only above
            :data:`FOLD_ABOVE` rows).
        loaded_multiplier: Salary x this = loaded cost per head.
        cost_is_loaded: The cost column already is loaded cost (also true when it is named
            ``loaded_cost``).
        monthly: The cost column is monthly (x 12); the same as ``pay_period="monthly"``.
        pay_period: Pay period of the cost column where no pay-frequency column says
            (a key of :data:`PAY_PERIODS`); None: annual.
        include_inactive: Keep terminated and inactive employees (by default they are left
            out and listed).
        lenient: Import what can be imported and list the rest.
        decimal: ``"."`` or ``","``; None: detected from the numbers (see
            :func:`detect_decimal`).
        skip_rows: Lines above the header to skip (a report title, a blank line).
        open_markers: Status or name cells that mark a position to be hired.
        blank_name_open: A row with a name column but no name is a position to be hired.
        progress: Called with (rows read, rows) while reading.
    """

    columns: Mapping[str, str | None] = field(default_factory=dict)
    keywords: KeywordTable | None = None
    fold_teams: bool | None = False
    loaded_multiplier: float = DEFAULT_LOADED_MULTIPLIER
    cost_is_loaded: bool = False
    monthly: bool = False
    pay_period: str | None = None
    include_inactive: bool = False
    lenient: bool = False
    decimal: str | None = None
    skip_rows: int = 0
    open_markers: tuple[str, ...] = OPEN_MARKERS
    blank_name_open: bool = False
    progress: Callable[[int, int], None] | None = None
