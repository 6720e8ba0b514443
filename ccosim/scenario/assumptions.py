"""Model assumptions: every knob of every mechanism, with its default and where it comes from.

Each default either cites a row of ``benchmarks.md`` (copied into ``docs/model.md``) or says
plainly that it is an assumption. A strategist who disagrees changes it in the scenario's
``assumptions:`` block, or on the command line with ``--set assumptions.PATH=VALUE``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from ccosim.scenario.plain import ScenarioModel

__all__ = [
    "DEFAULT_SALARY",
    "HANDOFF_NAMES",
    "SALARY_SOURCES",
    "Assumptions",
    "Costs",
    "CustomerMarketingModel",
    "CustomerSuccessModel",
    "FinanceModel",
    "HandoffModel",
    "HealthBands",
    "HealthModel",
    "IncentivesModel",
    "LeadershipModel",
    "NewBusinessModel",
    "OnboardingModel",
    "OrgEffects",
    "ProfessionalServicesModel",
    "RenewalsModel",
    "SalesConsultingModel",
    "SpanPolicy",
    "SupportModel",
    "TrainingModel",
    "TransitionModel",
    "WorkforceModel",
]

_TOUCHES = ("high", "pooled", "digital")

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]

#: Largest money amount per account or per head a year, in currency units (assumption: far
#: above any contract or pay in any currency; it keeps a million accounts' sums finite).
MAX_MONEY = 1e12


class _Strict(ScenarioModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class HealthBands(_Strict):
    """Health-score bands (Gainsight's: red 0-50, yellow 51-75, green 76-100)."""

    red_max: float = Field(default=50.0, ge=0, le=100, description="Highest score still red.")
    yellow_max: float = Field(default=75.0, ge=0, le=100, description="Highest score still yellow.")

    @model_validator(mode="after")
    def _ordered(self) -> HealthBands:
        if self.red_max >= self.yellow_max:
            raise ValueError("red_max must be below yellow_max")
        return self


class SpanPolicy(_Strict):
    """Span-of-control limits used to flag managers (benchmarks 10.1-10.3)."""

    limit: int = Field(
        default=10,
        ge=1,
        description="Direct reports a manager handles well (benchmarks 10.3: 8-10).",
    )
    ceo_limit: int = Field(
        default=8,
        ge=1,
        description="The CEO's limit (benchmarks 10.1: about 5 to 10 in large firms).",
    )
    overload_penalty: float = Field(
        default=0.5,
        ge=-1,
        le=1,
        description="Share of a head lost for each direct report beyond an overloaded "
        "manager's limit, on that manager's own reports (assumption; 0 turns it off).",
    )
    min_effectiveness: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Floor of the span effect on a subtree (assumption).",
    )


class OrgEffects(_Strict):
    """Switches for the org-structure mechanisms; ``assumptions.org_effects`` gates them all."""

    handoff_friction: bool = Field(default=True, description="Hand-offs decay with distance.")
    executive_incentives: bool = Field(default=True, description="The owner's incentives tilt CS.")
    single_retention_owner: bool = Field(
        default=True, description="One executive owning CS, renewals and onboarding helps."
    )
    span_of_control: bool = Field(default=True, description="Overloaded managers lose effect.")
    executive_attention: bool = Field(
        default=True,
        description="The effects that need an executive scale with its attention (diluted "
        "over span) and its seat's mandate.",
    )


def _by_touch(high: float, pooled: float, digital: float) -> dict[str, float]:
    return {"high": high, "pooled": pooled, "digital": digital}


class _ByTouch(_Strict):
    @model_validator(mode="before")
    @classmethod
    def _fill_touches(cls, data: object) -> object:
        # Overriding one touch model's figure keeps the defaults of the other two.
        if isinstance(data, dict):
            data = dict(data)
            for name, info in cls.model_fields.items():
                value = data.get(name)
                if isinstance(value, dict) and info.default_factory is not None:
                    unknown = set(value) - set(_TOUCHES)
                    if unknown:
                        raise ValueError(f"{name}: touch models are {', '.join(_TOUCHES)}")
                    data[name] = {**info.default_factory(), **value}  # type: ignore[call-arg]
        return data


