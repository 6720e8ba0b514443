"""ccosim: design Chief Customer Officer organizations and simulate what they do to retention.

The public API::

    import ccosim
    scenario = ccosim.load("scenarios/cco_full.yaml", {"horizon_years": 5})
    graph = ccosim.OrgGraph.from_scenario(scenario)
    results = ccosim.simulate(scenario, runs=20, seed=1)
"""

from ccosim._version import __version__
from ccosim.org.graph import OrgGraph
from ccosim.results import Results
from ccosim.scenario import Scenario, ScenarioError, load

# Imported eagerly: the function shares its name with its module, and a lazy import would let
# ``import ccosim.simulate`` rebind ``ccosim.simulate`` to the module.
from ccosim.simulate import simulate

__all__ = ["OrgGraph", "Results", "Scenario", "ScenarioError", "__version__", "load", "simulate"]
