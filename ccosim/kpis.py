"""The KPI catalogue: every number the engine emits, declared once.

Each :class:`Kpi` says what a number is (label, unit, description), which way is better, how
a year's figure is made from the months, and where its definition comes from (a key of
``docs/sources.md``, or "model" for a quantity of the simulator itself). Tables, charts, the
CSV data dictionary (``datapackage.json``) and ``docs/kpis.md`` are all derived from it, and a
test checks that the engine emits exactly these names.

Units: ``%`` (a share, stored as a fraction: 0.912 is 91.2%; a difference of two shares is in
percentage points, ``pts``), ``$`` (US dollars), ``months``, ``hours``, ``count``, ``ratio`` (a
plain number, e.g. LTV:CAC) and ``score`` (a 0-100 health score).

Per-segment KPIs (``Results.to_dict()["segments"]``) reuse the catalogue entries of the same
name; :data:`SEGMENT_KPIS` lists which.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ccosim.functions import Function, function_label

__all__ = [
    "CATALOGUE",
    "FUNCTION_COST_KPIS",
    "HEADLINE",
    "MONTHLY",
    "SEGMENT_KPIS",
    "UNITS",
    "YEARLY",
    "YEAR_ENDS",
    "YEAR_MEANS",
    "YEAR_SUMS",
    "Kpi",
    "difference_unit",
    "get",
    "higher_is_better",
    "kpis_markdown",
    "label",
    "lower_is_better",
    "refresh_document",
]

Unit = Literal["%", "pts", "$", "months", "hours", "count", "ratio", "score"]
Direction = Literal["higher", "lower", "neutral"]
#: How a yearly figure is made from the months: summed, averaged (months without a value left
#: out), the value at the year's last month, or computed from the year's totals.
Yearly = Literal["sum", "mean", "end", "computed", ""]

#: Every unit, with how a value is written.
UNITS: dict[str, str] = {
    "%": "a share, stored as a fraction (0.912), shown as 91.2%",
    "pts": "percentage points: the difference of two shares, shown as +1.2 pts",
    "$": "US dollars, shown as $1.23M, $512k or $49.8",
    "months": "months, shown as 3.4 months",
    "hours": "hours, shown as 6.2 h",
    "count": "a number of things (accounts, people, tickets), shown as 1,810",
    "ratio": "a plain ratio, shown as 3.21",
    "score": "a 0-100 health score, shown as 72.3",
}

#: The functions' names, in the enum's order (one cost KPI each).
FUNCTION_NAMES: tuple[str, ...] = tuple(f.value for f in Function)


@dataclass(frozen=True)
class Kpi:
    """One number the engine emits.

    Attributes:
        name: The key in results, CSVs and JSON (``grr``).
        label: Short label for tables and charts (``GRR``).
        unit: One of :data:`UNITS`.
        direction: ``higher`` or ``lower`` is better, or ``neutral`` (a volume, not a goal).
        monthly: Recorded every month (a row of ``series_monthly.csv``).
        yearly: How the yearly figure is made (empty: no yearly figure).
        description: One sentence a board member can read.
        source: A key of docs/sources.md, or ``model`` (a quantity of the simulator).
    """

    name: str
    label: str
    unit: Unit
    direction: Direction
    monthly: bool
    yearly: Yearly
    description: str
    source: str = "model"

    @property
    def difference_unit(self) -> str:
        """Unit of a difference of two values (``pts`` for shares)."""
        return difference_unit(self.unit)


def difference_unit(unit: str) -> str:
    """Unit of a difference: percentage points for shares, the unit itself otherwise."""
    return "pts" if unit == "%" else unit


def _k(
    name: str,
    label: str,
    unit: Unit,
    direction: Direction,
    monthly: bool,
    yearly: Yearly,
    description: str,
    source: str = "model",
) -> Kpi:
    return Kpi(name, label, unit, direction, monthly, yearly, description, source)


_ENTRIES: list[Kpi] = [
    # Retention (measured each year over the accounts that existed at its start).
    _k(
        "grr",
        "GRR",
        "%",
        "higher",
        False,
        "computed",
        "Gross revenue retention: ARR kept from the accounts at the start of the year, "
        "counting each at most at its starting ARR (no expansion), over their starting ARR.",
        "benchmarks 1.2",
    ),
    _k(
        "nrr",
        "NRR",
        "%",
        "higher",
        False,
        "computed",
        "Net revenue retention: end-of-year ARR of the accounts at the start of the year "
        "(expansion, contraction and churn included) over their starting ARR.",
        "benchmarks 1.1",
    ),
    _k(
        "logo_retention",
        "logo retention",
        "%",
        "higher",
        False,
        "computed",
        "Accounts at the start of the year still customers at its end, over accounts at "
        "its start; revenue ignored.",
        "benchmarks 2.1",
    ),
    # ARR and accounts.
    _k("arr", "ARR", "$", "higher", True, "end", "Annual recurring revenue at the month's end."),
    _k("accounts", "accounts", "count", "higher", True, "end", "Active customer accounts."),
    _k("new_logos", "new logos", "count", "higher", True, "sum", "Accounts won."),
    _k("churned_logos", "churned logos", "count", "lower", True, "sum", "Accounts lost."),
    _k("arr_start", "ARR at start", "$", "neutral", True, "", "ARR at the month's start."),
    _k("arr_new", "new ARR", "$", "higher", True, "sum", "ARR of accounts won."),
    _k(
        "arr_expansion",
        "expansion ARR",
        "$",
        "higher",
        True,
        "sum",
        "ARR added by upsell and expansion at renewal.",
    ),
    _k(
        "arr_contraction",
        "contraction ARR",
        "$",
        "lower",
        True,
        "sum",
        "ARR lost by accounts that renewed smaller.",
    ),
    _k("arr_churn", "churned ARR", "$", "lower", True, "sum", "ARR of accounts lost."),
    _k(
        "arr_end",
        "ARR at end",
        "$",
        "neutral",
        True,
        "",
        "ARR at the month's end after new, expansion, contraction and churn (the bridge's "
        "closing value; equal to ARR).",
    ),
    _k(
        "arr_start_of_year",
        "ARR at start of year",
        "$",
        "neutral",
        False,
        "computed",
        "ARR of the accounts active at the start of the year (the retention cohort).",
    ),
    # Bookings and quotas.
    _k(
        "bookings_new",
        "new-business bookings",
        "$",
        "higher",
        True,
        "sum",
        "First-year contract value of accounts won (the Sales quota).",
        "mehta2016",
    ),
    _k("bookings_renewal", "renewal bookings", "$", "higher", True, "sum", "Renewed ARR."),
    _k("bookings_upsell", "upsell bookings", "$", "higher", True, "sum", "Upsell ARR booked."),
    _k(
        "bookings_installed_base",
        "installed-base bookings",
        "$",
        "higher",
        True,
        "sum",
        "Renewal and upsell bookings (the CCO's quota).",
        "mehta2016",
    ),
    _k(
        "installed_base_to_new",
        "installed base / new",
        "ratio",
        "neutral",
        False,
        "computed",
        "Installed-base bookings over new-business bookings in the year.",
        "mehta2016",
    ),
    _k("new_business_quota", "new-business quota", "$", "neutral", True, "", "Sales quota."),
    _k(
        "installed_base_quota",
        "installed-base quota",
        "$",
        "neutral",
        True,
        "",
        "The CCO's quota: renewals and upsell due.",
    ),
    _k(
        "new_quota_attainment",
        "new-business quota attainment",
        "%",
        "higher",
        True,
        "computed",
        "New-business bookings over the Sales quota.",
    ),
    _k(
        "installed_base_quota_attainment",
        "installed-base quota attainment",
        "%",
        "higher",
        True,
        "computed",
        "Installed-base bookings over the CCO's quota.",
        "mehta2016",
    ),
    # Money.
    _k("revenue", "revenue", "$", "higher", True, "sum", "Subscription and services revenue."),
    _k(
        "services_revenue",
        "services revenue",
        "$",
        "higher",
        True,
        "sum",
        "Professional services and training revenue.",
    ),
    _k("cogs", "cost of revenue", "$", "lower", True, "sum", "Hosting and service delivery."),
    _k(
        "org_cost",
        "org cost",
        "$",
        "lower",
        True,
        "sum",
        "Loaded cost of every filled head in the company.",
    ),
    _k(
        "sales_marketing_expense",
        "sales and marketing expense",
        "$",
        "neutral",
        True,
        "sum",
        "Loaded cost of sales and marketing (CAC's numerator).",
    ),
    _k(
        "gross_margin",
        "gross margin",
        "%",
        "higher",
        False,
        "computed",
        "(Revenue - cost of revenue) / revenue.",
    ),
    _k(
        "ltv",
        "LTV",
        "$",
        "higher",
        False,
        "computed",
        "Lifetime value: ARR per account x gross margin / annual logo churn; n/a in a year "
        "without churn.",
        "benchmarks 8.1",
    ),
    _k(
        "cac",
        "CAC",
        "$",
        "lower",
        False,
        "computed",
        "Customer acquisition cost: sales and marketing expense / new logos.",
        "benchmarks 8.1",
    ),
    _k(
        "ltv_to_cac",
        "LTV:CAC",
        "ratio",
        "higher",
        False,
        "computed",
        "LTV over CAC; 3 or more is the usual bar. n/a when LTV is undefined.",
        "benchmarks 8.1",
    ),
    _k(
        "cac_payback_months",
        "CAC payback",
        "months",
        "lower",
        False,
        "computed",
        "Months of a new account's gross-margin revenue that repay its CAC; n/a when no "
        "account was won.",
        "benchmarks 8.1",
    ),
    # People.
    _k("headcount", "headcount", "count", "lower", True, "end", "Filled heads."),
    _k("hiring_target", "hiring target", "count", "neutral", True, "", "Heads planned."),
    _k(
        "hiring_gap",
        "hiring gap",
        "count",
        "lower",
        True,
        "mean",
        "Planned heads not yet filled.",
    ),
    # Health.
    _k(
        "health_mean",
        "mean health",
        "score",
        "higher",
        True,
        "mean",
        "Mean health score of active accounts (0-100).",
    ),
    _k(
        "red_share",
        "red accounts",
        "%",
        "lower",
        True,
        "mean",
        "Share of accounts in the red health band (score 0-50 by default).",
        "gainsight",
    ),
    _k(
        "yellow_share",
        "yellow accounts",
        "%",
        "neutral",
        True,
        "mean",
        "Share of accounts in the yellow band (51-75).",
        "gainsight",
    ),
    _k(
        "green_share",
        "green accounts",
        "%",
        "higher",
        True,
        "mean",
        "Share of accounts in the green band (76-100).",
        "gainsight",
    ),
    # Support.
    _k("support_tickets", "support tickets", "count", "neutral", True, "", "Tickets opened."),
    _k("support_closed", "tickets closed", "count", "neutral", True, "sum", "Tickets closed."),
    _k("support_backlog", "support backlog", "count", "lower", True, "", "Tickets open."),
    _k(
        "support_response_hours",
        "support response time",
        "hours",
        "lower",
        True,
        "mean",
        "Mean first response time.",
        "benchmarks 4.1",
    ),
    _k(
        "support_tickets_per_rep_day",
        "tickets per rep per day",
        "ratio",
        "neutral",
        True,
        "mean",
        "Tickets closed per support rep per working day (support's primary measure).",
        "benchmarks 4.5",
    ),
    _k(
        "support_cost_per_ticket",
        "support cost per ticket",
        "$",
        "lower",
        True,
        "computed",
        "Loaded support cost over tickets closed.",
        "benchmarks 4.7",
    ),
    # Onboarding and training.
    _k(
        "onboarding_queue",
        "onboarding queue",
        "count",
        "lower",
        True,
        "mean",
        "New accounts waiting for implementation.",
    ),
    _k(
        "onboarding_completed",
        "onboardings completed",
        "count",
        "neutral",
        True,
        "sum",
        "Implementations finished.",
    ),
    _k(
        "time_to_value_months",
        "time to value",
        "months",
        "lower",
        True,
        "computed",
        "Months from contract to go-live, weighted by onboardings completed (onboarding's "
        "primary measure).",
        "benchmarks 6.1",
    ),
    _k(
        "customers_trained",
        "customers trained",
        "count",
        "higher",
        True,
        "sum",
        "Accounts trained (training's primary measure).",
    ),
    _k("training_due", "training due", "count", "neutral", True, "", "Accounts due training."),
    # Customer success and renewals.
    _k(
        "csm_coverage",
        "CSM coverage",
        "%",
        "higher",
        True,
        "mean",
        "Share of accounts with a customer success manager within capacity.",
        "benchmarks 3.1",
    ),
    _k("renewals_due", "renewals due", "count", "neutral", True, "", "Renewals due."),
    _k(
        "renewals_worked_share",
        "renewals worked",
        "%",
        "higher",
        True,
        "mean",
        "Share of renewals due that a renewals rep or CSM worked.",
    ),
    _k("upsell_leads", "upsell leads", "count", "neutral", True, "", "Upsell leads found."),
    _k(
        "upsell_converted",
        "upsells converted",
        "count",
        "higher",
        True,
        "sum",
        "Upsell leads won.",
    ),
    _k(
        "referenceable_accounts",
        "referenceable accounts",
        "count",
        "higher",
        True,
        "mean",
        "Accounts willing to be a reference (customer marketing's primary measure).",
    ),
    _k(
        "cx_reach",
        "CX reach",
        "%",
        "higher",
        True,
        "mean",
        "Share of accounts the customer-experience team hears (voice of the customer; its "
        "primary measure).",
    ),
    # Professional services.
    _k("ps_demand_hours", "PS hours demanded", "hours", "neutral", True, "", "Hours asked."),
    _k("ps_billed_hours", "PS hours billed", "hours", "higher", True, "", "Hours billed."),
    _k(
        "ps_utilization",
        "PS utilization",
        "%",
        "higher",
        True,
        "mean",
        "Billed over available consultant hours (professional services' primary measure).",
        "benchmarks 5.1",
    ),
    # Sales consulting.
    _k(
        "new_account_fit",
        "new-account fit",
        "ratio",
        "higher",
        True,
        "computed",
        "Mean fit (0-1) of accounts won (sales consulting's primary measure).",
    ),
    _k(
        "deals_declined",
        "deals declined",
        "count",
        "neutral",
        True,
        "sum",
        "Prospects declined at the fit review.",
    ),
    _k(
        "deals_lost_capacity",
        "deals lost to capacity",
        "count",
        "lower",
        True,
        "sum",
        "Prospects lost for want of sellers, or for want of sales-consulting support.",
    ),
    _k(
        "one_time_cost",
        "one-time costs",
        "$",
        "lower",
        True,
        "sum",
        "One-time costs of org changes: executive search fees and severance (not in org cost).",
    ),
    _k(
        "search_fees",
        "executive search fees",
        "$",
        "lower",
        True,
        "sum",
        "Search fees paid when an executive seat is added, starts vacant or is refilled.",
    ),
    _k(
        "severance",
        "severance",
        "$",
        "lower",
        True,
        "sum",
        "Severance paid for removed units, headcount cuts and layoffs.",
    ),
    _k(
        "leader_departures",
        "executives who left",
        "count",
        "lower",
        True,
        "sum",
        "Executives with turnover who left their seat (the seat is then vacant until refilled).",
    ),
]

#: Loaded cost of each function (``cost_customer_success``...), one KPI each.
FUNCTION_COST_KPIS: tuple[Kpi, ...] = tuple(
    Kpi(
        f"cost_{f}",
        f"{function_label(f)} cost",
        "$",
        "lower",
        True,
        "sum",
        f"Loaded cost of the filled {function_label(f)} heads.",
    )
    for f in FUNCTION_NAMES
)

#: Every KPI by name, in catalogue order.
CATALOGUE: dict[str, Kpi] = {k.name: k for k in (*_ENTRIES, *FUNCTION_COST_KPIS)}

#: Names recorded every month (``series_monthly.csv``), in catalogue order.
MONTHLY: tuple[str, ...] = tuple(k.name for k in CATALOGUE.values() if k.monthly)
#: Names with a yearly figure (``kpis_yearly.csv``), in catalogue order.
YEARLY: tuple[str, ...] = tuple(k.name for k in CATALOGUE.values() if k.yearly)
#: Names whose year is the sum of the year's months, in catalogue order.
YEAR_SUMS: tuple[str, ...] = tuple(k.name for k in CATALOGUE.values() if k.yearly == "sum")
#: Names whose year is the mean of the year's months (months without a value left out).
YEAR_MEANS: tuple[str, ...] = tuple(k.name for k in CATALOGUE.values() if k.yearly == "mean")
#: Names whose year is the value at the year's last month.
YEAR_ENDS: tuple[str, ...] = tuple(k.name for k in CATALOGUE.values() if k.yearly == "end")
#: The headline KPIs of a comparison, in reading order.
HEADLINE: tuple[str, ...] = (
    "arr",
    "grr",
    "nrr",
    "logo_retention",
    "ltv_to_cac",
    "org_cost",
    "headcount",
)
#: KPIs reported per customer segment (``Results.segments``), yearly, over the segment's
#: accounts active at the year start (churned, contracted and expanded ARR of that cohort) or
#: at the year end. The engine emits exactly these.
SEGMENT_KPIS: tuple[str, ...] = (
    "grr",
    "nrr",
    "logo_retention",
    "arr",
    "accounts",
    "arr_churn",
    "arr_contraction",
    "arr_expansion",
)


def get(name: str) -> Kpi:
    """The catalogue entry of ``name`` (a function cost, KPI or measure).

    Raises:
        KeyError: an unknown name, with the known ones listed.
    """
    try:
        return CATALOGUE[name]
    except KeyError:
        raise KeyError(f"unknown KPI {name!r}; known: {', '.join(CATALOGUE)}") from None


def label(name: str) -> str:
    """The short label of a KPI (the name itself if it is not catalogued)."""
    entry = CATALOGUE.get(name)
    return entry.label if entry else name


def lower_is_better(name: str) -> bool:
    """Whether less of ``name`` is better (org cost, churn, CAC payback...)."""
    entry = CATALOGUE.get(name)
    return entry is not None and entry.direction == "lower"


def higher_is_better(name: str) -> bool:
    """Whether more of ``name`` is better; neutral KPIs count as higher for deltas' signs."""
    return not lower_is_better(name)


BEGIN = "<!-- BEGIN GENERATED: KPI catalogue -->"
END = "<!-- END GENERATED: KPI catalogue -->"


def refresh_document(text: str) -> str:
    """``text`` (docs/kpis.md) with the generated part between its markers replaced."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{kpis_markdown()}{END}{tail}"


def kpis_markdown() -> str:
    """The reference table of every KPI, for docs/kpis.md (generated; a test keeps it in sync)."""
    lines = [
        "| name | label | unit | better | monthly | yearly | description | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for k in CATALOGUE.values():
        anchor = k.source.replace(" ", "-").replace(".", "-")
        source = "model" if k.source == "model" else f"[{k.source}](sources.md#{anchor})"
        lines.append(
            f"| `{k.name}` | {k.label} | {k.unit} | {k.direction} | "
            f"{'yes' if k.monthly else ''} | {k.yearly} | {k.description} | {source} |"
        )
    units = ["| unit | meaning |", "|---|---|", *(f"| {u} | {m} |" for u, m in UNITS.items())]
    return "\n".join(lines) + "\n\n" + "\n".join(units) + "\n"