class HealthModel(_Strict):
    """Account health: monthly mean reversion toward a service-driven target, and its effects.

    Health h is a latent score; the reported score is h clipped to 0-100. Each month
    ``h += reversion * (target - h) + noise_sd * N(0, 1)``. At the reference service level the
    target is ``reference`` and h is stationary normal with sd ``noise_sd / sqrt(1 - (1 -
    reversion)^2)``; churn and expansion probabilities are normalised over that distribution so
    that, at reference service, they equal the segment's ``base_churn`` and ``expansion_rate``.
    """

    reference: float = Field(
        default=65.0,
        ge=0,
        le=100,
        description="Mean health at the reference service level (assumption; with the defaults "
        "about 11% of accounts are red, benchmarks 7.7 aims for 10-15%).",
    )
    reversion: float = Field(
        default=0.2,
        gt=0,
        le=1,
        description="Share of the gap to the target closed each month (assumption).",
    )
    noise_sd: float = Field(
        default=7.2,
        ge=0,
        le=50,
        description="Monthly health noise sd (assumption: stationary sd 12 points).",
    )
    churn_sensitivity: float = Field(
        default=0.04,
        ge=0,
        le=1,
        description="beta: churn odds multiply by exp(-beta) per health point (assumption: a "
        "red account 20 points below reference churns ~2.2x; benchmarks 4.8 direction).",
    )
    expansion_sensitivity: float = Field(
        default=0.03,
        ge=0,
        le=1,
        description="gamma: expansion chance multiplies by exp(gamma) per health point "
        "(assumption).",
    )
    expansion_probability: float = Field(
        default=0.3,
        gt=0,
        le=1,
        description="Share of renewals that expand at reference health; the size is "
        "expansion_rate / this (assumption).",
    )
    contraction_probability: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description="Share of renewals that contract at reference health (assumption).",
    )
    midterm_share: float = Field(
        default=0.25,
        ge=0,
        lt=1,
        description="Share of expansion_rate booked mid-term as upsell rather than at renewal "
        "(assumption; benchmarks 7.4: upsell 16% of new ACV).",
    )
    midterm_lead_rate: float = Field(
        default=0.01,
        gt=0,
        le=1,
        description="Mid-term upsell leads per account-month at reference (assumption).",
    )


class CustomerSuccessModel(_ByTouch):
    """Customer success: coverage (accounts per CSM against the segment target) lifts health."""

    accounts_per_csm: dict[str, Positive] = Field(
        default_factory=lambda: _by_touch(12.0, 60.0, 300.0),
        description="Default target accounts per CSM by touch model, for segments that give "
        "none (benchmarks 3.4: enterprise 1:5-15, mid-market 1:20-75, SMB 1:100-500+).",
    )
    health_lift: float = Field(
        default=8.0,
        ge=0,
        le=50,
        description="Health points between no CS and full coverage (assumption).",
    )
    max_coverage: float = Field(
        default=1.5,
        ge=1,
        le=5,
        description="Coverage above target counts up to this ratio (assumption).",
    )
    lead_floor: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Share of reference upsell leads that arise with no CS coverage "
        "(product-led; assumption).",
    )


class SupportModel(_Strict):
    """Support: tickets against agent capacity; response time moves health."""

    tickets_per_account_month: float = Field(
        default=0.75,
        ge=0,
        description="Tickets per account-month (benchmarks 4.6: 0.5-1.0 typical).",
    )
    tickets_per_agent_month: float = Field(
        default=160.0,
        gt=0,
        description="Tickets one agent closes a month, ~7.4 a working day (assumption; "
        "benchmarks 4.5: 40 simple tickets per shift).",
    )
    backlog_lapse: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Share of the unanswered backlog customers give up on each month "
        "(assumption; they count as unresolved, benchmarks 4.8).",
    )
    reference_load: float = Field(
        default=0.85,
        gt=0,
        le=1.5,
        description="Load (tickets / capacity) at which response time is the reference "
        "(assumption).",
    )
    reference_response_hours: float = Field(
        default=7.0,
        gt=0,
        description="First response time at the reference load (benchmarks 4.1: median 7 h).",
    )
    health_weight: float = Field(
        default=6.0,
        ge=0,
        le=50,
        description="Health points per unit of service deviation (reference / actual response "
        "- 1, clipped to -1..+0.5); assumption, direction from benchmarks 4.8-4.9.",
    )
    csm_ticket_share: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="A diverted CSM closes this share of an agent's tickets (assumption).",
    )


