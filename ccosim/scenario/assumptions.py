"""Model assumptions: every knob of every mechanism, with its default and where it comes from.

Each default either cites a row of ``benchmarks.md`` (copied into ``docs/model.md``) or says
plainly that it is an assumption. A strategist who disagrees changes it in the scenario's
``assumptions:`` block, or on the command line with ``--set assumptions.PATH=VALUE``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "DEFAULT_SALARY",
    "SALARY_SOURCES",
    "Assumptions",
    "Costs",
    "HealthBands",
    "OrgEffects",
    "SpanPolicy",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class OrgEffects(_Strict):
    """Switches for the org-structure mechanisms; ``assumptions.org_effects`` gates them all."""

    handoff_friction: bool = Field(default=True, description="Hand-offs decay with distance.")
    executive_incentives: bool = Field(default=True, description="The owner's incentives tilt CS.")
    single_retention_owner: bool = Field(
        default=True, description="One executive owning CS, renewals and onboarding helps."
    )
    span_of_control: bool = Field(default=True, description="Overloaded managers lose effect.")


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
    salary: dict[str, float] = Field(
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
    "executive": (201_536.0, "seed 004 / DOMAIN.md: average CCO salary"),
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
