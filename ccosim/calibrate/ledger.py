"""Calibrate from an account ledger: a CRM or billing export, one row per account.

Columns: :data:`LEDGER_COLUMNS` (header names; extra columns are ignored). The table in
docs/calibration.md is generated from it (:func:`ledger_columns_markdown`).

What is fitted, per segment:

- churn by tenure, shifted-beta-geometric (:func:`ccosim.calibrate.retention.fit_sbg_lifetimes`):
  an account that churned in its ``t``-th contract year was lost in period ``t``; an active
  account with ``n`` whole years of tenure at the as-of date survived ``n`` periods (censored);
- the annual expansion and contraction rates of accounts kept over the last year, ARR
  weighted: ``sum max(arr - arr_year_ago, 0) / sum arr_year_ago`` and the same for decreases.

These are the rates observed under the current org (not the reference service level);
``ccosim calibrate kpis`` translates observed KPIs into reference-level inputs.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ccosim.calibrate.retention import CalibrationError, SbgFit, fit_sbg_lifetimes
from ccosim.io.table_text import TableText, read_table_text, table_from_text
from ccosim.scenario.assumptions import MAX_MONEY

__all__ = [
    "COLUMNS",
    "LEDGER_COLUMNS",
    "REQUIRED",
    "TRUNCATION_EXPECTED",
    "Ledger",
    "LedgerAccount",
    "LedgerColumn",
    "SegmentFit",
    "churned_before",
    "fit_ledger",
    "ledger_columns_markdown",
    "parse_ledger",
    "read_ledger",
    "refresh_document",
    "starting_book",
    "truncation_warning",
]


@dataclass(frozen=True)
class LedgerColumn:
    """One column of an account ledger.

    Attributes:
        name: The header name (lower case).
        required: Whether every row needs a value.
        meaning: What the column holds, for the docs and error messages.
    """

    name: str
    required: bool
    meaning: str


#: The columns of an account ledger, in the order written (``examples/ledger.csv``).
LEDGER_COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("account_id", True, "identifier, unique"),
    LedgerColumn("segment", True, "segment name as in the scenario"),
    LedgerColumn("start_date", True, "first contract start, YYYY-MM-DD"),
    LedgerColumn("end_date", False, "date the account churned (blank: still a customer)"),
    LedgerColumn("arr", False, "ARR now (needed for active accounts)"),
    LedgerColumn(
        "arr_year_ago", False, "ARR one year before the as-of date (blank: not a customer then)"
    ),
    LedgerColumn("contract_months", False, "contract term"),
    LedgerColumn("renewal_date", False, "next renewal date of an active account"),
)
#: Header names of the ledger, in order.
COLUMNS: tuple[str, ...] = tuple(c.name for c in LEDGER_COLUMNS)
#: Columns every row needs.
REQUIRED: tuple[str, ...] = tuple(c.name for c in LEDGER_COLUMNS if c.required)

BEGIN = "<!-- BEGIN GENERATED: ledger columns -->"
END = "<!-- END GENERATED: ledger columns -->"


def ledger_columns_markdown() -> str:
    """The ledger's column table, for docs/calibration.md (generated; a test keeps it in sync)."""
    lines = ["| column | required | meaning |", "|---|---|---|"]
    lines += [
        f"| `{c.name}` | {'yes' if c.required else ''} | {c.meaning} |" for c in LEDGER_COLUMNS
    ]
    return "\n".join(lines) + "\n"