class OnboardingModel(_ByTouch):
    """Onboarding: an implementation queue; waiting lowers early health."""

    projects_per_consultant_month: float = Field(
        default=8.0,
        gt=0,
        description="Mid-market-equivalent projects one consultant starts a month "
        "(assumption, consistent with the shipped 90 new accounts per head a year).",
    )
    effort: dict[str, NonNegative] = Field(
        default_factory=lambda: _by_touch(3.0, 1.0, 0.5),
        description="Project effort by touch model, mid-market = 1 (assumption).",
    )
    duration_months: dict[str, Positive] = Field(
        default_factory=lambda: _by_touch(3.0, 1.0, 0.25),
        description="Project duration by touch model (benchmarks 6.2: SMB 1-2 weeks, "
        "mid-market 2-4 weeks; 6.3: enterprise 3-6 months).",
    )
    wait_penalty: float = Field(
        default=4.0,
        ge=0,
        le=50,
        description="Early-health points lost per month of waiting (assumption; benchmarks "
        "6.5: late go-live renews 14 points lower).",
    )
    max_penalty: float = Field(
        default=20.0, ge=0, le=100, description="Cap of the early-health penalty (assumption)."
    )
    penalty_decay: float = Field(
        default=0.9,
        ge=0,
        le=1,
        description="Monthly persistence of early-health penalties (assumption: half-life "
        "about 6.6 months).",
    )


class TrainingModel(_Strict):
    """Training: every account needs training once a year; untrained accounts are less healthy."""

    trainings_per_trainer_month: float = Field(
        default=50.0,
        gt=0,
        description="Accounts one trainer trains a month (assumption, consistent with the "
        "shipped 600 accounts per trainer).",
    )
    retrain_months: int = Field(
        default=12, ge=1, le=60, description="An account is due again after this (assumption)."
    )
    untrained_penalty: float = Field(
        default=3.0,
        ge=0,
        le=50,
        description="Health points an overdue (untrained) account loses (assumption).",
    )


class ProfessionalServicesModel(_ByTouch):
    """Professional services: demanded vs available hours; unmet demand hurts health."""

    hours_per_account_month: dict[str, NonNegative] = Field(
        default_factory=lambda: _by_touch(3.0, 0.8, 0.08),
        description="Services hours demanded per account-month by touch model (assumption: at "
        "the shipped 300 accounts per consultant, utilization ~68%, benchmarks 5.1).",
    )
    available_hours_per_consultant_month: float = Field(
        default=140.0, gt=0, description="Available hours a consultant-month (assumption)."
    )
    max_utilization: float = Field(
        default=0.85,
        gt=0,
        le=1,
        description="Utilization ceiling (benchmarks 5.2: above 85% risks burnout).",
    )
    unmet_penalty: float = Field(
        default=5.0,
        ge=0,
        le=50,
        description="Health points lost at 100% unmet demand (assumption).",
    )
    bill_rate: float = Field(
        default=150.0,
        ge=0,
        description="Revenue per billed hour (benchmarks 5.3: $206k per consultant a year "
        "at ~70% utilization of ~1,900 hours).",
    )


class RenewalsModel(_Strict):
    """Renewals (installed-base sales): renewals and upsell leads worked per rep-month."""

    deals_per_rep_month: float = Field(
        default=48.0,
        gt=0,
        description="Renewals or upsell leads one rep works a month (assumption; the shipped "
        "ratio is 450 renewals a rep-year).",
    )
    unworked_churn_multiplier: float = Field(
        default=1.25,
        ge=1,
        le=5,
        description="Churn of a renewal nobody works (assumption).",
    )
    unworked_expansion_multiplier: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Expansion of a renewal nobody works (assumption).",
    )
    upsell_conversion_without_reps: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="With no renewals unit, share of mid-term upsell leads CSMs and account "
        "executives convert (assumption: half of what a team with spare capacity converts).",
    )
    quota_renewal_target: float = Field(
        default=1.0,
        ge=0,
        le=3,
        description="Installed-base quota = ARR falling due x this (assumption: renew the base).",
    )


