"""Hand-offs and structure: the org period in force and the structural effects it has.

The org changes when a timeline period begins (:meth:`Structure.begin`); the effects of the
structure (hand-off factors, the executive home of customer success, a single retention
owner) act only with their leaders in post, and a change phases in over
``transition.effects_ramp_months`` (docs/model.md, "Leaders in post" and "Phase-in").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ccosim.sim.org_effects import OrgEffectParams, phase_weight
from ccosim.sim.params import FUNCTIONS, EpochParams, ModelParams, fcode
from ccosim.sim.workforce import Workforce

__all__ = ["OrgView", "Ramp", "Structure", "multipliers", "with_multipliers"]

SALES, RENEWALS = fcode("new_business_sales"), fcode("renewals")
#: ``x.sum()`` without the method's Python wrapper (the same ufunc reduction).
_sum = np.add.reduce

#: The multipliers of :class:`OrgEffectParams` that phase in, beside the hand-off factors.
RAMPED = (
    "cs_health_multiplier",
    "cs_lead_multiplier",
    "cs_diverted_share",
    "churn_multiplier",
    "expansion_multiplier",
)


def multipliers(effects: OrgEffectParams) -> dict[str, float]:
    """The phased-in multipliers of ``effects`` by name (hand-offs as ``handoff.NAME``)."""
    out = {f"handoff.{k}": v for k, v in effects.handoff.items()}
    for name in RAMPED:
        out[name] = getattr(effects, name)
    return out


def with_multipliers(effects: OrgEffectParams, values: dict[str, float]) -> OrgEffectParams:
    """``effects`` with the multipliers named in ``values`` (keys of :func:`multipliers`)."""
    handoff = {k: values.get(f"handoff.{k}", v) for k, v in effects.handoff.items()}
    scalars = {name: values[name] for name in RAMPED if name in values}
    return replace(effects, handoff=handoff, **scalars)


@dataclass(frozen=True)
class Ramp:
    """One multiplier moving from ``old`` to ``new`` along the S-curve since ``since``.

    ``months`` is the ramp's length: ``transition.effects_ramp_months``, or
    ``leadership.effects_decay_months`` when a leader leaving started it.
    """

    old: float
    new: float
    since: int
    months: float


@dataclass(frozen=True)
class OrgView:
    """Unit slots the engine reads every month, found once per org period.

    Attributes:
        quota_units: Capacity units of new-business sales dedicated to a segment (the
            carriers of the new-business quota, active or not, as the quota is booked).
        quota_segment: The segment of each of ``quota_units``.
        ae_segments: Segments with an active dedicated account-executive unit, ascending.
        capacity_units: Per function code, its capacity (non-manager) units.
    """

    quota_units: np.ndarray
    quota_segment: np.ndarray
    ae_segments: tuple[int, ...]
    capacity_units: tuple[np.ndarray, ...]

    @classmethod
    def of(cls, epoch: EpochParams) -> OrgView:
        """Index the units of one org period (once per period: kept in ``epoch.derived``)."""
        view = epoch.derived.get("view")
        if view is None:
            view = epoch.derived["view"] = cls._index(epoch)
        return view

    @classmethod
    def _index(cls, epoch: EpochParams) -> OrgView:
        e = epoch
        quota = (e.function == SALES) & e.is_capacity & (e.segment >= 0)
        units = np.flatnonzero(quota)
        ae = np.unique(e.segment[quota & e.active])
        return cls(
            quota_units=units,
            quota_segment=e.segment[units],
            ae_segments=tuple(int(s) for s in ae),
            capacity_units=tuple(
                np.flatnonzero(e.is_capacity & (e.function == f)) for f in range(len(FUNCTIONS))
            ),
        )


class Structure:
    """The org period in force, its unit indexes, and the structural effects in force.

    Args:
        params: Compiled parameters.
        workforce: The workforce, which an org change restaffs.

    Attributes:
        view: The period's unit indexes.
        has_renewals: Whether the period has an active renewals unit.
        effects: Org-structure multipliers in force this month (leaders in post, phased in).
    """

    def __init__(self, params: ModelParams, workforce: Workforce) -> None:
        self.workforce = workforce
        self.ramp_months = params.assumptions.transition.effects_ramp_months
        self.decay_months = params.assumptions.leadership.effects_decay_months
        self._vacant = 0  # bit i: the period's leaders[i] is not in post
        self.view = OrgView.of(workforce.epoch)
        self.has_renewals = workforce.has_function(RENEWALS)
        # Effects in force: the target, and the ramps still under way, one per multiplier.
        self._target: OrgEffectParams = workforce.epoch.effects
        self.effects = self._target
        self._ramps: dict[str, Ramp] = {}

    def begin(self, epoch: EpochParams, month: int) -> None:
        """A timeline period begins: restaff the units and index the new org."""
        self.workforce.apply_changes(epoch, month)
        self.view = OrgView.of(epoch)
        self.has_renewals = self.workforce.has_function(RENEWALS)

    def update(self, month: int) -> None:
        """Pick the period's effects for the leaders in post; phase in a change.

        Each multiplier ramps on its own: a new target restarts the ramp of the multipliers
        whose value it changes, from their value in force, and leaves the others as they were
        (docs/model.md, "Phase-in").
        """
        wf = self.workforce
        epoch = wf.epoch
        target = epoch.effects
        mask = 0
        if epoch.leaders:
            for i, slot in enumerate(epoch.leaders):
                if wf.filled[slot] < 0.5 * max(epoch.target[slot], 1e-9):
                    mask |= 1 << i
            if mask:
                target = epoch.vacancy_effects[mask]
        # A leader leaving (a bit set that was clear) fades their effects over the decay.
        left = bool(mask & ~self._vacant)
        self._vacant = mask
        if month == 0:
            self.effects = self._target = target
            self._ramps = {}
            return
        if target is not self._target:
            self._retarget(target, month, self.decay_months if left else self.ramp_months)
        if self._ramps:
            self._phase(month)

    def _retarget(self, target: OrgEffectParams, month: int, months: float) -> None:
        """Restart the ramps of the multipliers whose target value ``target`` changes.

        Args:
            target: The effects the org now calls for.
            month: The month.
            months: Length of the new ramps.
        """
        before, now, after = (
            multipliers(self._target),
            multipliers(self.effects),
            multipliers(target),
        )
        for key, value in after.items():
            if before.get(key, 1.0) != value:
                self._ramps[key] = Ramp(now.get(key, 1.0), value, month, months)
        self._ramps = {k: r for k, r in self._ramps.items() if k in after}
        self._target = target
        if not self._ramps:
            self.effects = target

    def _phase(self, month: int) -> None:
        """The effects in force this month: each ramp under way ``w`` of its way."""
        values: dict[str, float] = {}
        for key, ramp in list(self._ramps.items()):
            weight = phase_weight(month - ramp.since, ramp.months)
            if weight >= 1.0:
                del self._ramps[key]
            else:
                values[key] = ramp.old + (ramp.new - ramp.old) * weight
        self.effects = with_multipliers(self._target, values) if values else self._target

    def filled(self, function: int) -> float:
        """Heads in post in the function's capacity units."""
        return float(_sum(self.workforce.filled[self.view.capacity_units[function]]))
