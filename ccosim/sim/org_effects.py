"""Org-structure effects compiled from the OrgGraph into explicit multipliers.

Four mechanisms, each behind its own flag in ``assumptions.effects`` and all behind
``assumptions.org_effects`` (see docs/model.md, "Org-structure effects"):

* hand-off friction: a factor ``exp(-decay * max(0, hops - reference_hops))`` per hand-off
  of the customer journey, from the reporting distance between the two functions;
* executive incentives: the home of customer success tilts its work (cco-basics);
* single retention owner: CS, renewals and onboarding under one executive below the CEO;
* span of control: the direct reports of an overloaded manager lose effectiveness; it acts on
  heads in post every month, so it lives in the workforce (``ccosim.sim.kernels.staff``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ccosim.org.graph import OrgGraph
from ccosim.scenario.assumptions import Assumptions
from ccosim.scenario.schema import Function

__all__ = [
    "HANDOFFS",
    "OrgEffectParams",
    "compile_org_effects",
    "cs_home",
    "phase_weight",
]

#: The hand-offs of the customer journey: (name, from function, to function).
HANDOFFS: tuple[tuple[str, Function, Function], ...] = (
    ("sales_to_onboarding", Function.new_business_sales, Function.onboarding),
    ("sales_to_customer_success", Function.new_business_sales, Function.customer_success),
    ("sales_with_sales_consulting", Function.new_business_sales, Function.sales_consulting),
    ("sales_consulting_to_onboarding", Function.sales_consulting, Function.onboarding),
    ("onboarding_to_customer_success", Function.onboarding, Function.customer_success),
    ("customer_success_to_renewals", Function.customer_success, Function.renewals),
    ("customer_success_with_support", Function.customer_success, Function.support),
    (
        "customer_success_to_customer_marketing",
        Function.customer_success,
        Function.customer_marketing,
    ),
    (
        "professional_services_to_customer_success",
        Function.professional_services,
        Function.customer_success,
    ),
)


@dataclass(frozen=True)
class OrgEffectParams:
    """The org design as numbers the engine multiplies by (1.0 = no effect)."""

    handoff: dict[str, float] = field(default_factory=dict)
    handoff_hops: dict[str, int | None] = field(default_factory=dict)
    cs_home: str = "none"
    cs_health_multiplier: float = 1.0
    cs_lead_multiplier: float = 1.0
    cs_diverted_share: float = 0.0
    single_owner: bool = False
    churn_multiplier: float = 1.0
    expansion_multiplier: float = 1.0
    over_span: tuple[str, ...] = ()


def cs_home(graph: OrgGraph, owner: str) -> str:
    """Classify the executive who owns customer success by what else they own.

    Returns:
        ``"sales"`` if the owner's subtree carries new-business sales; ``"services"`` if it
        carries onboarding or professional services but not renewals; ``"customer"`` otherwise
        (a CCO owning renewals, a CXO, or CS reporting to the CEO).
    """
    if owner == graph.root:
        return "customer"
    functions = {graph.units[u].function for u in graph.subtree(owner)}
    if Function.new_business_sales in functions:
        return "sales"
    if functions & {Function.onboarding, Function.professional_services} and (
        Function.renewals not in functions
    ):
        return "services"
    return "customer"


def compile_org_effects(graph: OrgGraph, a: Assumptions, slots: dict[str, int]) -> OrgEffectParams:
    """Compile the org-structure effects of one org (one period between timeline changes).

    Args:
        graph: The org of the period.
        a: The scenario's assumptions (flags and knobs).
        slots: Unit id -> slot index of the engine's unit arrays.

    Returns:
        Multipliers that are all 1.0 (no effect) where a flag or ``org_effects`` is off.
    """
    on = a.org_effects
    flags = a.effects
    hops: dict[str, int | None] = {name: graph.function_distance(f, t) for name, f, t in HANDOFFS}
    handoff: dict[str, float] = {}
    for name, d in hops.items():
        if on and flags.handoff_friction and d is not None:
            excess = max(0, d - a.handoff.reference_hops)
            decay = a.handoff.decay_per_hop * a.handoff.weights.get(name, 1.0)
            handoff[name] = math.exp(-decay * excess)
        else:
            handoff[name] = 1.0
    owners = graph.executive_owners(Function.customer_success)
    total = sum(owners.values())
    home = "none"
    health_mult, lead_mult, diverted = 1.0, 1.0, 0.0
    if total > 0:
        shares = {}
        for owner, heads in owners.items():
            kind = cs_home(graph, owner)
            shares[kind] = shares.get(kind, 0.0) + heads / total
        home = max(sorted(shares), key=lambda k: shares[k])
        if on and flags.executive_incentives:
            inc = a.incentives
            s_sales, s_cust = shares.get("sales", 0.0), shares.get("customer", 0.0)
            health_mult = (
                1.0
                + s_sales * (inc.sales_health_multiplier - 1.0)
                + s_cust * (inc.customer_health_multiplier - 1.0)
            )
            lead_mult = (
                1.0
                + s_sales * (inc.sales_lead_multiplier - 1.0)
                + s_cust * (inc.customer_lead_multiplier - 1.0)
            )
            diverted = shares.get("services", 0.0) * inc.services_diverted_share
    execs = {
        f: {graph.executive_of(u) for u in graph.units_of(f)}
        for f in (Function.customer_success, Function.renewals, Function.onboarding)
    }
    single = (
        all(len(e) == 1 for e in execs.values())
        and len(set.union(*execs.values())) == 1
        and graph.root not in set.union(*execs.values())
    )
    churn_mult = expansion_mult = 1.0
    if on and flags.single_retention_owner and single:
        churn_mult = a.incentives.single_owner_churn_multiplier
        expansion_mult = a.incentives.single_owner_expansion_multiplier
    return OrgEffectParams(
        handoff=handoff,
        handoff_hops=hops,
        cs_home=home,
        cs_health_multiplier=health_mult,
        cs_lead_multiplier=lead_mult,
        cs_diverted_share=diverted,
        single_owner=single,
        churn_multiplier=churn_mult,
        expansion_multiplier=expansion_mult,
        over_span=tuple(graph.over_span()),
    )


def phase_weight(months: float, ramp_months: float) -> float:
    """Share of an org change's structural effects in force ``months`` after it.

    An S-curve (smoothstep ``3x^2 - 2x^3`` of ``x = months / ramp_months``): slow at first,
    fastest half-way, complete at ``ramp_months`` (docs/model.md, "Phase-in").
    """
    if ramp_months <= 0 or months >= ramp_months:
        return 1.0
    x = max(months, 0.0) / ramp_months
    return x * x * (3 - 2 * x)
