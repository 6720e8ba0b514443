"""Hand-offs and structure: the org period in force and the structural effects it has.

The org changes when a timeline period begins (:meth:`Structure.begin`); the effects of the
structure (hand-off factors, the executive home of customer success, a single retention
owner) act only with their leaders in post, and a change phases in over
``transition.effects_ramp_months`` (docs/model.md, "Leaders in post" and "Phase-in").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccosim.sim.org_effects import OrgEffectParams, phase_in, phase_weight
from ccosim.sim.params import FUNCTIONS, EpochParams, ModelParams, fcode
from ccosim.sim.workforce import Workforce

__all__ = ["OrgView", "Structure"]

SALES, RENEWALS = fcode("new_business_sales"), fcode("renewals")
#: ``x.sum()`` without the method's Python wrapper (the same ufunc reduction).
_sum = np.add.reduce


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
        self.view = OrgView.of(workforce.epoch)
        self.has_renewals = workforce.has_function(RENEWALS)
        # Effects in force: moving from _from to _target since _since.
        self._target: OrgEffectParams = workforce.epoch.effects
        self._from = self.effects = self._target
        self._since = 0

    def begin(self, epoch: EpochParams, month: int) -> None:
        """A timeline period begins: restaff the units and index the new org."""
        self.workforce.apply_changes(epoch, month)
        self.view = OrgView.of(epoch)
        self.has_renewals = self.workforce.has_function(RENEWALS)

    def update(self, month: int) -> None:
        """Pick the period's effects for the leaders in post; phase in a change."""
        wf = self.workforce
        epoch = wf.epoch
        target = epoch.effects
        if epoch.leaders:
            mask = 0
            for i, slot in enumerate(epoch.leaders):
                if wf.filled[slot] < 0.5 * max(epoch.target[slot], 1e-9):
                    mask |= 1 << i
            if mask:
                target = epoch.vacancy_effects[mask]
        if month == 0:
            self._from = self.effects = self._target = target
            return
        if target is not self._target:
            self._from, self._target = self.effects, target
            self._since = month
        if self.effects is not target:
            weight = phase_weight(month - self._since, self.ramp_months)
            self.effects = phase_in(self._from, target, weight)

    def filled(self, function: int) -> float:
        """Heads in post in the function's capacity units."""
        return float(_sum(self.workforce.filled[self.view.capacity_units[function]]))