class CustomerMarketingModel(_Strict):
    """Customer marketing: references, advocacy, community and events."""

    accounts_per_marketer: float = Field(
        default=700.0,
        gt=0,
        description="Accounts one customer marketer's programs reach (assumption).",
    )
    health_lift: float = Field(
        default=1.5,
        ge=0,
        le=50,
        description="Health points between no programs and full reach (assumption).",
    )
    referenceable_share: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description="Share of reached green accounts that become references (assumption).",
    )


class CustomerExperienceModel(_Strict):
    """Customer experience: the voice of the customer and fixes to the customer journey.

    A customer-experience team hears a share of the base (surveys, interviews, closing the
    loop with detractors) and turns what it hears into fixes of the journey; neither effect
    is measured for B2B SaaS (benchmarks 4.8-4.9 give the direction only), so both sizes are
    assumptions with ranges that include no effect at all.
    """

    accounts_per_head: float = Field(
        default=1000.0,
        gt=0,
        description="Accounts one customer-experience head's programs hear (assumption).",
    )
    voice_lift: float = Field(
        default=1.0,
        ge=0,
        le=50,
        description="Health points of hearing every account and closing the loop (assumption).",
    )
    journey_lift: float = Field(
        default=2.0,
        ge=0,
        le=50,
        description="Health points of the journey fixes once they have landed (assumption).",
    )
    fix_months: float = Field(
        default=12.0,
        ge=1,
        le=120,
        description="Months for journey fixes to close most of the way to their effect "
        "(assumption).",
    )


class SalesConsultingModel(_Strict):
    """Sales consulting: pre-sales fit review ("sell to the right customer")."""

    reviews_per_consultant_month: float = Field(
        default=12.0, gt=0, description="Deals one sales consultant reviews a month (assumption)."
    )
    fit_threshold: float = Field(
        default=0.15,
        ge=0,
        le=1,
        description="Reviewed deals with fit below this are not closed (assumption).",
    )
    fit_churn_sensitivity: float = Field(
        default=1.5,
        ge=0,
        le=10,
        description="Churn multiplies by exp(-this x (fit - 0.5)), normalised over uniform fit "
        "(assumption).",
    )


class NewBusinessModel(_Strict):
    """New-business sales capacity: account executives close up to their quota."""

    ae_quota: float = Field(
        default=700_000.0,
        gt=0,
        description="New ARR one ramped AE can close a year; also the quota (assumption: about "
        "4.7x a $150k OTE).",
    )


#: The hand-offs of the customer journey (see ccosim.sim.org_effects.HANDOFFS).
HANDOFF_NAMES: tuple[str, ...] = (
    "sales_to_onboarding",
    "sales_to_customer_success",
    "sales_with_sales_consulting",
    "sales_consulting_to_onboarding",
    "onboarding_to_customer_success",
    "customer_success_to_renewals",
    "customer_success_with_support",
    "customer_success_to_customer_marketing",
    "professional_services_to_customer_success",
)


