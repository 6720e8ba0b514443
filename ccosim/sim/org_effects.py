"""Org-structure effects compiled from the OrgGraph into explicit multipliers.

Five mechanisms, each behind its own flag in ``assumptions.effects`` and all behind
``assumptions.org_effects`` (see docs/model.md, "Org-structure effects"):

* hand-off friction: a factor ``exp(-decay * max(0, hops - reference_hops))`` per hand-off
  of the customer journey, from the reporting distance between the two functions;
* executive incentives: the home of customer success tilts its work (cco-basics);
* single retention owner: CS, renewals and onboarding under one executive below the CEO;
* span of control: the direct reports of an overloaded manager lose effectiveness; it acts on
  heads in post every month, so it lives in the workforce (``ccosim.sim.kernels.staff``);
* executive attention and mandate: the effects that need an executive (a hand-off they
  settle, the home of CS they own, the single owner) scale with the executive's attention
  (diluted when over span) times the seat's mandate (docs/model.md, "Executives").
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
    "attention",
    "compile_org_effects",
    "cs_home",
    "executive_quality",
    "phase_weight",
    "post_sale_owner",
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
    #: Attention x mandate of the executive who owns customer success (1: in full).
    owner_quality: float = 1.0


def attention(graph: OrgGraph, a: Assumptions, unit: str) -> float:
    """Share of an executive's attention each report gets: 1 within the span limit.

    ``1 - attention_penalty * (1 - limit / span)`` beyond it: with the default penalty of 1,
    attention is split evenly, so a CEO with 13 reports and a limit of 8 gives each 8/13.
    """
    span, limit = graph.span(unit), graph.span_limit(unit)
    if span <= limit or span <= 0:
        return 1.0
    return max(0.0, 1.0 - a.leadership.attention_penalty * (1.0 - limit / span))


def _owner(graph: OrgGraph, unit: str) -> str:
    """The executive over ``unit``: its executive-function unit below the CEO, else the CEO."""
    top = graph.executive_of(unit)
    return top if graph.units[top].function == Function.executive else graph.root


def executive_quality(
    graph: OrgGraph, a: Assumptions, executive: str, post_sale: bool = False
) -> float:
    """Attention times mandate of an executive: the share of its effects it delivers.

    1.0 with ``effects.executive_attention`` (or ``org_effects``) off. The mandate is the
    seat's (:class:`ccosim.scenario.schema.Mandate`), 1 for a unit without a seat; for the
    effects that need an owner of the post-sale functions (``post_sale``), the CEO's is
    ``leadership.ceo_owner_mandate``.
    """
    if not (a.org_effects and a.effects.executive_attention):
        return 1.0
    seat = graph.units[executive].seat
    mandate = 1.0 if seat is None else seat.mandate.share
    if post_sale and executive == graph.root:
        mandate = a.leadership.ceo_owner_mandate
    return attention(graph, a, executive) * mandate


def post_sale_owner(graph: OrgGraph) -> str | None:
    """The one executive below the CEO owning customer success, renewals and onboarding."""
    execs: set[str] = set()
    for f in (Function.customer_success, Function.renewals, Function.onboarding):
        owners = {_owner(graph, u) for u in graph.units_of(f)}
        if len(owners) != 1:
            return None
        execs |= owners
    if len(execs) != 1:
        return None
    (owner,) = execs
    return None if owner == graph.root else owner


def _main_owner(graph: OrgGraph, function: Function) -> str | None:
    """The executive owning most of a function's heads (:func:`_owner`); None if absent."""
    heads: dict[str, float] = {}
    for unit in graph.units_of(function):
        owner = _owner(graph, unit)
        heads[owner] = heads.get(owner, 0.0) + graph.headcount(unit)
    return max(sorted(heads), key=lambda k: heads[k]) if heads else None


def _meeting(graph: OrgGraph, f: Function, t: Function) -> str:
    """The executive who settles a hand-off: the one owner of both functions, else the CEO."""
    owners = {_main_owner(graph, f), _main_owner(graph, t)}
    owners.discard(None)
    return owners.pop() if len(owners) == 1 else graph.root  # type: ignore[return-value]


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


def _unattended_hops(graph: OrgGraph, a: Assumptions, f: Function, t: Function) -> float:
    """Extra hops a hand-off behaves as if it had, for want of an executive attending to it.

    Met under one executive below the CEO: ``(1 - q) * unattended_hops`` with ``q`` that
    executive's quality. Met at the CEO: ``(1 - q) * unattended_hops / 2`` for each side whose
    team reports straight to the CEO (no executive of its own), ``q`` the CEO's quality.
    """
    post_sale = Function.new_business_sales not in (f, t)
    meet = _meeting(graph, f, t)
    q = executive_quality(graph, a, meet, post_sale)
    if q >= 1.0:
        return 0.0
    hops = a.leadership.unattended_hops
    if meet != graph.root:
        return (1 - q) * hops
    sides = sum(1 for function in (f, t) if _main_owner(graph, function) == graph.root)
    return (1 - q) * hops / 2 * sides


