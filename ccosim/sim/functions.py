"""How each customer-facing function turns productive heads into service.

Small pure functions of capacity and demand; each returns the function's primary measurement
(mehta2016) and a service figure that is exactly at its reference (no health effect) when the
function is staffed to its reference level. The engine (:mod:`ccosim.sim.model`) decides how
much of each service reaches the customer, through hand-offs and incentives.
"""

from __future__ import annotations

from typing import NamedTuple

from ccosim.scenario.assumptions import (
    ProfessionalServicesModel,
    SupportModel,
)

__all__ = [
    "SupportOutcome",
    "professional_services",
    "support",
]


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