class HandoffModel(_Strict):
    """Hand-off friction: what one function passes to the next decays with reporting distance."""

    decay_per_hop: float = Field(
        default=0.1,
        ge=-1,
        le=5,
        description="Share of the hand-off lost per hop beyond reference_hops (assumption; 0 "
        "turns hand-off friction off, a negative value makes distance help).",
    )
    reference_hops: int = Field(
        default=2,
        ge=0,
        le=20,
        description="Hops with no friction: two teams whose leaders report to the same "
        "manager (a property of the hop count, not of any design; assumption).",
    )
    onboarding_gap_penalty: float = Field(
        default=5.0,
        ge=-50,
        le=50,
        description="Early-health points lost when onboarding hands to CS with no context at "
        "all (scaled by 1 - factor; assumption).",
    )
    signing_gap_penalty: float = Field(
        default=3.0,
        ge=-50,
        le=50,
        description="Early-health points lost when the account executive hands the signed "
        "customer to onboarding and CS with no context (scaled by 1 - the product of the two "
        "factors; assumption).",
    )
    deal_support_weight: float = Field(
        default=0.2,
        ge=-1,
        le=1,
        description="Share of deals that need sales-consulting support to close; they are "
        "won x the sales <-> sales-consulting factor (assumption; sales consultants are "
        "'necessary to help close deals').",
    )
    weights: dict[str, float] = Field(
        default_factory=lambda: dict.fromkeys(HANDOFF_NAMES, 1.0),
        description="Per hand-off multiplier of decay_per_hop (assumption: 1 for every "
        "hand-off; 0 removes one hand-off's friction, a negative value reverses it).",
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_weights(cls, data: object) -> object:
        # Setting one hand-off's weight keeps the others at 1; an unknown name is an error.
        if isinstance(data, dict) and isinstance(data.get("weights"), dict):
            unknown = set(data["weights"]) - set(HANDOFF_NAMES)
            if unknown:
                raise ValueError(
                    f"weights: unknown hand-off {', '.join(sorted(unknown))}; "
                    f"hand-offs are {', '.join(HANDOFF_NAMES)}"
                )
            data = {**data, "weights": {**dict.fromkeys(HANDOFF_NAMES, 1.0), **data["weights"]}}
        return data


class IncentivesModel(_Strict):
    """Incentives of the executive who owns customer success (cco-basics)."""

    sales_lead_multiplier: float = Field(
        default=1.3,
        ge=0,
        le=5,
        description="CS under Sales: upsell leads created (assumption: drifts to expansion).",
    )
    sales_health_multiplier: float = Field(
        default=0.75,
        ge=0,
        le=2,
        description="CS under Sales: health value of coverage (assumption: less adoption work).",
    )
    services_diverted_share: float = Field(
        default=0.2,
        ge=-1,
        le=1,
        description="CS under Services: share of CS capacity spent on support/services work "
        "(assumption).",
    )
    customer_health_multiplier: float = Field(
        default=1.0,
        ge=0,
        le=2,
        description="CS under a customer executive (a CCO, a CXO or the CEO): health value of "
        "coverage (assumption: 1, the reference; set it to weigh that home's own pull).",
    )
    customer_lead_multiplier: float = Field(
        default=1.0,
        ge=0,
        le=5,
        description="CS under a customer executive: upsell leads created (assumption: 1).",
    )
    single_owner_churn_multiplier: float = Field(
        default=0.95,
        ge=0,
        le=2,
        description="One executive below the CEO owns CS, renewals and onboarding: churn "
        "multiplier (assumption).",
    )
    single_owner_expansion_multiplier: float = Field(
        default=1.05,
        ge=0,
        le=2,
        description="Same: expansion multiplier (assumption).",
    )


class LeadershipModel(_Strict):
    """Executives as people: attention, mandate, tenure and refill (docs/model.md, "Executives")."""

    attention_penalty: float = Field(
        default=1.0,
        ge=0,
        le=1,
        description="How much of an over-span executive's overload dilutes the effects that "
        "need the executive: attention = 1 - penalty * (1 - limit / span) (assumption: 1, "
        "attention split evenly over the reports; 0 turns executive attention off).",
    )
    unattended_hops: float = Field(
        default=2.0,
        ge=0,
        le=10,
        description="Hops a hand-off that its executive does not attend to behaves as if it "
        "were further apart (assumption: 2, as if it met one manager further up).",
    )
    unowned_diverted_share: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="Share of CS capacity pulled into support and project work when the "
        "executive who owns CS gives it no attention or mandate (assumption: as much as a "
        "Services owner diverts, incentives.services_diverted_share).",
    )
    ceo_owner_mandate: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="Mandate of the CEO as owner of post-sale teams that report to the CEO "
        "directly: scales their alignment and their hand-offs to each other (assumption: 0, "
        "a CEO who owns post-sales beside every other function is not an owner of net "
        "retention; mark-cco: that owner needs metrics of their own).",
    )
    turnover: bool = Field(
        default=True,
        description="Executives with a tenure may leave (false: every executive stays for "
        "the horizon, for the value without turnover).",
    )
    owner_tenure_months: float = Field(
        default=29.4,
        gt=0,
        le=600,
        description="Mean tenure of the executive who owns the post-sale functions (a CCO) "
        "(benchmarks 10.4: CCO Council, average CCO tenure 29.4 months).",
    )
    executive_tenure_months: float = Field(
        default=60.0,
        gt=0,
        le=600,
        description="Mean tenure of other executives whose seat turns turnover on "
        "(assumption: five years).",
    )
    effects_decay_months: float = Field(
        default=6.0,
        ge=0,
        le=60,
        description="Months over which the effects that need a leader fade after the leader "
        "leaves (assumption: a team keeps its habits for about two quarters).",
    )