def _handoffs(graph: OrgGraph, a: Assumptions) -> tuple[dict[str, float], dict[str, int | None]]:
    """Each hand-off's factor: ``exp(-decay * weight * max(0, hops + extra - reference_hops))``.

    ``extra`` is :func:`_unattended_hops`: the hops a hand-off loses for want of an executive
    attending to it (0 with ``effects.executive_attention`` off).
    """
    on = a.org_effects and a.effects.handoff_friction
    hops: dict[str, int | None] = {name: graph.function_distance(f, t) for name, f, t in HANDOFFS}
    handoff: dict[str, float] = {}
    for name, f, t in HANDOFFS:
        d = hops[name]
        if not on or d is None:
            handoff[name] = 1.0
            continue
        decay = a.handoff.decay_per_hop * a.handoff.weights.get(name, 1.0)
        excess = max(0.0, d + _unattended_hops(graph, a, f, t) - a.handoff.reference_hops)
        handoff[name] = math.exp(-decay * excess)
    return handoff, hops


def _cs_incentives(graph: OrgGraph, a: Assumptions) -> tuple[str, float, float, float, float]:
    """Home of CS, its health and lead multipliers, diverted share, and the owner's quality.

    Each executive owning CS heads (the CEO for CS teams reporting to the CEO) weighs in by
    its share of CS heads; its home's multipliers act in proportion to its quality ``q``, and
    the rest ``1 - q`` of its CS capacity is pulled into reactive work at
    ``leadership.unowned_diverted_share``.
    """
    owners: dict[str, float] = {}
    for unit in graph.units_of(Function.customer_success):
        owner = _owner(graph, unit)
        owners[owner] = owners.get(owner, 0.0) + graph.headcount(unit)
    total = sum(owners.values())
    if total <= 0:
        return "none", 1.0, 1.0, 0.0, 1.0
    shares: dict[str, float] = {}
    for owner, heads in owners.items():
        kind = cs_home(graph, owner)
        shares[kind] = shares.get(kind, 0.0) + heads / total
    home = max(sorted(shares), key=lambda k: shares[k])
    quality = sum(executive_quality(graph, a, o, True) * h / total for o, h in owners.items())
    if not (a.org_effects and a.effects.executive_incentives):
        return home, 1.0, 1.0, 0.0, quality
    inc = a.incentives
    health = {"sales": inc.sales_health_multiplier, "customer": inc.customer_health_multiplier}
    lead = {"sales": inc.sales_lead_multiplier, "customer": inc.customer_lead_multiplier}
    health_mult, lead_mult, diverted = 1.0, 1.0, 0.0
    for owner, heads in owners.items():
        kind, share = cs_home(graph, owner), heads / total
        q = executive_quality(graph, a, owner, True)
        health_mult += share * q * (health.get(kind, 1.0) - 1.0)
        lead_mult += share * q * (lead.get(kind, 1.0) - 1.0)
        if kind == "services":
            diverted += share * inc.services_diverted_share
        diverted += share * (1 - q) * a.leadership.unowned_diverted_share
    return home, health_mult, lead_mult, diverted, quality


def compile_org_effects(graph: OrgGraph, a: Assumptions, slots: dict[str, int]) -> OrgEffectParams:
    """Compile the org-structure effects of one org (one period between timeline changes).

    Args:
        graph: The org of the period.
        a: The scenario's assumptions (flags and knobs).
        slots: Unit id -> slot index of the engine's unit arrays.

    Returns:
        Multipliers that are all 1.0 (no effect) where a flag or ``org_effects`` is off.
    """
    handoff, hops = _handoffs(graph, a)
    home, health_mult, lead_mult, diverted, quality = _cs_incentives(graph, a)
    owner = post_sale_owner(graph)
    churn_mult = expansion_mult = 1.0
    if a.org_effects and a.effects.single_retention_owner and owner is not None:
        q = executive_quality(graph, a, owner)
        churn_mult = 1.0 + q * (a.incentives.single_owner_churn_multiplier - 1.0)
        expansion_mult = 1.0 + q * (a.incentives.single_owner_expansion_multiplier - 1.0)
    return OrgEffectParams(
        handoff=handoff,
        handoff_hops=hops,
        cs_home=home,
        cs_health_multiplier=health_mult,
        cs_lead_multiplier=lead_mult,
        cs_diverted_share=diverted,
        single_owner=owner is not None,
        churn_multiplier=churn_mult,
        expansion_multiplier=expansion_mult,
        over_span=tuple(graph.over_span()),
        owner_quality=quality,
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