def refresh_document(text: str) -> str:
    """``text`` (docs/calibration.md) with the generated column table replaced."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{ledger_columns_markdown()}{END}{tail}"


@dataclass(frozen=True)
class LedgerAccount:
    """One account of the ledger (line: its line in the CSV file)."""

    line: int
    account_id: str
    segment: str
    start: dt.date
    end: dt.date | None
    arr: float
    arr_year_ago: float | None
    contract_months: int | None
    renewal: dt.date | None


@dataclass(frozen=True)
class Ledger:
    """The accounts of a ledger and the date they describe."""

    source: str
    as_of: dt.date
    accounts: tuple[LedgerAccount, ...]

    @property
    def segments(self) -> list[str]:
        """Segment names in order of first appearance."""
        return list(dict.fromkeys(a.segment for a in self.accounts))


@dataclass(frozen=True)
class SegmentFit:
    """What one segment's accounts say.

    Attributes:
        churn: sBG fit of churn by tenure (``None`` when nobody churned: not identifiable).
        expansion_rate: Annual ARR-weighted expansion of accounts kept over the last year.
        contraction_rate: Annual ARR-weighted contraction of the same accounts.
        expansion_se: Standard error of ``expansion_rate`` (ratio estimator, delta method:
            account sampling only).
        contraction_se: Standard error of ``contraction_rate``.
        kept_accounts: Accounts kept over the last year (the base of the two rates).
        accounts: Accounts in the ledger; active: those active at the as-of date.
        active_arr: ARR of the active accounts.
    """

    churn: SbgFit | None
    expansion_rate: float
    contraction_rate: float
    expansion_se: float
    contraction_se: float
    kept_accounts: int
    accounts: int
    active: int
    active_arr: float


def _date(raw: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CalibrationError(f"{where}: {raw!r} is not a date (YYYY-MM-DD)") from None


def _money(raw: str, where: str, table: TableText) -> float:
    value = table.number(raw, where, CalibrationError)
    if value < 0:
        raise CalibrationError(f"{where}: {raw!r} must be a number >= 0")
    if value > MAX_MONEY:
        raise CalibrationError(
            f"{where}: {raw!r} is above {MAX_MONEY:.0e}, the most a scenario takes per account"
        )
    return value


#: Columns whose cells tell a file's decimal mark.
_MONEY_COLUMNS = ("arr", "arr_year_ago")


def read_ledger(
    path: str | Path, as_of: dt.date | None = None, decimal: str | None = None
) -> Ledger:
    """Read a ledger CSV; every bad row names its line and column.

    The file is read as every user CSV is (:mod:`ccosim.io.table_text`): UTF-8, UTF-16 or
    Windows-1252, comma, semicolon, tab or pipe separated, decimal comma or point, its size
    checked before reading.

    Args:
        path: The CSV file.
        as_of: The date the ledger describes (default: the latest date in the file).
        decimal: ``.`` or ``,`` to force the decimal mark (default: found from the ARR cells).

    Raises:
        CalibrationError: The file, line and column of the first problem.
    """
    table = read_table_text(path, CalibrationError, decimal=decimal, number_columns=_MONEY_COLUMNS)
    return _ledger(table, as_of)


def parse_ledger(
    text: str,
    source: str = "<ledger>",
    as_of: dt.date | None = None,
    decimal: str | None = None,
) -> Ledger:
    """Parse ledger CSV text (see :func:`read_ledger`)."""
    table = table_from_text(
        text, source, CalibrationError, decimal=decimal, number_columns=_MONEY_COLUMNS
    )
    return _ledger(table, as_of)


def _ledger(table: TableText, as_of: dt.date | None) -> Ledger:
    source = table.source
    if not table.rows:
        raise CalibrationError(f"{source}: empty file; expected a header row")
    col = _column_indices(table.rows[0][1], source)
    accounts: list[LedgerAccount] = []
    seen: dict[str, int] = {}
    for line, row in table.rows[1:]:
        if not any(c.strip() for c in row):
            continue
        cells = _LedgerRow(row, line, col, table)
        cells.check_required()
        account_id = cells.cell("account_id")
        if account_id in seen:
            raise CalibrationError(
                f"{cells.where('account_id')}: {account_id!r} already on line {seen[account_id]}"
            )
        seen[account_id] = line
        accounts.append(cells.account())
    if not accounts:
        raise CalibrationError(f"{source}: no accounts")
    latest = max(max(a.start, a.end or a.start) for a in accounts)
    as_of = as_of or latest
    _check_not_after(accounts, as_of, source)
    return Ledger(source, as_of, tuple(accounts))


def _column_indices(header_row: list[str], source: str) -> dict[str, int]:
    """Position of each known column in the header; every required one must be there."""
    header = [h.strip().lower() for h in header_row]
    for need in REQUIRED:
        if need not in header:
            raise CalibrationError(
                f"{source}:1: no column '{need}'; the ledger needs {', '.join(REQUIRED)} "
                f"(and optionally {', '.join(c for c in COLUMNS if c not in REQUIRED)})"
            )
    return {name: header.index(name) for name in COLUMNS if name in header}


@dataclass(frozen=True)
class _LedgerRow:
    """One data row of the CSV, read cell by cell; every problem names its line and column."""

    row: list[str]
    line: int
    col: dict[str, int]
    table: TableText

    @property
    def source(self) -> str:
        return self.table.source

    def cell(self, name: str) -> str:
        i = self.col.get(name)
        return self.row[i].strip() if i is not None and i < len(self.row) else ""

    def where(self, name: str) -> str:
        return f"{self.source}:{self.line}: column '{name}'"

    def date(self, name: str) -> dt.date | None:
        return _date(self.cell(name), self.where(name)) if self.cell(name) else None

    def money(self, name: str) -> float | None:
        raw = self.cell(name)
        return _money(raw, self.where(name), self.table) if raw else None

    def term(self) -> int | None:
        raw = self.cell("contract_months")
        if not raw:
            return None
        try:
            term = int(raw)
        except ValueError:
            raise CalibrationError(
                f"{self.where('contract_months')}: {raw!r} is not a whole number of months"
            ) from None
        if not 1 <= term <= 60:
            raise CalibrationError(f"{self.where('contract_months')}: {term} is not 1-60 months")
        return term

    def check_required(self) -> None:
        for need in REQUIRED:
            if not self.cell(need):
                raise CalibrationError(f"{self.where(need)}: empty; every account needs one")

    def account(self) -> LedgerAccount:
        start = _date(self.cell("start_date"), self.where("start_date"))
        end = self.date("end_date")
        if end is not None and end < start:
            raise CalibrationError(
                f"{self.where('end_date')}: {end} is before the start date {start}"
            )
        arr = self.money("arr") or 0.0
        if end is None and arr <= 0:
            raise CalibrationError(
                f"{self.where('arr')}: an active account (no end_date) needs its ARR above 0"
            )
        ago = self.money("arr_year_ago")
        term = self.term()
        renewal = self.date("renewal_date")
        return LedgerAccount(
            self.line,
            self.cell("account_id"),
            self.cell("segment"),
            start,
            end,
            arr,
            ago,
            term,
            renewal,
        )


def _check_not_after(accounts: list[LedgerAccount], as_of: dt.date, source: str) -> None:
    """No start or end date may lie after the as-of date."""
    for a in accounts:
        for name, date in (("start_date", a.start), ("end_date", a.end)):
            if date is not None and date > as_of:
                raise CalibrationError(
                    f"{source}:{a.line}: column '{name}': {date} is after the as-of date {as_of}"
                )


def _whole_years(a: dt.date, b: dt.date) -> int:
    """Anniversaries of ``a`` passed by ``b`` (``b`` on an anniversary counts)."""
    return b.year - a.year - ((b.month, b.day) < (a.month, a.day))


def _lost_in(start: dt.date, end: dt.date) -> int:
    """Contract year in which an account that left on ``end`` was lost (1 = its first)."""
    n = _whole_years(start, end)
    on_anniversary = (end.month, end.day) == (start.month, start.day)
    return max(1, n if on_anniversary else n + 1)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> tuple[float, float]:
    """``sum(x) / sum(a)`` and its delta-method standard error (nan below 2 accounts)."""
    total = float(denominator.sum())
    if total <= 0:
        return 0.0, math.nan
    r = float(numerator.sum()) / total
    n = numerator.size
    if n < 2:
        return r, math.nan
    resid = numerator - r * denominator
    return r, math.sqrt(n / (n - 1) * float((resid**2).sum())) / total


def _survived_before(start: dt.date, when: dt.date) -> int:
    """Renewal decisions (anniversaries) of an account started on ``start`` before ``when``."""
    if when <= start:
        return 0
    n = _whole_years(start, when)
    return max(0, n - ((when.month, when.day) == (start.month, start.day)))


def churned_before(ledger: Ledger, observed_from: dt.date) -> int:
    """Accounts of the ledger that churned before ``observed_from``.

    A truncated export has none; :func:`fit_ledger` leaves them out of the churn fit.
    """
    return sum(1 for a in ledger.accounts if a.end is not None and a.end < observed_from)


def _lifetimes(
    accounts: list[LedgerAccount], as_of: dt.date, observed_from: dt.date | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sBG likelihood's data: lost by period, active by periods survived, entered late.

    ``entered[k]``: accounts that had survived ``k`` periods at ``observed_from``.
    """
    horizon = max(_whole_years(a.start, as_of) for a in accounts) + 2
    lost = np.zeros(horizon + 1)
    censored = np.zeros(horizon + 1)
    entered = np.zeros(horizon + 1)
    for a in accounts:
        if observed_from is not None:
            if a.end is not None and a.end < observed_from:
                continue  # a churn the truncated export should not hold: left out
            entered[_survived_before(a.start, observed_from)] += 1
        if a.end is not None:
            lost[min(_lost_in(a.start, a.end), horizon)] += 1
        else:
            censored[_whole_years(a.start, as_of)] += 1
    return lost, censored, entered