class WorkforceModel(_Strict):
    """Workforce defaults for units whose staffing leaves them out, and reorganisation costs."""

    time_to_fill_months: float = Field(
        default=3.0, ge=0, le=36, description="Default time to fill (assumption)."
    )
    ramp_months: float = Field(
        default=3.0,
        ge=0,
        le=36,
        description="Default linear ramp to full productivity (benchmarks 12.6: CSM ~90 days).",
    )
    attrition_rate: float = Field(
        default=0.12,
        ge=0,
        le=1,
        description="Default annual attrition, backfilled (assumption; benchmarks 12.2 gives "
        "30-45% for contact centres only).",
    )
    move_dip: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description="Productivity lost by a moved team right after the move (assumption).",
    )
    move_dip_months: float = Field(
        default=3.0,
        ge=0,
        le=24,
        description="Months over which the move dip recovers linearly (assumption).",
    )
    layoffs: bool = Field(
        default=False,
        description="Lay off heads in post above a falling ratio or plan target, paying "
        "transition.severance_months (default false: requisitions are cancelled and leavers "
        "above the target are not replaced, but no one is laid off).",
    )
    executive_time_to_fill_months: float = Field(
        default=5.0,
        ge=0,
        le=36,
        description="Default time to fill of an executive unit: a C-level retained search "
        "(assumption: 4-6 months is the usual quote for a C-level search).",
    )


class TransitionModel(_Strict):
    """What an org change costs and how long its structural effects take to arrive."""

    effects_ramp_months: float = Field(
        default=24.0,
        ge=0,
        le=120,
        description="Months over which the structural effects of an org change (hand-offs, "
        "incentives, single owner) move from the old org's values to the new one's, along an "
        "S-curve (assumption; hubbard: "
        "a CCO's impact 'takes years', it does not come with the appointment).",
    )
    search_fee_share: float = Field(
        default=0.3,
        ge=0,
        le=2,
        description="Executive search fee as a share of the executive's first-year loaded "
        "cost, paid when an executive unit is added, starts vacant or is refilled after its "
        "holder leaves (benchmarks 13.4: retained searches charge 25-38% of first-year pay).",
    )
    severance_months: float = Field(
        default=6.0,
        ge=0,
        le=36,
        description="Months of loaded cost paid to each head of a removed unit or laid off "
        "(assumption).",
    )
    reorg_attrition: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Extra annual attrition of a moved team after the move (assumption: "
        "uncertainty after a reorganisation), backfilled like any other.",
    )
    reorg_attrition_months: float = Field(
        default=6.0,
        ge=0,
        le=36,
        description="Months the reorg attrition spike lasts (assumption).",
    )


class FinanceModel(_Strict):
    """Finance: cost of goods, program spend for CAC."""

    hosting_share: float = Field(
        default=0.12,
        ge=0,
        le=1,
        description="Hosting and third-party cost per subscription revenue (assumption; with "
        "support and onboarding in COGS gross margin lands near benchmarks 8.7-8.8: ~80%).",
    )
    program_spend_ratio: float = Field(
        default=1.0,
        ge=0,
        le=10,
        description="Marketing program spend per unit of marketing headcount cost, counted in "
        "CAC (assumption).",
    )


