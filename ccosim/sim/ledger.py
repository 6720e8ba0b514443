"""The ledger: what a replication records, month by month and year by year.

Every mechanism writes its monthly measures into the ledger's rows (:data:`MONTHLY`, one
value per month); the month close adds the finance (revenue, cost of revenue, sales and
marketing expense, one-time costs); the year close turns the year's months into yearly KPIs
(:data:`YEAR_SUMS` are summed, :data:`YEAR_MEANS` averaged over the months with a value) and
sums each segment's retention over the year's cohort (:data:`SEGMENT_KPIS`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ccosim import kpis, metrics
from ccosim.functions import DELIVERY as DELIVERY_FUNCTIONS
from ccosim.results import COHORT_ROWS
from ccosim.sim.accounts import ACTIVE, CHURNED, AccountBook
from ccosim.sim.params import FUNCTIONS, ModelParams, fcode
from ccosim.sim.workforce import ONE_TIME_KINDS, Workforce

__all__ = ["MONTHLY", "SEGMENT_KPIS", "YEAR_MEANS", "YEAR_SUMS", "Ledger"]

SC, SALES = fcode("sales_consulting"), fcode("new_business_sales")
MARKETING = fcode("marketing")
#: Functions whose cost is cost of revenue (delivery), in the order they are summed.
DELIVERY = tuple(fcode(f) for f in DELIVERY_FUNCTIONS)

#: Monthly measures recorded by every replication (one tidy row each per month): the
#: catalogue's, in its order.
MONTHLY: tuple[str, ...] = kpis.MONTHLY

# The cost rows are consecutive: one slice of the series per month.
_COST_ROWS = slice(MONTHLY.index(f"cost_{FUNCTIONS[0]}"), len(MONTHLY))
assert MONTHLY[_COST_ROWS] == tuple(f"cost_{f}" for f in FUNCTIONS)

#: How each yearly KPI is made from the months (summed, averaged, last month): the catalogue's.
YEAR_SUMS, YEAR_MEANS, YEAR_ENDS = kpis.YEAR_SUMS, kpis.YEAR_MEANS, kpis.YEAR_ENDS
#: Yearly KPIs of each segment (``Results.segments``): the catalogue's list.
SEGMENT_KPIS: tuple[str, ...] = kpis.SEGMENT_KPIS
#: ``x.sum()`` without the method's Python wrapper (the same ufunc reduction): the month's
#: small sums are called often enough for the wrapper to show.
_sum = np.add.reduce
_SUM_ROWS = np.array([MONTHLY.index(k) for k in YEAR_SUMS])
_MEAN_ROWS = np.array([MONTHLY.index(k) for k in YEAR_MEANS])


class Ledger:
    """The monthly series and yearly KPIs of one replication.

    Args:
        params: Compiled parameters.
        book: The account book (its ARR at month 0 starts the ARR bridge).

    Attributes:
        series: Monthly measures, one row each (in MONTHLY order), NaN until recorded.
        rec: Measure name -> its row of ``series`` (a view).
        yearly: KPI -> one value per year closed.
        by_segment: Segment -> KPI -> one value per year closed.
        cohorts: One array per year closed: :data:`COHORT_ROWS` x segment x cohort (0 the
            initial base, ``k`` the accounts signed in year ``k``; rows in
            :data:`ccosim.results.COHORT_ROWS` order).
    """

    def __init__(self, params: ModelParams, book: AccountBook) -> None:
        # numba takes ~0.4 s to import: it loads when a model first runs, not with the
        # package, which every CLI command imports.
        from ccosim.sim import kernels

        kernels.bind(self, "_segment_retention", kernels.segment_retention)
        self.params = params
        self.book = book
        months = params.horizon_months
        self.series = np.full((len(MONTHLY), months), np.nan)
        self.rec: dict[str, np.ndarray] = dict(zip(MONTHLY, self.series, strict=True))
        self.yearly: dict[str, list[float]] = {}
        self.by_segment: dict[str, dict[str, list[float]]] = {
            name: {k: [] for k in SEGMENT_KPIS} for name in params.segments.names
        }
        self.year_start = np.zeros(0)
        self.year_start_n = 0
        self.cohorts: list[np.ndarray] = []
        self._segment_sums = np.zeros((8, len(params.segments.names)))
        initial = params.segments.initial_book
        self._initial_arr = (
            float(params.segments.acv[book.slots.seg[: book.n_initial]].sum())
            if initial is None
            else float(initial[0].sum())
        )
        self._one_time_rows = np.array(
            [MONTHLY.index(k) for k in ("one_time_cost", *ONE_TIME_KINDS)]
        )
        self.series[self._one_time_rows] = 0.0
        self.series[MONTHLY.index("leader_departures")] = 0.0

    def outputs(self) -> dict[str, Any]:
        """Monthly series, yearly KPIs and per-segment KPIs as plain arrays."""
        return {
            "monthly": {k: v for k, v in self.rec.items()},
            "yearly": {k: np.asarray(v) for k, v in self.yearly.items()},
            "segments": {
                name: {k: np.asarray(v) for k, v in kpis.items()}
                for name, kpis in self.by_segment.items()
            },
            "cohorts": np.stack(self.cohorts) if self.cohorts else np.zeros((0, 3, 0, 0)),
        }

    def close_month(self, month: int, workforce: Workforce) -> None:
        """The month's ARR bridge, costs, revenue and headcount (after every mechanism)."""
        a, rec = self.params.assumptions, self.rec
        arr = float(_sum(self.book.totals.arr))
        rec["arr"][month] = rec["arr_end"][month] = arr
        rec["arr_start"][month] = rec["arr_end"][month - 1] if month > 0 else self._initial_arr
        rec["bookings_installed_base"][month] = (
            rec["bookings_renewal"][month] + rec["bookings_upsell"][month]
        )
        costs = workforce.cost_by_function()
        self.series[_COST_ROWS, month] = costs
        rec["org_cost"][month] = float(_sum(costs))
        one_time = workforce.one_time
        if one_time.any():  # the rows start at zero; most months have no one-time cost
            self.series[self._one_time_rows[0], month] = _sum(one_time)
            self.series[self._one_time_rows[1:], month] = one_time
            one_time[:] = 0.0
        services = rec["ps_billed_hours"][month] * a.professional_services.bill_rate
        rec["services_revenue"][month] = services
        rec["revenue"][month] = arr / 12 + services
        cost = costs.tolist()
        delivery = 0.0
        for i in DELIVERY:
            delivery += cost[i]
        rec["cogs"][month] = arr / 12 * a.finance.hosting_share + delivery
        rec["sales_marketing_expense"][month] = (
            cost[SALES] + cost[SC] + cost[MARKETING] * (1 + a.finance.program_spend_ratio)
        )
        rec["headcount"][month], rec["hiring_target"][month], rec["hiring_gap"][month] = (
            workforce.totals
        )

    def snapshot(self, month: int = 0) -> None:
        """Remember the ARR of every active account: the cohort of the coming year."""
        n = self.book.active_prefix(month)
        # Slots that are not active carry zero ARR: the prefix is the cohort, zeros elsewhere.
        self.year_start = self.book.slots.arr[:n].copy()
        self.year_start_n = n

    def close_year(self, month: int) -> None:
        """The year's KPIs (retention over the year's cohort, sums, means, unit economics)."""
        start = self.year_start
        end = self.book.slots.arr[: self.year_start_n].copy()
        self._segment_year(start, end)
        # The company's are the segments' sums (metrics.grr, nrr and logo_retention over
        # the whole cohort, up to the order of summation).
        totals = self._segment_sums.sum(axis=1).tolist()
        put = self._put
        put("grr", min(1.0, metrics.ratio(totals[2], totals[0])))
        put("nrr", metrics.ratio(totals[1], totals[0]))
        put("logo_retention", metrics.ratio(totals[4], totals[3]))
        for key in YEAR_ENDS:
            put(key, self.rec[key][month])
        months = slice(month - 11, month + 1)
        self._aggregate(months)
        self._weighted(months)
        put("arr_start_of_year", start.sum())
        self._unit_economics(months)
        self._cohort_year(month)
        self.snapshot(month)

    def _put(self, key: str, value: float) -> None:
        self.yearly.setdefault(key, []).append(float(value))

    def _aggregate(self, months: slice) -> None:
        """The year's sums and means of the monthly rows (months without a value left out)."""
        put = self._put
        window = self.series[:, months]
        for key, total in zip(YEAR_SUMS, np.nansum(window[_SUM_ROWS], axis=1), strict=True):
            put(key, total)
        values = window[_MEAN_ROWS]
        known = ~np.isnan(values)
        counts = known.sum(axis=1)
        totals = np.where(known, values, 0.0).sum(axis=1)
        for key, total, count in zip(YEAR_MEANS, totals, counts, strict=True):
            put(key, total / count if count else math.nan)

    def _weighted(self, months: slice) -> None:
        """The year's KPIs that weigh each month by its volume."""
        put, rec = self._put, self.rec
        weights = rec["onboarding_completed"][months]
        ttv = rec["time_to_value_months"][months]
        ok = weights > 0
        put(
            "time_to_value_months",
            float((ttv[ok] * weights[ok]).sum() / weights[ok].sum()) if ok.any() else np.nan,
        )
        closed = rec["support_closed"][months].sum()
        put(
            "support_cost_per_ticket",
            rec["cost_support"][months].sum() / closed if closed > 0 else np.nan,
        )
        fits = rec["new_account_fit"][months]
        new = rec["new_logos"][months]
        put("new_account_fit", float(np.nansum(fits * new) / new.sum()) if new.sum() else np.nan)

    def _unit_economics(self, months: slice) -> None:
        """Bookings ratios, quota attainment, gross margin, LTV, CAC and payback."""
        put, rec, y = self._put, self.rec, self.yearly
        put(
            "installed_base_to_new",
            metrics.ratio(y["bookings_installed_base"][-1], y["bookings_new"][-1]),
        )
        put(
            "new_quota_attainment",
            metrics.attainment(y["bookings_new"][-1], np.nansum(rec["new_business_quota"][months])),
        )
        put(
            "installed_base_quota_attainment",
            metrics.attainment(
                y["bookings_installed_base"][-1], np.nansum(rec["installed_base_quota"][months])
            ),
        )
        gm = metrics.gross_margin(y["revenue"][-1], y["cogs"][-1])
        put("gross_margin", gm)
        accounts = y["accounts"][-1]
        arpa = y["arr"][-1] / accounts if accounts > 0 else np.nan
        churn = 1 - y["logo_retention"][-1]
        ltv = metrics.ltv(arpa, gm, churn)
        cac = metrics.cac(y["sales_marketing_expense"][-1], y["new_logos"][-1])
        put("ltv", ltv)
        put("cac", cac)
        put("ltv_to_cac", metrics.ratio(ltv, cac))
        new_acv = metrics.ratio(y["bookings_new"][-1], y["new_logos"][-1])
        put("cac_payback_months", metrics.cac_payback_months(cac, new_acv, gm))

    def _cohort_year(self, month: int) -> None:
        """Accounts signed, still active and their ARR, by segment and year signed.

        Reads the book only (no random draw), so recording it moves no result.
        """
        book = self.book
        n = book.active_prefix(month)
        slots = book.slots
        n_seg = len(self.params.segments.names)
        n_cohorts = self.params.horizon_months // 12 + 1
        cohort = np.clip(slots.start[:n] // 12 + 1, 1, n_cohorts - 1)
        cohort[: book.n_initial] = 0
        cell = slots.seg[:n].astype(np.int64) * n_cohorts + cohort
        size = n_seg * n_cohorts
        status = slots.status[:n]
        signed = (status == ACTIVE) | (status == CHURNED)
        alive = slots.alive[:n]
        record = np.stack(
            [
                np.bincount(cell, weights=signed, minlength=size),
                np.bincount(cell, weights=alive, minlength=size),
                np.bincount(cell, weights=np.where(alive, slots.arr[:n], 0.0), minlength=size),
            ]
        )
        self.cohorts.append(record.reshape(len(COHORT_ROWS), n_seg, n_cohorts))

    def _segment_year(self, start: np.ndarray, end: np.ndarray) -> None:
        """Each segment's retention KPIs over its accounts active at the year start.

        The definitions of :mod:`ccosim.metrics` (GRR counts each account at most at its
        starting ARR, capped at 1), summed per segment in one compiled pass.
        """
        book = self.book
        sums = self._segment_sums
        self._segment_retention(book.slots.seg, start, end, sums)
        start_arr, end_arr, kept_arr, accounts, kept, churned, up, down = sums.tolist()
        arr_now = book.totals.arr.tolist()
        accounts_now = book.totals.accounts.tolist()
        for s, name in enumerate(self.params.segments.names):
            out = self.by_segment[name]
            out["grr"].append(min(1.0, metrics.ratio(kept_arr[s], start_arr[s])))
            out["nrr"].append(metrics.ratio(end_arr[s], start_arr[s]))
            out["logo_retention"].append(metrics.ratio(kept[s], accounts[s]))
            out["arr"].append(float(arr_now[s]))
            out["accounts"].append(float(accounts_now[s]))
            out["arr_churn"].append(churned[s])
            out["arr_contraction"].append(down[s])
            out["arr_expansion"].append(up[s])