def fit_ledger(ledger: Ledger, observed_from: dt.date | None = None) -> dict[str, SegmentFit]:
    """Per segment: sBG churn by tenure, and annual expansion and contraction.

    Args:
        ledger: The accounts.
        observed_from: Date from which the ledger holds every account, churned or not (left
            truncation: accounts that churned before it are missing from the export). Each
            account's churn likelihood is then conditioned on having survived to it
            (delayed entry); accounts that churned before it are left out of the churn fit.
    """
    out: dict[str, SegmentFit] = {}
    for segment in ledger.segments:
        accounts = [a for a in ledger.accounts if a.segment == segment]
        lost, censored, entered = _lifetimes(accounts, ledger.as_of, observed_from)
        entry = entered if observed_from is not None else None
        churn = fit_sbg_lifetimes(lost, censored, entry) if lost.sum() > 0 else None
        kept = [
            a
            for a in accounts
            if a.end is None and a.arr_year_ago is not None and a.arr_year_ago > 0
        ]
        ago = np.array([a.arr_year_ago or 0.0 for a in kept])
        now = np.array([a.arr for a in kept])
        up, up_se = _ratio(np.maximum(now - ago, 0.0), ago)
        down, down_se = _ratio(np.maximum(ago - now, 0.0), ago)
        active = [a for a in accounts if a.end is None]
        out[segment] = SegmentFit(
            churn=churn,
            expansion_rate=up,
            contraction_rate=down,
            expansion_se=up_se,
            contraction_se=down_se,
            kept_accounts=len(kept),
            accounts=len(accounts),
            active=len(active),
            active_arr=float(sum(a.arr for a in active)),
        )
    return out


