"""Support: tickets against agents, a backlog carried from month to month.

Tickets arrive in proportion to the accounts; agents (plus the share of CSMs' time diverted
to support work) close them; response time scales with load, and service below its reference
hurts health, through the hand-off between customer success and support (docs/model.md,
"Support").
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ccosim.scenario.assumptions import SupportModel
from ccosim.sim.params import fcode
from ccosim.sim.structure import Structure
from ccosim.sim.workforce import Workforce

__all__ = ["Support", "SupportOutcome", "support"]

WORKING_DAYS = 21.7


class SupportOutcome(NamedTuple):
    """One month of support (a named tuple: made every month, it must be cheap)."""

    closed: float
    backlog: float
    response_hours: float
    service: float


def support(tickets: float, backlog: float, capacity: float, a: SupportModel) -> SupportOutcome:
    """Tickets against agent capacity; response time scales with load.

    ``load = (tickets + backlog) / capacity``; a share ``backlog_lapse`` of what stays open is
    abandoned by the customer each month; ``response = reference_response_hours * load /
    reference_load``; ``service = reference_response / response`` (1.0 at reference load).
    """
    work = tickets + backlog
    closed = min(work, capacity)
    # No agents at all: response as at ten times the reference load (bounded, not infinite).
    load = work / capacity if capacity > 0 else (10.0 * a.reference_load if work > 0 else 0.0)
    response = a.reference_response_hours * max(load, 1e-3) / a.reference_load
    service = a.reference_response_hours / response
    return SupportOutcome(closed, (work - closed) * (1 - a.backlog_lapse), response, service)


class Support:
    """The support function of one replication: its backlog and its monthly measures.

    Args:
        model: The support assumptions.
        workforce: Heads per function.
        structure: The structural effects in force.
        rec: The ledger's monthly rows.
    """

    def __init__(
        self,
        model: SupportModel,
        workforce: Workforce,
        structure: Structure,
        rec: dict[str, np.ndarray],
    ) -> None:
        self.model = model
        self.workforce = workforce
        self.structure = structure
        self.rec = rec
        self.function = fcode("support")
        self.backlog = 0.0

    def step(self, month: int, accounts: float, diverted: float) -> float:
        """Tickets vs agents (plus CSMs diverted to support work); returns the health effect."""
        sm = self.model
        agents = self.workforce.heads[self.function]
        capacity = (agents + diverted * sm.csm_ticket_share) * sm.tickets_per_agent_month
        tickets = sm.tickets_per_account_month * accounts
        out = support(tickets, self.backlog, capacity, sm)
        self.backlog = out.backlog
        gap = min(max(out.service - 1, -1.0), 0.5)
        f = self.structure.effects.handoff["customer_success_with_support"]
        support_cost = float(self.workforce.cost_by_function()[self.function])
        filled_agents = self.structure.filled(self.function)
        rec = self.rec
        rec["support_tickets"][month] = tickets
        rec["support_closed"][month] = out.closed
        rec["support_backlog"][month] = out.backlog
        rec["support_response_hours"][month] = out.response_hours
        rec["support_tickets_per_rep_day"][month] = (
            out.closed / filled_agents / WORKING_DAYS if filled_agents > 0 else np.nan
        )
        rec["support_cost_per_ticket"][month] = (
            support_cost / out.closed if out.closed > 0 else np.nan
        )
        return sm.health_weight * gap * ((2 - f) if gap < 0 else f)
