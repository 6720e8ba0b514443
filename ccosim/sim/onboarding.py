"""Onboarding: the implementation queue between a signed deal and a customer that gets value.

New accounts join the queue when they sign; consultants start projects in queue order as
their capacity allows; a project lasts its segment's duration (longer with a poor hand-off
from sales consulting), and its time to value is the wait plus the duration. Waiting and
hand-off gaps hurt an account's early health (docs/model.md, "Onboarding").
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ccosim.sim.accounts import AccountBook
from ccosim.sim.org_effects import OrgEffectParams
from ccosim.sim.params import ModelParams, fcode
from ccosim.sim.structure import Structure
from ccosim.sim.workforce import Workforce

__all__ = ["Onboarding", "Penalties", "Work"]

ONBOARDING = fcode("onboarding")


class Work(NamedTuple):
    """The queue and the projects under way, in buffers as long as the book.

    Attributes:
        queue: Queued slots, oldest first (the first ``Onboarding.queue_len``).
        project: Slots with a project under way (the first ``Onboarding.projects``).
        done_month: Month each project under way ends.
        ttv: Time to value of each project under way.
    """

    queue: np.ndarray
    project: np.ndarray
    done_month: np.ndarray
    ttv: np.ndarray


class Penalties(NamedTuple):
    """Early-health penalties of the month.

    Attributes:
        wait: Penalty a month of waiting adds.
        most: Cap of the waiting penalty.
        gap: Penalty of a finished project's hand-off gaps.
    """

    wait: float
    most: float
    gap: float


class Onboarding:
    """The implementation queue of one replication.

    Args:
        params: Compiled parameters.
        book: The account book.
        workforce: Heads per function.
        structure: The structural effects in force.
        rec: The ledger's monthly rows.

    Attributes:
        work: The queue and the projects under way.
        queue_len: Slots in the queue.
        projects: Projects under way.
    """

    def __init__(
        self,
        params: ModelParams,
        book: AccountBook,
        workforce: Workforce,
        structure: Structure,
        rec: dict[str, np.ndarray],
    ) -> None:
        # numba takes ~0.4 s to import: it loads when a model first runs, not with the
        # package, which every CLI command imports.
        from ccosim.sim import kernels

        kernels.bind(self, "_onboard", kernels.onboard)
        self.params = params
        self.book = book
        self.workforce = workforce
        self.structure = structure
        self.rec = rec
        n = book.n
        self.work = Work(
            queue=np.zeros(n, dtype=np.int64),
            project=np.zeros(n, dtype=np.int64),
            done_month=np.zeros(n, dtype=np.int64),
            ttv=np.zeros(n),
        )
        self.queue_len = 0
        self.projects = 0
        self.credit = 0.0
        # Durations and penalties, remade only when the effects in force change.
        self._terms: tuple[np.ndarray, Penalties] = (np.zeros(0), Penalties(0.0, 0.0, 0.0))
        self._terms_of: object = None

    def _terms_under(self, effects: OrgEffectParams) -> tuple[np.ndarray, Penalties]:
        """Project durations and early-health penalties under the org's ``effects``.

        A poor hand-off from sales consulting slows projects; poor hand-offs from sales and
        onboarding leave a gap that hurts a finished project's early health.
        """
        a, p = self.params.assumptions, self.params
        ob = a.onboarding
        hand = effects.handoff
        speed = max(hand["sales_consulting_to_onboarding"], 1e-9)
        gap = a.handoff.onboarding_gap_penalty * (
            1 - hand["onboarding_to_customer_success"]
        ) + a.handoff.signing_gap_penalty * (
            1 - hand["sales_to_onboarding"] * hand["sales_to_customer_success"]
        )
        penalties = Penalties(float(ob.wait_penalty), float(ob.max_penalty), float(gap))
        return p.segments.onboarding_months / speed, penalties

    def step(self, month: int) -> None:
        """Start the projects capacity allows (consultants x projects per month); finish some."""
        a, p = self.params.assumptions, self.params
        ob = a.onboarding
        cap = self.workforce.heads[ONBOARDING] * ob.projects_per_consultant_month
        self.credit = min(self.credit + cap, max(cap, 1.0))
        effects = self.structure.effects
        if effects is not self._terms_of:
            self._terms, self._terms_of = self._terms_under(effects), effects
        duration, penalties = self._terms
        self.queue_len, self.projects, used, finished, ttv_sum = self._onboard(
            month,
            self.work,
            self.queue_len,
            self.projects,
            self.credit,
            self.book.slots,
            p.segments.onboarding_effort,
            duration,
            p.outcomes_on,
            penalties,
        )
        self.credit -= used
        rec = self.rec
        rec["onboarding_queue"][month] = self.queue_len
        rec["onboarding_completed"][month] = finished
        rec["time_to_value_months"][month] = ttv_sum / finished if finished else np.nan