def _months(a: dt.date, b: dt.date) -> int:
    """Whole months from ``a`` to ``b`` (``b`` on the same day of month counts)."""
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def starting_book(ledger: Ledger, segment: str, term: int) -> dict[str, list[float] | list[int]]:
    """The segment's active accounts as a scenario ``starting_book`` (month 0 = the as-of date).

    Months to the next renewal decision come from ``renewal_date`` when given, else from the
    start date's next term end (a decision at the end of each term, as the engine takes
    them); tenure is whole months since ``start_date``.
    """
    step = term
    arr: list[float] = []
    due: list[int] = []
    tenure: list[int] = []
    for a in ledger.accounts:
        if a.segment != segment or a.end is not None:
            continue
        months = _months(a.start, ledger.as_of)
        if a.renewal is not None and a.renewal >= ledger.as_of:
            next_due = _months(ledger.as_of, a.renewal) % step
        else:
            next_due = (step - months % step) % step
        arr.append(round(a.arr, 2))
        due.append(next_due)
        tenure.append(months)
    return {"arr": arr, "months_to_renewal": due, "tenure_months": tenure}


#: Churn events expected before the first one seen above which a ledger looks left-truncated:
#: with none seen, the chance of that under the fitted churn is about exp(-5), under 1%.
TRUNCATION_EXPECTED = 5.0


def truncation_warning(ledger: Ledger, fits: dict[str, SegmentFit]) -> str | None:
    """A warning when the ledger looks left-truncated (None when it does not).

    The sign: no account churned before the first churn date seen, although accounts were
    already renewing before it. At each segment's fitted first-year churn (which truncation
    biases low, so the count is conservative), the renewal decisions taken before that date
    would have lost :data:`TRUNCATION_EXPECTED` or more accounts; seeing none has a chance of
    about ``exp(-expected)`` if nothing is missing.
    """
    ends = [a.end for a in ledger.accounts if a.end is not None]
    if not ends:
        return None
    first = min(ends)
    expected = 0.0
    decisions = 0
    for a in ledger.accounts:
        fit = fits.get(a.segment)
        if fit is None or fit.churn is None:
            continue
        n = _survived_before(a.start, first)
        decisions += n
        # Retention in periods 1..n of the fitted sBG: expected losses of one account.
        expected += float(1 - fit.churn.survival(n)[-1]) if n else 0.0
    if expected < TRUNCATION_EXPECTED:
        return None
    return (
        f"{ledger.source}: the ledger looks left-truncated: no account churned before "
        f"{first}, although its accounts took {decisions} renewal decisions before that date, "
        f"which at the fitted churn would have lost about {expected:.0f} (seeing none has a "
        f"chance of at most {math.exp(-expected):.1g}). If accounts that churned before a CRM "
        f"migration or an export start are missing, churn comes out low: rerun with "
        f"--observed-from {first} (or the date the export starts)."
    )