class Costs(_Strict):
    """Default annual cost per head by function, for units that give no ``cost``.

    Salaries are US medians from benchmarks.md (row noted per function) or, where the table has
    none, stated assumptions; ``loaded_multiplier`` turns salary into loaded cost.
    """

    loaded_multiplier: float = Field(
        default=1.25,
        ge=1.0,
        le=3.0,
        description="Benefits, taxes and overhead on top of salary (assumption: +25%).",
    )
    salary: dict[str, Annotated[float, Field(ge=0, le=MAX_MONEY)]] = Field(
        default_factory=lambda: dict(DEFAULT_SALARY),
        description="Annual salary per head by function name.",
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_missing_functions(cls, data: object) -> object:
        # A user who overrides one function's salary keeps the defaults for the others.
        if isinstance(data, dict) and isinstance(data.get("salary"), dict):
            data = {**data, "salary": {**DEFAULT_SALARY, **data["salary"]}}
        return data

    def loaded_cost(self, function: str) -> float:
        """Loaded annual cost per head of ``function``."""
        return self.salary.get(function, self.salary["other"]) * self.loaded_multiplier


#: US annual salary per head by function, with where each figure comes from.
SALARY_SOURCES: dict[str, tuple[float, str]] = {
    "executive": (366_000.0, "benchmarks 9.1: Chief Customer Officer median (Glassdoor)"),
    "customer_success": (132_000.0, "benchmarks 9.2: CSM median total compensation"),
    "support": (60_810.0, "benchmarks 9.5: BLS computer support specialists, 2023"),
    "onboarding": (98_720.0, "assumption: priced like a sales engineer (benchmarks 9.8)"),
    "training": (63_080.0, "benchmarks 9.7: BLS training and development specialists"),
    "professional_services": (110_000.0, "assumption: benchmarks.md has no PS salary"),
    "renewals": (110_000.0, "assumption: benchmarks.md has no renewal-rep salary"),
    "customer_marketing": (100_000.0, "assumption: benchmarks.md has none"),
    "sales_consulting": (98_720.0, "benchmarks 9.8: BLS sales engineers, 2017"),
    "new_business_sales": (150_000.0, "assumption: account-executive on-target earnings"),
    "marketing": (110_000.0, "assumption"),
    "product": (150_000.0, "assumption"),
    "engineering": (150_000.0, "assumption"),
    "operations": (90_000.0, "assumption"),
    "finance": (100_000.0, "assumption"),
    "people": (90_000.0, "assumption"),
    "other": (90_000.0, "assumption"),
    "customer_experience": (110_000.0, "assumption: benchmarks.md has no CX salary"),
}
DEFAULT_SALARY: dict[str, float] = {k: v for k, (v, _) in SALARY_SOURCES.items()}


class Assumptions(_Strict):
    """Every mechanism's knobs. Defaults are documented in docs/model.md with their sources."""

    org_effects: bool = Field(
        default=True,
        description="false: staffing and structure no longer touch customer outcomes.",
    )
    effects: OrgEffects = Field(default_factory=OrgEffects)
    health_bands: HealthBands = Field(default_factory=HealthBands)
    span: SpanPolicy = Field(default_factory=SpanPolicy)
    costs: Costs = Field(default_factory=Costs)
    health: HealthModel = Field(default_factory=HealthModel)
    customer_success: CustomerSuccessModel = Field(default_factory=CustomerSuccessModel)
    support: SupportModel = Field(default_factory=SupportModel)
    onboarding: OnboardingModel = Field(default_factory=OnboardingModel)
    training: TrainingModel = Field(default_factory=TrainingModel)
    professional_services: ProfessionalServicesModel = Field(
        default_factory=ProfessionalServicesModel
    )
    renewals: RenewalsModel = Field(default_factory=RenewalsModel)
    customer_marketing: CustomerMarketingModel = Field(default_factory=CustomerMarketingModel)
    customer_experience: CustomerExperienceModel = Field(default_factory=CustomerExperienceModel)
    sales_consulting: SalesConsultingModel = Field(default_factory=SalesConsultingModel)
    new_business: NewBusinessModel = Field(default_factory=NewBusinessModel)
    handoff: HandoffModel = Field(default_factory=HandoffModel)
    incentives: IncentivesModel = Field(default_factory=IncentivesModel)
    leadership: LeadershipModel = Field(default_factory=LeadershipModel)
    workforce: WorkforceModel = Field(default_factory=WorkforceModel)
    transition: TransitionModel = Field(default_factory=TransitionModel)
    finance: FinanceModel = Field(default_factory=FinanceModel)
