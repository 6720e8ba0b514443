"""Training: accounts due for training (never trained, or too long ago), trained as capacity allows.

Trainers train the due live accounts lowest slot first; an account still overdue after the
month's training loses health (docs/model.md, "Training").
"""

from __future__ import annotations

import numpy as np

from ccosim.scenario.assumptions import TrainingModel
from ccosim.sim.accounts import AccountBook
from ccosim.sim.params import fcode
from ccosim.sim.workforce import Workforce

__all__ = ["Training"]

TRAINING = fcode("training")


class Training:
    """The training function of one replication.

    Args:
        model: The training assumptions.
        book: The account book.
        workforce: Heads per function.
        rec: The ledger's monthly rows.
    """

    def __init__(
        self,
        model: TrainingModel,
        book: AccountBook,
        workforce: Workforce,
        rec: dict[str, np.ndarray],
    ) -> None:
        # numba takes ~0.4 s to import: it loads when a model first runs, not with the
        # package, which every CLI command imports.
        from ccosim.sim import kernels

        kernels.bind(self, "_train_due", kernels.train_due)
        self.model = model
        self.book = book
        self.workforce = workforce
        self.rec = rec
        self.credit = 0.0
        self._overdue = np.zeros(book.n, dtype=bool)

    def step(self, month: int) -> np.ndarray:
        """Train the due accounts (never trained, or too long ago), lowest slot first.

        Returns:
            Which slots of the prefix are still overdue (a view of a work buffer).
        """
        book, tr = self.book, self.model
        n = book.active_prefix(month)
        cap = self.workforce.heads[TRAINING] * tr.trainings_per_trainer_month
        self.credit = min(self.credit + cap, max(cap, 1.0))
        overdue = self._overdue[:n]
        due, k = self._train_due(
            book.slots.last_trained,
            book.slots.alive,
            n,
            month - tr.retrain_months,
            month,
            int(self.credit + 1e-9),
            overdue,
        )
        self.credit -= k
        self.rec["customers_trained"][month] = k
        self.rec["training_due"][month] = due
        return overdue
