"""Professional services: hours demanded by the accounts against consultants' hours.

Billed hours are revenue; demand the consultants cannot meet hurts health, the more so with
a poor hand-off from professional services to customer success (docs/model.md,
"Professional services").
"""

from __future__ import annotations

import numpy as np

from ccosim.scenario.assumptions import ProfessionalServicesModel
from ccosim.sim.params import fcode
from ccosim.sim.structure import Structure
from ccosim.sim.workforce import Workforce

__all__ = ["ProfessionalServices", "professional_services"]

PS = fcode("professional_services")


def professional_services(
    demand_hours: float, consultants: float, a: ProfessionalServicesModel
) -> tuple[float, float, float]:
    """Demanded vs available hours.

    Returns:
        (billed hours, utilization = billed / available, unmet share of demand).
    """
    available = consultants * a.available_hours_per_consultant_month
    billed = min(demand_hours, available * a.max_utilization)
    utilization = billed / available if available > 0 else 0.0
    unmet = 1 - billed / demand_hours if demand_hours > 0 else 0.0
    return billed, utilization, unmet


class ProfessionalServices:
    """The professional-services function of one replication.

    Args:
        model: The professional-services assumptions.
        hours: Hours an account of each segment asks for a month.
        workforce: Heads per function.
        structure: The structural effects in force.
        rec: The ledger's monthly rows.
    """

    def __init__(
        self,
        model: ProfessionalServicesModel,
        hours: np.ndarray,
        workforce: Workforce,
        structure: Structure,
        rec: dict[str, np.ndarray],
    ) -> None:
        self.model = model
        self.hours = hours.tolist()
        self.workforce = workforce
        self.structure = structure
        self.rec = rec

    def step(self, month: int, accounts: list[float]) -> float:
        """Demanded vs available hours; returns the health effect of unmet demand."""
        consultants = self.workforce.heads[PS]
        demand = 0.0
        for hours, count in zip(self.hours, accounts, strict=True):
            demand += hours * count
        billed, util, unmet = professional_services(demand, consultants, self.model)
        f = self.structure.effects.handoff["professional_services_to_customer_success"]
        rec = self.rec
        rec["ps_demand_hours"][month] = demand
        rec["ps_billed_hours"][month] = billed
        rec["ps_utilization"][month] = util if consultants > 0 else np.nan
        return -self.model.unmet_penalty * unmet * (2 - f)
