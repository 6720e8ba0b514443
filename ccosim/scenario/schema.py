"""The scenario format: typed, immutable pydantic v2 models of one YAML scenario file.

Every model forbids unknown keys (a typo is an error, never silently ignored) and every
field carries a description, which the exported JSON Schema shows in editors.
Graph rules that span several units (one root, no cycles, known ids) live in
:mod:`ccosim.scenario.checks`, because they need the whole unit list at once.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, model_validator

from ccosim.functions import CUSTOMER_FACING, Function
from ccosim.scenario.assumptions import MAX_MONEY, Assumptions
from ccosim.scenario.plain import ScenarioModel
from ccosim.scenario.uncertainty import Distribution

__all__ = [
    "CUSTOMER_FACING",
    "Calibration",
    "Customers",
    "Function",
    "Mandate",
    "Org",
    "Scenario",
    "Seat",
    "Segment",
    "Staffing",
    "StaffingDriver",
    "StaffingPolicy",
    "StartingBook",
    "TimelineEvent",
    "Touch",
    "Unit",
]

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]

#: Most positions in one unit, as written or set by a timeline event.
MAX_HEADCOUNT = 100_000
UnitId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$",
        description="Identifier: letters, digits, '_' and '-'; unique within the org.",
    ),
]


def _date_text(value: object) -> object:
    """A YAML date (``2027-01-01`` unquoted is read as a date) as its ISO text."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _real_month(text: str) -> str:
    """``YYYY-MM`` or ``YYYY-MM-DD`` naming a real month (and day)."""
    try:
        dt.date.fromisoformat(text if len(text) > 7 else text + "-01")
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM, or YYYY-MM-DD)") from None
    return text


#: The calendar month of simulated month 0 (``YYYY-MM``, or a date in it).
StartDate = Annotated[
    str,
    BeforeValidator(_date_text),
    Field(pattern=r"^\d{4}-\d{2}(-\d{2})?$"),
    AfterValidator(_real_month),
]


