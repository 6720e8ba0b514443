"""Customer experience: the voice of the customer and journey fixes (docs/model.md).

A customer-experience (CX) team hears a share of the base each month (surveys, interviews,
closing the loop with detractors) and turns what it hears into fixes of the customer
journey, which take months to land::

    reach   = min(1, CX heads * accounts_per_head / accounts)
    fixed_m = fixed_{m-1} + (reach - fixed_{m-1}) / fix_months
    effect  = voice_lift * reach + journey_lift * fixed_m     (health points)

The effect joins the month's health target with support's, services' and customer
marketing's. An org without a CX unit reaches nobody and the component adds nothing, so
designs without one run exactly as before.
"""

from __future__ import annotations

import numpy as np

from ccosim.scenario.assumptions import CustomerExperienceModel
from ccosim.sim.params import fcode
from ccosim.sim.workforce import Workforce

__all__ = ["CustomerExperience"]

CX = fcode("customer_experience")


class CustomerExperience:
    """The CX team's reach and the journey fixes landed so far, in one replication.

    Args:
        model: ``assumptions.customer_experience``.
        workforce: Heads per function.
        rec: The ledger's monthly rows (``cx_reach`` is written here).

    Attributes:
        fixed: Share of the journey's friction fixed so far (0-1).
    """

    def __init__(
        self, model: CustomerExperienceModel, workforce: Workforce, rec: dict[str, np.ndarray]
    ) -> None:
        self.model = model
        self.workforce = workforce
        self.rec = rec
        self.fixed = 0.0

    def step(self, month: int, accounts: float) -> float:
        """The month's reach and the journey fixes; returns the health effect (points)."""
        heads = self.workforce.heads[CX]
        m = self.model
        reach = min(1.0, heads * m.accounts_per_head / max(accounts, 1.0)) if heads > 0 else 0.0
        self.fixed += (reach - self.fixed) / m.fix_months
        self.rec["cx_reach"][month] = reach
        if reach == 0.0 and self.fixed == 0.0:
            return 0.0
        return m.voice_lift * reach + m.journey_lift * self.fixed
