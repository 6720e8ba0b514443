"""The simulation engine: compile a scenario to parameters, then run replications.

Modules, in the order data flows through them:

* :mod:`~ccosim.sim.params`: scenario + OrgGraph -> plain :class:`ModelParams` (the org of
  each period from :func:`ccosim.scenario.timeline.replay`);
* :mod:`~ccosim.sim.org_effects`: the org-structure multipliers of each org period;
* one component per mechanism, each owning its state and its compiled loop
  (:mod:`~ccosim.sim.kernels`): :mod:`~ccosim.sim.accounts` (the customer base as numpy
  arrays over account slots), :mod:`~ccosim.sim.workforce` (headcount, hiring, ramp and
  attrition per unit), :mod:`~ccosim.sim.structure` (the org period and its structural effects
  in force), :mod:`~ccosim.sim.bookings` (acquisition and quotas),
  :mod:`~ccosim.sim.onboarding`, :mod:`~ccosim.sim.training`, :mod:`~ccosim.sim.support`,
  :mod:`~ccosim.sim.services` (professional services), :mod:`~ccosim.sim.health` (coverage and
  health), :mod:`~ccosim.sim.renewals` (renewals and upsell) and :mod:`~ccosim.sim.ledger` (the
  monthly series and yearly KPIs);
* :mod:`~ccosim.sim.model`: the SimPy calendar that wires them and runs the month;
* :mod:`~ccosim.sim.closed_form`: the analytic expectations the engine must reproduce.
"""

from ccosim.sim.model import MONTHLY, run_replication
from ccosim.sim.params import ModelParams, compile_params

__all__ = ["MONTHLY", "ModelParams", "compile_params", "run_replication"]