class Strict(ScenarioModel):
    """Base for every scenario model: see :class:`ccosim.scenario.plain.ScenarioModel`."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, use_enum_values=False, allow_inf_nan=False
    )


class Touch(str, Enum):
    """Customer-success coverage model of a segment."""

    high = "high"
    pooled = "pooled"
    digital = "digital"


class StartingBook(Strict):
    """The segment's actual accounts at month 0, instead of a synthetic book at ``acv``.

    Written by ``ccosim calibrate accounts`` from an account ledger; one entry per account,
    the three lists in the same order.
    """

    arr: list[Annotated[float, Field(gt=0, le=MAX_MONEY)]] = Field(
        min_length=1, description="ARR of each account at month 0."
    )
    months_to_renewal: list[Annotated[int, Field(ge=0, le=59)]] | None = Field(
        default=None,
        description="Months from month 0 to each account's next renewal decision "
        "(default: spread evenly, as for a synthetic book).",
    )
    tenure_months: list[Annotated[int, Field(ge=0, le=1200)]] | None = Field(
        default=None,
        description="Months each account has been a customer; with churn_alpha/churn_beta "
        "its churn propensity is drawn given the renewals it has survived.",
    )

    @model_validator(mode="after")
    def _same_length(self) -> StartingBook:
        for name in ("months_to_renewal", "tenure_months"):
            values = getattr(self, name)
            if values is not None and len(values) != len(self.arr):
                raise ValueError(
                    f"{name} has {len(values)} entries, arr has {len(self.arr)}: one per account"
                )
        return self


class Segment(Strict):
    """One customer segment: its starting base, new-logo plan, contract shape and retention."""

    initial_accounts: int = Field(ge=0, le=1_000_000, description="Accounts at month 0.")
    acv: float = Field(
        gt=0, le=MAX_MONEY, description="Annual contract value per account, currency units."
    )
    new_accounts_per_year: float = Field(
        ge=0,
        le=1_000_000,
        description="New logos planned in year 1 (before sales-capacity limits).",
    )
    new_accounts_growth: float = Field(
        default=0.0,
        ge=-1.0,
        le=10.0,
        description="Yearly growth of the new-logo plan (0.25 = +25%).",
    )
    contract_months: int = Field(
        default=12,
        ge=1,
        le=60,
        description=(
            "Contract term in whole months (1-60, at most the horizon); renewal falls due at "
            "its end, with churn, contraction and expansion converted from the annual rates."
        ),
    )
    base_churn: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description=(
            "Annual logo churn at the reference service level (0.07 = 7%). With churn_alpha "
            "and churn_beta it sets the mean of the Beta; omitted, it is their mean."
        ),
    )
    churn_alpha: float | None = Field(
        default=None,
        gt=0,
        le=1000,
        description=(
            "Heterogeneous churn (shifted-beta-geometric): each account's annual churn "
            "propensity is drawn from Beta(churn_alpha, churn_beta) when it signs."
        ),
    )
    churn_beta: float | None = Field(
        default=None,
        gt=0,
        le=1000,
        description="Second shape of the churn Beta (see churn_alpha); larger = more loyal.",
    )
    expansion_rate: float = Field(
        default=0.0,
        ge=0.0,
        le=5.0,
        description=(
            "Expected annual ARR expansion of a kept account at reference service "
            "(0.12 = +12% a year), whatever the contract term."
        ),
    )
    contraction_rate: Probability = Field(
        default=0.0,
        description="Expected annual ARR contraction of a kept account at reference service.",
    )
    touch: Touch = Field(
        default=Touch.pooled, description="Coverage model: high-touch, pooled or digital."
    )
    accounts_per_csm: float | None = Field(
        default=None,
        gt=0,
        description="Target accounts per CSM; default from assumptions by touch model.",
    )
    starting_book: StartingBook | None = Field(
        default=None,
        description="Actual accounts at month 0 (ARR, next renewal, tenure); initial_accounts "
        "must equal their number.",
    )

    @model_validator(mode="after")
    def _churn_given(self) -> Segment:
        if self.starting_book is not None and len(self.starting_book.arr) != self.initial_accounts:
            raise ValueError(
                f"starting_book lists {len(self.starting_book.arr)} accounts but "
                f"initial_accounts is {self.initial_accounts}"
            )
        heterogeneous = (self.churn_alpha is None, self.churn_beta is None)
        if heterogeneous[0] != heterogeneous[1]:
            raise ValueError("give both churn_alpha and churn_beta, or neither")
        if self.base_churn is None:
            if self.churn_alpha is None or self.churn_beta is None:
                raise ValueError("give base_churn (annual churn), or churn_alpha and churn_beta")
            mean = self.churn_alpha / (self.churn_alpha + self.churn_beta)
            object.__setattr__(self, "base_churn", mean)
        return self

    @property
    def heterogeneous(self) -> bool:
        """Whether churn propensity varies by account (churn_alpha and churn_beta given)."""
        return self.churn_alpha is not None

    @property
    def annual_churn(self) -> float:
        """Mean annual churn at reference service (base_churn, filled in from the Beta)."""
        assert self.base_churn is not None
        return float(self.base_churn)


class Customers(Strict):
    """The customer base, by segment."""

    segments: dict[
        Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", max_length=64)], Segment
    ] = Field(min_length=1, description="Segments by name (e.g. enterprise, mid_market, smb).")


#: How a unit's headcount moves (the engine codes them by position).
StaffingPolicy = Literal["fixed", "plan", "ratio"]
#: What one head of a ratio-staffed unit covers (the engine codes them by position).
StaffingDriver = Literal["accounts", "arr", "new_accounts", "renewals"]


class Staffing(Strict):
    """How a unit's headcount moves over time (used by the engine's workforce process)."""

    policy: StaffingPolicy = Field(
        default="fixed",
        description="fixed: keep headcount; plan: headcount per year; ratio: hire toward a driver.",
    )
    plan: list[NonNegative] | None = Field(
        default=None, description="policy=plan: target headcount for year 1, 2, ... (last repeats)."
    )
    driver: StaffingDriver | None = Field(
        default=None, description="policy=ratio: what one head covers."
    )
    per_head: float | None = Field(
        default=None,
        gt=0,
        description="policy=ratio: driver units per head (e.g. 50 accounts); at least 0.1 "
        "(1,000 for driver arr).",
    )
    segment: str | None = Field(
        default=None, description="policy=ratio: count only this segment's driver."
    )
    min_headcount: NonNegative = Field(default=0.0, description="Never plan below this.")
    time_to_fill_months: float | None = Field(
        default=None, ge=0, le=36, description="Months from opening a requisition to a start."
    )
    ramp_months: float | None = Field(
        default=None, ge=0, le=36, description="Months for a new hire to reach full productivity."
    )
    attrition_rate: Probability | None = Field(
        default=None, description="Annual share of the unit that leaves (backfilled)."
    )

    @model_validator(mode="after")
    def _policy_fields(self) -> Staffing:
        if self.policy == "plan" and not self.plan:
            raise ValueError("policy 'plan' needs 'plan': a list of headcounts per year")
        if self.policy == "ratio" and (self.driver is None or self.per_head is None):
            raise ValueError("policy 'ratio' needs both 'driver' and 'per_head'")
        if self.per_head is not None:
            floor = 1000.0 if self.driver == "arr" else 0.1
            if self.per_head < floor:
                raise ValueError(
                    f"per_head {self.per_head:g} would plan more than one head per "
                    f"{floor:g} {self.driver or 'driver unit'}; the least accepted is {floor:g}"
                )
        return self


class Mandate(Strict):
    """What an executive seat is given to act with: the enablers of the readiness checklist.

    Each is a share from 0 (not given) to 1 (given in full); their mean scales the effects that
    need the executive (mark-cco: a CCO needs unquestioned authority, aligned metrics and a
    budget, or becomes a figurehead).
    """

    authority: Probability = Field(
        default=1.0, description="Authority to act for the customer across functions (0-1)."
    )
    aligned_metrics: Probability = Field(
        default=1.0, description="The seat owns retention metrics of its own, GRR, NRR (0-1)."
    )
    budget: Probability = Field(
        default=1.0, description="A budget for the role and its team (0-1)."
    )

    @property
    def share(self) -> float:
        """The mean of the three enablers: the share of the seat's effects it can deliver."""
        return (self.authority + self.aligned_metrics + self.budget) / 3


