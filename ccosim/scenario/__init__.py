"""The scenario format: schema, bounded YAML loading, ``extends``, overrides, JSON Schema."""

from ccosim.scenario.assumptions import Assumptions
from ccosim.scenario.errors import Problem, ScenarioError, SourceMark
from ccosim.scenario.json_schema import scenario_json_schema
from ccosim.scenario.loader import load, load_text, parse_set_options, scenario_hash
from ccosim.scenario.schema import (
    CUSTOMER_FACING,
    Function,
    Scenario,
    Segment,
    Staffing,
    TimelineEvent,
    Touch,
    Unit,
)

__all__ = [
    "CUSTOMER_FACING",
    "Assumptions",
    "Function",
    "Problem",
    "Scenario",
    "ScenarioError",
    "Segment",
    "SourceMark",
    "Staffing",
    "TimelineEvent",
    "Touch",
    "Unit",
    "load",
    "load_text",
    "parse_set_options",
    "scenario_hash",
    "scenario_json_schema",
]
