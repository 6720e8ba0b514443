"""Renewals and mid-term upsell: the installed base's bookings.

Each month the renewals falling due are settled (churn, contraction, expansion or flat, with
the probabilities of docs/model.md "Renewal"); renewal reps work the largest first, and a
renewal they cannot work takes the unworked multipliers. Between renewals, customer success
finds upsell leads, converted with the reps' spare capacity.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ccosim.sim.accounts import AccountBook
from ccosim.sim.draws import UINT32_SPAN, uniform_bits
from ccosim.sim.org_effects import OrgEffectParams
from ccosim.sim.params import ModelParams, fcode
from ccosim.sim.structure import Structure
from ccosim.sim.workforce import Workforce
from ccosim.streams import stream

__all__ = ["Odds", "RenewalLog", "RenewalTerms", "Renewals"]

RENEWALS = fcode("renewals")
#: ``x.sum()`` without the method's Python wrapper (the same ufunc reduction).
_sum = np.add.reduce


class RenewalTerms(NamedTuple):
    """What a renewal decision reads that does not change from month to month.

    Attributes:
        churn_per_term: Churn per renewal decision of each segment at the reference (a
            churn change from ``ModelParams.churn_from`` rewrites it in place).
        can_contract: 1.0 for a segment that contracts at all, else 0.0.
        term: Months between two renewal decisions of each segment.
        factor: ARR factor of each (segment, outcome) cell, ``4 * seg + outcome`` with
            outcomes 0 flat, 1 expand, 2 contract, 3 churn.
        fit_churn: Churn multiplier of each slot's fit (applied with outcomes on).
    """

    churn_per_term: np.ndarray
    can_contract: np.ndarray
    term: np.ndarray
    factor: np.ndarray
    fit_churn: np.ndarray


class Odds(NamedTuple):
    """The month's health response and org multipliers of a renewal decision.

    Attributes:
        reference: Health at the reference service level.
        churn_sensitivity: How churn falls with health above the reference.
        expansion_sensitivity: How expansion rises with health above the reference.
        inv_churn_norm: 1 / the churn normaliser (health multipliers average 1).
        expansion_scale: Expansion probability / the expansion normaliser.
        contraction_probability: Contraction probability at the reference.
        churn_worked: Churn multiplier of a renewal the reps work (all effects included).
        expansion_worked: Expansion multiplier of a worked renewal.
        churn_unworked: Churn multiplier of a renewal no rep works.
        expansion_unworked: Expansion multiplier of an unworked renewal.
    """

    reference: float
    churn_sensitivity: float
    expansion_sensitivity: float
    inv_churn_norm: float
    expansion_scale: float
    contraction_probability: float
    churn_worked: float
    expansion_worked: float
    churn_unworked: float
    expansion_unworked: float


class RenewalLog(NamedTuple):
    """What the renewals of a month leave for the rest of it.

    Attributes:
        renewed_month: Month each slot last renewed (no upsell in a renewal's month).
        kept_by_segment: Renewals kept this month per segment.
    """

    renewed_month: np.ndarray
    kept_by_segment: np.ndarray


class Renewals:
    """Renewals and mid-term upsell of one replication.

    Args:
        params: Compiled parameters.
        seed: Root seed.
        replication: Replication index (selects the upsell stream).
        book: The account book.
        workforce: Heads per function.
        structure: The structural effects in force.
        rec: The ledger's monthly rows.

    Attributes:
        terms: The renewal terms (:class:`RenewalTerms`).
        log: The month's renewals (:class:`RenewalLog`).
        spare_deals: Deals the renewal reps can still work this month (inf with outcomes off).
    """

    def __init__(
        self,
        params: ModelParams,
        seed: int,
        replication: int,
        book: AccountBook,
        workforce: Workforce,
        structure: Structure,
        rec: dict[str, np.ndarray],
    ) -> None:
        # numba takes ~0.4 s to import: it loads when a model first runs, not with the
        # package, which every CLI command imports.
        from ccosim.sim import kernels

        kernels.bind(self, "_settle", kernels.settle_renewals)
        kernels.bind(self, "_upsell", kernels.upsell)
        self.params = params
        self.book = book
        self.workforce = workforce
        self.structure = structure
        self.rec = rec
        self.upsell_rng = stream(seed, replication, "upsell")
        sp = params.segments
        n_seg = len(sp.names)
        # Fit is a permanent trait: survivors drift to good fit, so cohort churn falls with
        # tenure. It belongs to the sales-consulting mechanism and is off with the org.
        fit_churn = np.exp(
            (book.slots.fit - 0.5) * -params.assumptions.sales_consulting.fit_churn_sensitivity
        )
        self.terms = RenewalTerms(
            churn_per_term=sp.churn_per_term.copy(),
            can_contract=(sp.contraction_rate > 0) * 1.0,
            term=sp.step_months,
            # The ARR factor of each renewal outcome (flat, expand, contract, churn),
            # segment-major.
            factor=np.stack(
                [np.ones(n_seg), 1 + sp.expansion_size, 1 - sp.contraction_size, np.zeros(n_seg)],
                axis=1,
            ).ravel(),
            fit_churn=fit_churn,
        )
        self.log = RenewalLog(
            renewed_month=np.full(book.n, -1, dtype=np.int32),
            kept_by_segment=np.zeros(n_seg, dtype=np.int64),
        )
        self.spare_deals = 0.0
        # The month's odds, remade only when the effects in force change.
        self._odds: Odds | None = None
        self._odds_of: object = None

    def settle(self, month: int) -> None:
        """Settle the renewals due this month (churn, contraction, expansion or flat).

        The probabilities are those of docs/model.md "Renewal"; the loop over the due
        accounts is :func:`ccosim.sim.kernels.settle_renewals`.
        """
        p, book = self.params, self.book
        if p.churn_from is not None and month == p.churn_from[0]:
            self.change_churn(p.churn_from[1])
        rn = p.assumptions.renewals
        capacity = self.workforce.heads[RENEWALS] * rn.deals_per_rep_month
        # The reps work the largest renewals first (ties: lowest slot first).
        worked_capacity = int(capacity + 1e-9) if p.outcomes_on else 0
        effects = self.structure.effects
        if effects is not self._odds_of:
            self._odds, self._odds_of = self._odds_under(effects), effects
        (due, worked, churned, arr_churn, arr_contraction, arr_expansion, renewed, before) = (
            self._settle(
                month,
                book.active_prefix(month),
                book.slots,
                book.totals,
                book.draws,
                self.terms,
                self._odds,
                self.log,
                worked_capacity,
                p.outcomes_on,
            )
        )
        self.spare_deals = max(0.0, capacity - due) if p.outcomes_on else math.inf
        rec = self.rec
        rec["renewals_due"][month] = due
        rec["renewals_worked_share"][month] = worked / due if due else np.nan
        rec["churned_logos"][month] = churned
        rec["arr_churn"][month] = arr_churn
        rec["arr_contraction"][month] = arr_contraction
        rec["arr_expansion"][month] = arr_expansion
        rec["bookings_renewal"][month] = renewed
        rec["installed_base_quota"][month] = before * rn.quota_renewal_target

    def _odds_under(self, eff: OrgEffectParams) -> Odds:
        """The :class:`Odds` of a renewal under the org's effects ``eff``."""
        p = self.params
        h, rn = p.assumptions.health, p.assumptions.renewals
        worked = (1.0, 1.0, 1.0, 1.0)
        if p.outcomes_on:
            f = eff.handoff["customer_success_to_renewals"]
            churn = eff.churn_multiplier / p.fit_norm
            worked = (
                (1 + (rn.unworked_churn_multiplier - 1) * (1 - f)) * churn,
                (1 - (1 - rn.unworked_expansion_multiplier) * (1 - f)) * (eff.expansion_multiplier),
                rn.unworked_churn_multiplier * churn,
                rn.unworked_expansion_multiplier * eff.expansion_multiplier,
            )
        return Odds(
            float(h.reference),
            float(h.churn_sensitivity),
            float(h.expansion_sensitivity),
            1 / p.churn_norm,
            h.expansion_probability / p.expansion_norm,
            float(h.contraction_probability),
            *(float(x) for x in worked),
        )

    def change_churn(self, churn_per_term: np.ndarray) -> None:
        """New per-term churn rates from this month (``ModelParams.churn_from``).

        Homogeneous segments take the new rates; an sBG segment's accounts keep their own
        propensities, scaled by the ratio of new to old rate.
        """
        rates = self.terms.churn_per_term
        old = rates.copy()
        rates[:] = churn_per_term
        draws = self.book.draws
        if draws.heterogeneous.any():
            ratio = np.divide(churn_per_term, old, out=np.ones_like(old), where=old > 0)
            draws.propensity[:] *= ratio[self.book.slots.seg]

    def upsell(self, month: int, lead_multiplier: np.ndarray, won: np.ndarray) -> None:
        """Mid-term upsell: CS's leads among the accounts not new and not renewed this month.

        Args:
            month: The month.
            lead_multiplier: Each segment's upsell-lead multiplier (CS coverage).
            won: New accounts of each segment this month.
        """
        p, book = self.params, self.book
        a = p.assumptions
        n = book.active_prefix(month)
        u = uniform_bits(self.upsell_rng, n)
        # Eligible: active, signed before this month and not renewed this month.
        eligible = book.totals.accounts - won - self.log.kept_by_segment
        rate = a.health.midterm_lead_rate
        if p.outcomes_on:
            leads = rate * lead_multiplier
            expected = 0.0
            for lead, count in zip(leads.tolist(), eligible.tolist(), strict=True):
                expected += lead * count
            if self.structure.has_renewals:
                convert = min(1.0, self.spare_deals / expected) if expected > 0 else 1.0
            else:
                # No renewals unit: CSMs and AEs convert a stated share of the leads.
                convert = a.renewals.upsell_conversion_without_reps
            convert *= self.structure.effects.handoff["customer_success_to_renewals"]
            prob = leads * convert
        else:
            expected = float(rate * _sum(eligible))
            prob = np.full(len(eligible), rate)
        # A lead needs the 32-bit draw u below its segment's p * 2^32.
        hits, gained = self._upsell(
            month,
            u,
            prob * UINT32_SPAN,
            book.slots,
            book.totals,
            self.log.renewed_month,
            p.segments.midterm_size,
        )
        rec = self.rec
        rec["upsell_leads"][month] = expected
        rec["upsell_converted"][month] = hits
        rec["bookings_upsell"][month] = gained
        rec["arr_expansion"][month] += gained
