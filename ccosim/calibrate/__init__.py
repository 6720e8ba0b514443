"""Calibrate a scenario to the user's own company: cohorts, KPIs, account ledgers.

- :mod:`ccosim.calibrate.retention`: maximum-likelihood shifted-beta-geometric fits to
  cohort survival counts (``ccosim calibrate retention``).
- :mod:`ccosim.calibrate.kpis`: solve a scenario's churn and expansion so that its current
  org reproduces observed GRR, NRR and logo retention (``ccosim calibrate kpis``).
- :mod:`ccosim.calibrate.writer`: the calibrated scenario, which ``extends`` the user's file.
"""

from __future__ import annotations

from ccosim.calibrate.retention import (
    CalibrationError,
    CohortTable,
    SbgFit,
    fit_sbg,
    read_cohorts,
)

__all__ = ["CalibrationError", "CohortTable", "SbgFit", "fit_sbg", "read_cohorts"]
