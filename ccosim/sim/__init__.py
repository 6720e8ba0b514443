"""The simulation engine: compile a scenario to parameters, then run replications.

Modules, in the order data flows through them:

* :mod:`~ccosim.sim.params`: scenario + OrgGraph -> plain :class:`ModelParams`;
* :mod:`~ccosim.sim.org_effects`: the org-structure multipliers of each org period;
* :mod:`~ccosim.sim.accounts`: the customer base as numpy arrays over account slots;
* :mod:`~ccosim.sim.workforce`: headcount, hiring, ramp and attrition per unit;
* :mod:`~ccosim.sim.functions`: each function's capacity against demand;
* :mod:`~ccosim.sim.model`: the SimPy calendar that runs it all month by month;
* :mod:`~ccosim.sim.closed_form`: the analytic expectations the engine must reproduce.
"""

from ccosim.sim.model import MONTHLY, run_replication
from ccosim.sim.params import ModelParams, compile_params

__all__ = ["MONTHLY", "ModelParams", "compile_params", "run_replication"]