class Seat(Strict):
    """An executive seat: its mandate, its holder's tenure, and how it is refilled."""

    mandate: Mandate = Field(default_factory=Mandate, description="What the seat is given.")
    turnover: bool | None = Field(
        default=None,
        description="The holder may leave (default: on for the executive who owns the "
        "post-sale functions, off for others; assumptions.leadership.turnover gates all).",
    )
    tenure_months: float | None = Field(
        default=None,
        gt=0,
        le=600,
        description="Mean tenure of a holder, months (default: assumptions.leadership).",
    )
    refill_months: float | None = Field(
        default=None,
        ge=0,
        le=36,
        description="Months from a holder leaving to the next one in post (default: the "
        "unit's time to fill; for an internal appointment, workforce."
        "executive_time_to_fill_months: successors are searched for).",
    )
    never_filled: bool = Field(
        default=False,
        description="The seat stays empty for the whole horizon: never hired, no search fee.",
    )
    appointment: Literal["search", "internal"] = Field(
        default="search",
        description="How the first holder is found: 'search' (an executive search, its fee "
        "paid) or 'internal' (promoted from inside: no fee; refills are searches).",
    )


class Unit(Strict):
    """A position (headcount 1) or a team (headcount > 1) in the reporting-line graph."""

    id: UnitId
    title: str = Field(min_length=1, max_length=200, description="Position or team title.")
    name: str | None = Field(default=None, max_length=200, description="Incumbent's name, if any.")
    function: Function = Field(description="What the unit does (drives the engine's mechanisms).")
    reports_to: str | None = Field(
        default=None, description="Id of the manager's unit; omitted only for the single root."
    )
    dotted_to: list[str] = Field(
        default_factory=list, description="Ids of dotted-line (matrix) managers."
    )
    headcount: float = Field(
        default=1.0, ge=0, le=MAX_HEADCOUNT, description="Positions in the unit."
    )
    open_headcount: float = Field(
        default=0.0, ge=0, description="Positions of the headcount not yet filled (to be hired)."
    )
    vacant: bool = Field(default=False, description="The whole unit is to be hired.")
    cost: float | None = Field(
        default=None,
        ge=0,
        le=MAX_MONEY,
        description="Loaded annual cost per head; default from assumptions.costs by function.",
    )
    location: str | None = Field(default=None, max_length=200)
    currency: str | None = Field(default=None, min_length=3, max_length=3, description="ISO 4217.")
    span_limit: int | None = Field(
        default=None, ge=1, description="This manager's span limit (overrides assumptions.span)."
    )
    segment: str | None = Field(
        default=None, description="Segment this team serves; omitted = all segments."
    )
    staffing: Staffing | None = Field(default=None, description="Headcount policy over time.")
    seat: Seat | None = Field(
        default=None,
        description="Executive units: mandate, tenure and refill of the seat (docs/model.md, "
        '"Executives").',
    )

    @model_validator(mode="after")
    def _open_within_headcount(self) -> Unit:
        if self.open_headcount > self.headcount:
            raise ValueError(
                f"open_headcount ({self.open_headcount:g}) exceeds headcount ({self.headcount:g})"
            )
        if self.seat is not None and self.function != Function.executive:
            raise ValueError(
                f"only executive units have a seat; this unit's function is {self.function.value}"
            )
        return self

    @property
    def filled_headcount(self) -> float:
        """Positions filled today: 0 if vacant or never filled, else headcount less open ones."""
        if self.seat is not None and self.seat.never_filled:
            return 0.0
        return 0.0 if self.vacant else self.headcount - self.open_headcount


class Org(Strict):
    """The organization: units with their reporting lines."""

    units: list[Unit] = Field(min_length=1, description="Positions and teams.")


