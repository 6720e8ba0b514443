"""Calibrate from an account ledger: a CRM or billing export, one row per account.

Columns (header names as below; extra columns are ignored):

================== ========= ==================================================================
column             required  meaning
================== ========= ==================================================================
account_id         yes       the account's identifier (unique)
segment            yes       segment name, as in the scenario
start_date         yes       first contract start, YYYY-MM-DD
end_date           no        date the account churned (blank: still a customer)
arr                no        ARR now (blank or 0 for a churned account)
arr_year_ago       no        ARR one year before the as-of date (blank: not a customer then)
contract_months    no        contract term of the current contract
renewal_date       no        next renewal date of an active account
================== ========= ==================================================================

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

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ccosim.calibrate.retention import CalibrationError, SbgFit, fit_sbg_lifetimes

__all__ = [
    "COLUMNS",
    "Ledger",
    "LedgerAccount",
    "SegmentFit",
    "fit_ledger",
    "read_ledger",
    "starting_book",
]

COLUMNS: tuple[str, ...] = (
    "account_id",
    "segment",
    "start_date",
    "end_date",
    "arr",
    "arr_year_ago",
    "contract_months",
    "renewal_date",
)
REQUIRED = ("account_id", "segment", "start_date")


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


def _money(raw: str, where: str) -> float:
    try:
        value = float(raw.replace(",", "").replace("$", ""))
    except ValueError:
        raise CalibrationError(f"{where}: {raw!r} is not a number") from None
    if not value >= 0 or math.isinf(value):
        raise CalibrationError(f"{where}: {raw!r} must be a number >= 0")
    return value


def read_ledger(path: str | Path, as_of: dt.date | None = None) -> Ledger:
    """Read a ledger CSV; every bad row names its line and column.

    Args:
        path: The CSV file.
        as_of: The date the ledger describes (default: the latest date in the file).

    Raises:
        CalibrationError: The file, line and column of the first problem.
    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CalibrationError(f"{source}: cannot read ({exc.strerror})") from exc
    return parse_ledger(text, source, as_of)


def parse_ledger(text: str, source: str = "<ledger>", as_of: dt.date | None = None) -> Ledger:
    """Parse ledger CSV text (see :func:`read_ledger`)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise CalibrationError(f"{source}: empty file; expected a header row")
    header = [h.strip().lower() for h in rows[0]]
    for need in REQUIRED:
        if need not in header:
            raise CalibrationError(
                f"{source}:1: no column '{need}'; the ledger needs {', '.join(REQUIRED)} "
                f"(and optionally {', '.join(c for c in COLUMNS if c not in REQUIRED)})"
            )
    col = {name: header.index(name) for name in COLUMNS if name in header}
    accounts: list[LedgerAccount] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        def where(name: str, line: int = line) -> str:
            return f"{source}:{line}: column '{name}'"

        for need in REQUIRED:
            if not cell(need):
                raise CalibrationError(f"{where(need)}: empty; every account needs one")
        account_id = cell("account_id")
        if account_id in seen:
            raise CalibrationError(
                f"{where('account_id')}: {account_id!r} already on line {seen[account_id]}"
            )
        seen[account_id] = line
        start = _date(cell("start_date"), where("start_date"))
        end = _date(cell("end_date"), where("end_date")) if cell("end_date") else None
        if end is not None and end < start:
            raise CalibrationError(f"{where('end_date')}: {end} is before the start date {start}")
        arr = _money(cell("arr"), where("arr")) if cell("arr") else 0.0
        if end is None and arr <= 0:
            raise CalibrationError(
                f"{where('arr')}: an active account (no end_date) needs its ARR above 0"
            )
        ago = _money(cell("arr_year_ago"), where("arr_year_ago")) if cell("arr_year_ago") else None
        term = None
        if cell("contract_months"):
            raw = cell("contract_months")
            try:
                term = int(raw)
            except ValueError:
                raise CalibrationError(
                    f"{where('contract_months')}: {raw!r} is not a whole number of months"
                ) from None
            if not 1 <= term <= 60:
                raise CalibrationError(f"{where('contract_months')}: {term} is not 1-60 months")
        renewal = (
            _date(cell("renewal_date"), where("renewal_date")) if cell("renewal_date") else None
        )
        accounts.append(
            LedgerAccount(line, account_id, cell("segment"), start, end, arr, ago, term, renewal)
        )
    if not accounts:
        raise CalibrationError(f"{source}: no accounts")
    latest = max(max(a.start, a.end or a.start) for a in accounts)
    as_of = as_of or latest
    for a in accounts:
        for name, date in (("start_date", a.start), ("end_date", a.end)):
            if date is not None and date > as_of:
                raise CalibrationError(
                    f"{source}:{a.line}: column '{name}': {date} is after the as-of date {as_of}"
                )
    return Ledger(source, as_of, tuple(accounts))


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


def fit_ledger(ledger: Ledger) -> dict[str, SegmentFit]:
    """Per segment: sBG churn by tenure, and annual expansion and contraction."""
    out: dict[str, SegmentFit] = {}
    for segment in ledger.segments:
        accounts = [a for a in ledger.accounts if a.segment == segment]
        horizon = max(_whole_years(a.start, ledger.as_of) for a in accounts) + 2
        lost = np.zeros(horizon + 1)
        censored = np.zeros(horizon + 1)
        for a in accounts:
            if a.end is not None:
                lost[min(_lost_in(a.start, a.end), horizon)] += 1
            else:
                censored[_whole_years(a.start, ledger.as_of)] += 1
        churn = fit_sbg_lifetimes(lost, censored) if lost.sum() > 0 else None
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
    start date's next anniversary (decisions every ``min(term, 12)`` months, as the engine
    takes them); tenure is whole months since ``start_date``.
    """
    step = min(term, 12)
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
