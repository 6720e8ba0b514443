"""Health and coverage: customer-success coverage, customer marketing and account health.

Each month customer success covers the segments (coverage against the target accounts per
CSM lifts health and sets how many upsell leads CS finds), customer-marketing programs reach a
share of the base, and every account's health reverts toward the level the month's service
sets, plus noise (docs/model.md, "Health"). At the month close the reported scores give the
health bands.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ccosim.sim.accounts import AccountBook
from ccosim.sim.draws import normal_levels, scaled_normal_table
from ccosim.sim.org_effects import OrgEffectParams
from ccosim.sim.params import ModelParams, fcode
from ccosim.sim.structure import Structure
from ccosim.sim.workforce import Workforce
from ccosim.streams import stream

__all__ = ["CoverageRules", "Health", "HealthRules"]

CS, CM = fcode("customer_success"), fcode("customer_marketing")
#: ``x.sum()`` without the method's Python wrapper (the same ufunc reduction).
_sum = np.add.reduce


class HealthRules(NamedTuple):
    """How health moves each month (fixed for a replication).

    Attributes:
        reversion: Share of the distance to the target closed each month.
        outcomes_on: Whether the org's outcome mechanisms act (targets and penalties).
        penalty_decay: Share of the early-health penalty kept each month.
        untrained: ``reversion`` times the penalty of an account overdue for training.
        reference: Health at the reference service level.
    """

    reversion: float
    outcomes_on: bool
    penalty_decay: float
    untrained: float
    reference: float


class CoverageRules(NamedTuple):
    """What customer-success coverage does this month (the org's effects included).

    Attributes:
        keep: Share of a CSM's time not diverted to other work.
        max_coverage: Coverage above this does no more.
        health_lift: Health effect of full coverage.
        health_multiplier: The org's multiplier of coverage's health effect.
        lead_floor: Share of upsell leads found with no coverage.
        lead_multiplier: The org's multiplier of the leads.
    """

    keep: float
    max_coverage: float
    health_lift: float
    health_multiplier: float
    lead_floor: float
    lead_multiplier: float


class Health:
    """Coverage and health of one replication.

    Args:
        params: Compiled parameters.
        seed: Root seed.
        replication: Replication index (selects the health noise stream).
        book: The account book.
        workforce: Heads per function.
        structure: The structural effects in force.
        rec: The ledger's monthly rows (:attr:`ccosim.sim.ledger.Ledger.rec`).

    Attributes:
        seg_effect: Health effect of each segment's CS coverage this month.
        lead_multiplier: Upsell-lead multiplier of each segment this month.
        reach: Share of the base customer marketing reaches this month.
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

        kernels.bind(self, "_cs_coverage", kernels.cs_coverage)
        kernels.bind(self, "_move_health", kernels.move_health)
        kernels.bind(self, "_live_scores", kernels.live_scores)
        self.params = params
        self.book = book
        self.workforce = workforce
        self.structure = structure
        self.rec = rec
        self.rng = stream(seed, replication, "health")
        a = params.assumptions
        h = a.health
        self.rules = HealthRules(
            reversion=float(h.reversion),
            outcomes_on=bool(params.outcomes_on),
            penalty_decay=float(a.onboarding.penalty_decay),
            untrained=float(h.reversion * a.training.untrained_penalty),
            reference=float(h.reference),
        )
        self.noise_table = scaled_normal_table(float(h.noise_sd))
        n_seg = len(params.segments.names)
        self.seg_effect = np.zeros(n_seg)
        self.lead_multiplier = np.ones(n_seg)
        self.reach = 0.0
        self._scores = np.empty(book.n)
        # Coverage's rules, remade only when the effects in force change.
        self._coverage: CoverageRules | None = None
        self._coverage_of: object = None

    def coverage(self, month: int, accounts: np.ndarray) -> float:
        """Coverage against the segment's target accounts per CSM; returns diverted heads."""
        eff = self.structure.effects
        wf = self.workforce
        ded, shared = wf.capacity(CS, len(self.seg_effect))
        diverted = wf.heads[CS] * eff.cs_diverted_share
        if eff is not self._coverage_of:
            self._coverage, self._coverage_of = self._coverage_under(eff), eff
        self.rec["csm_coverage"][month] = self._cs_coverage(
            ded,
            shared,
            accounts,
            self.params.segments.accounts_per_csm,
            self._coverage,
            self.seg_effect,
            self.lead_multiplier,
        )
        return float(diverted)

    def _coverage_under(self, eff: OrgEffectParams) -> CoverageRules:
        """The :class:`CoverageRules` under the org's effects ``eff``."""
        cs = self.params.assumptions.customer_success
        return CoverageRules(
            keep=float(1 - eff.cs_diverted_share),
            max_coverage=float(cs.max_coverage),
            health_lift=float(cs.health_lift),
            health_multiplier=float(eff.cs_health_multiplier),
            lead_floor=float(cs.lead_floor),
            lead_multiplier=float(eff.cs_lead_multiplier),
        )

    def marketing(self, total: float) -> float:
        """Programs reach a share of the base; returns the health effect."""
        cmm = self.params.assumptions.customer_marketing
        reach = min(1.0, self.workforce.heads[CM] * cmm.accounts_per_marketer / max(total, 1.0))
        f_cm = self.structure.effects.handoff["customer_success_to_customer_marketing"]
        self.reach = reach
        return cmm.health_lift * (reach * f_cm - 1)

    def move(self, global_effect: float, overdue: np.ndarray) -> None:
        """Mean reversion toward the service-driven target, plus noise, over the slot prefix.

        ``health += reversion * (target - health) + noise_sd * z`` with one normal draw per
        slot of the prefix (live or not, so that the draws stay aligned by slot), computed in
        place as ``(1 - r) h + r (segment target - penalty - untrained) + noise``.

        Args:
            global_effect: Health effect of support, professional services and customer
                marketing this month.
            overdue: Which slots of the prefix are overdue for training.
        """
        rules = self.rules
        n = overdue.size
        r = rules.reversion
        target = r * (self.seg_effect + (rules.reference + global_effect))
        self._move_health(
            self.book.slots,
            normal_levels(self.rng, n),
            self.noise_table,
            n,
            target,
            overdue,
            rules,
        )

    def close_month(self, month: int) -> None:
        """Live accounts, mean health, the health bands and the referenceable accounts."""
        book, rec = self.book, self.rec
        n = book.active_prefix(month)
        bands = self.params.assumptions.health_bands
        live, red, not_green = self._live_scores(
            book.slots.health, book.slots.alive, n, bands.red_max, bands.yellow_max, self._scores
        )
        rec["accounts"][month] = live
        # Red (score <= red_max), yellow (<= yellow_max) and green, as metrics.health_band_counts.
        counts = (red, not_green - red, live - not_green)
        if live:
            rec["health_mean"][month] = float(_sum(self._scores[:live])) / live
            shares = [c / live for c in counts]
            rec["red_share"][month], rec["yellow_share"][month], rec["green_share"][month] = shares
        cmm = self.params.assumptions.customer_marketing
        f_cm = self.structure.effects.handoff["customer_success_to_customer_marketing"]
        rec["referenceable_accounts"][month] = (
            counts[2] * self.reach * f_cm * cmm.referenceable_share
        )
