"""ccosim: design Chief Customer Officer organizations and simulate what they do to retention.

The public API::

    import ccosim
    scenario = ccosim.load("scenarios/cco_full.yaml", {"horizon_years": 5})
    graph = ccosim.OrgGraph.from_scenario(scenario)
    results = ccosim.simulate(scenario, runs=20, seed=1)

    study = ccosim.Study.from_files(
        ["scenarios/post_sales_cs.yaml", "scenarios/cco_full.yaml"], runs=10, years=3
    )
    comparison = ccosim.compare(study)            # paired deltas, attribution
    print(comparison.to_text())

Names are imported on first use (PEP 562), so ``import ccosim`` and ``ccosim --help`` load
neither numpy nor the simulation engine until something needs them.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from ccosim._version import __version__

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from ccosim.experiment.business_case import BusinessCase, business_case, business_case_study
    from ccosim.experiment.compare import Comparison, compare
    from ccosim.experiment.psa import PsaResult, psa
    from ccosim.experiment.study import Execution, Study
    from ccosim.experiment.sweep import SweepResult, sweep
    from ccosim.experiment.sweep_ranking import RankingSweep, ranking_sweep
    from ccosim.org.graph import OrgGraph
    from ccosim.results import Results
    from ccosim.scenario import Scenario, ScenarioError, load
    from ccosim.simulate import simulate

#: Public name -> the module that defines it.
_HOMES = {
    "BusinessCase": "ccosim.experiment.business_case",
    "Comparison": "ccosim.experiment.compare",
    "Execution": "ccosim.experiment.study",
    "OrgGraph": "ccosim.org.graph",
    "PsaResult": "ccosim.experiment.psa",
    "Results": "ccosim.results",
    "Scenario": "ccosim.scenario",
    "ScenarioError": "ccosim.scenario",
    "Study": "ccosim.experiment.study",
    "RankingSweep": "ccosim.experiment.sweep_ranking",
    "SweepResult": "ccosim.experiment.sweep",
    "business_case": "ccosim.experiment.business_case",
    "business_case_study": "ccosim.experiment.business_case",
    "compare": "ccosim.experiment.compare",
    "load": "ccosim.scenario",
    "psa": "ccosim.experiment.psa",
    "simulate": "ccosim.simulate",
    "ranking_sweep": "ccosim.experiment.sweep_ranking",
    "sweep": "ccosim.experiment.sweep",
}

__all__ = [
    "BusinessCase",
    "Comparison",
    "Execution",
    "OrgGraph",
    "PsaResult",
    "RankingSweep",
    "Results",
    "Scenario",
    "ScenarioError",
    "Study",
    "SweepResult",
    "__version__",
    "business_case",
    "business_case_study",
    "compare",
    "load",
    "psa",
    "ranking_sweep",
    "simulate",
    "sweep",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    if name not in _HOMES:
        raise AttributeError(f"module 'ccosim' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


class _Package(types.ModuleType):
    """``ccosim.simulate`` stays the function even after its module ``ccosim.simulate`` loads.

    Importing a submodule binds it on its package under its own name; the function
    :func:`ccosim.simulate.simulate` shares that name, so the binding is turned into the
    function (before this package imported lazily, an eager import did the same).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "simulate" and isinstance(value, types.ModuleType):
            value = value.simulate
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