class TimelineEvent(Strict):
    """A scheduled org change: add, remove or move a unit, or change its headcount or policy."""

    month: int = Field(ge=0, le=600, description="Month at which the change takes effect.")
    action: Literal[
        "add_unit", "remove_unit", "move_unit", "set_headcount", "set_staffing", "vacate_unit"
    ] = Field(
        description="What changes; vacate_unit: the unit's people leave it for another role "
        "in the company (no severance) and its positions are hired again (a backfill)."
    )
    unit: Unit | None = Field(default=None, description="add_unit: the new unit.")
    id: str | None = Field(default=None, description="The unit removed, moved, changed or vacated.")
    reports_to: str | None = Field(default=None, description="move_unit: the new manager.")
    headcount: float | None = Field(
        default=None, ge=0, le=MAX_HEADCOUNT, description="set_headcount: new target."
    )
    staffing: Staffing | None = Field(default=None, description="set_staffing: new policy.")
    moves_in_filled: bool = Field(
        default=False,
        description="add_unit: the unit's people move in already in post (from elsewhere in "
        "the company); default false: its positions are hired (time to fill, then ramp).",
    )
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _fields_for_action(self) -> TimelineEvent:
        need = {
            "add_unit": ("unit",),
            "remove_unit": ("id",),
            "vacate_unit": ("id",),
            "move_unit": ("id", "reports_to"),
            "set_headcount": ("id", "headcount"),
            "set_staffing": ("id", "staffing"),
        }[self.action]
        missing = [f for f in need if getattr(self, f) is None]
        if missing:
            raise ValueError(f"action '{self.action}' needs {', '.join(repr(m) for m in missing)}")
        return self


class Calibration(Strict):
    """What was observed of today's org: KPI targets it reproduces (``ccosim calibrate kpis``).

    Under ``--draws`` each draw re-fits the targeted segments' inputs so that this scenario's
    org at month 0 reproduces the targets again (docs/calibration.md, "Calibration under
    draws"); plain runs ignore the block.
    """

    targets: dict[
        Annotated[
            str,
            Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*\.(logo_retention|grr|nrr)$", max_length=90),
        ],
        Annotated[float, Field(gt=0.0, le=10.0)],
    ] = Field(
        min_length=1,
        description="Observed KPI by SEGMENT.KPI (logo_retention, grr or nrr; 0.92 for 92%), "
        "mean of years 1 to `years`.",
    )
    design: str | None = Field(
        default=None, max_length=500, description="The scenario file whose org was observed."
    )
    years: int = Field(default=3, ge=1, le=10, description="Years averaged.")
    runs: int = Field(default=12, ge=2, le=1000, description="Replications of each fit.")
    seed: int | None = Field(
        default=None, ge=0, le=2**63 - 1, description="Seed of the fit's replications."
    )
    tolerance: float = Field(
        default=0.005, gt=0.0, le=0.1, description="Largest gap between fit and target."
    )
    slopes: dict[str, dict[str, float]] | None = Field(
        default=None,
        description="SEGMENT.KPI -> SEGMENT.input -> change of the KPI per unit of the input "
        "at the fit (the first step of each re-fit).",
    )


class Scenario(Strict):
    """One scenario file, resolved (after ``extends`` and command-line overrides)."""

    name: str = Field(min_length=1, max_length=200, description="Short name shown in reports.")
    label: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.()+-]*$",
        description="A few words naming the design in tables, charts and CSVs (default: the "
        "file name without .yaml).",
    )
    description: str = Field(default="", max_length=20_000)
    extends: str | None = Field(
        default=None, description="Base file, relative to this one; deep-merged, this file wins."
    )
    horizon_years: int = Field(default=9, ge=1, le=30, description="Years simulated.")
    seed: int = Field(default=2026, ge=0, le=2**63 - 1, description="Root seed of all randomness.")
    currency: str = Field(default="USD", min_length=3, max_length=3, description="ISO 4217.")
    start_date: StartDate | None = Field(
        default=None,
        description="Calendar month of simulated month 0, YYYY-MM (a date YYYY-MM-DD counts "
        "as its month): gives dates to --at YYYY-MM and to plans. Omitted: months only.",
    )
    customers: Customers
    org: Org
    assumptions: Assumptions = Field(default_factory=Assumptions)
    timeline: list[TimelineEvent] = Field(default_factory=list, description="Scheduled changes.")
    uncertainty: dict[
        Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-.]+$", max_length=300)], Distribution
    ] = Field(
        default_factory=dict,
        description="Assumptions as ranges: dotted key (as --set takes it) -> distribution; "
        "used only by runs with --draws (docs/uncertainty.md).",
    )
    calibration: Calibration | None = Field(
        default=None,
        description="Observed KPIs today's org reproduces; re-fitted in every draw of --draws "
        "(written by `ccosim calibrate kpis`; docs/calibration.md).",
    )
