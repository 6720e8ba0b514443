"""ccosim: design Chief Customer Officer organizations and simulate what they do to retention.

The public API::

    import ccosim
    scenario = ccosim.load("scenarios/cco_full.yaml", {"horizon_years": 5})
    graph = ccosim.OrgGraph.from_scenario(scenario)
"""

from ccosim._version import __version__
from ccosim.org.graph import OrgGraph
from ccosim.scenario import Scenario, ScenarioError, load

__all__ = ["OrgGraph", "Scenario", "ScenarioError", "__version__", "load"]
