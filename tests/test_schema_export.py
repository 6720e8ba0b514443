"""The exported JSON Schema: in sync with the code, and every shipped file validates against it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from ccosim.scenario import load, scenario_json_schema
from tests.conftest import SCENARIOS, shipped_scenarios

SCHEMA_FILE = SCENARIOS / "scenario.schema.json"


def test_committed_schema_matches_the_code():
    committed = json.loads(SCHEMA_FILE.read_text())
    assert committed == scenario_json_schema(), (
        "scenarios/scenario.schema.json is stale: run `make schema`"
    )


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(scenario_json_schema())


@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.name)
def test_shipped_file_and_its_resolution_validate(path):
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    raw = yaml.safe_load(path.read_text())
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    resolved = load(path).model_dump(mode="json")
    assert not list(validator.iter_errors(resolved))


def test_schema_rejects_what_the_loader_rejects():
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    raw = yaml.safe_load((SCENARIOS / "_company.yaml").read_text())
    raw["customers"]["segments"]["smb"]["base_chrun"] = 0.1
    assert any("base_chrun" in e.message for e in validator.iter_errors(raw))


def test_file_without_extends_must_carry_customers_and_org():
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    errors = [e.message for e in validator.iter_errors({"name": "Lonely"})]
    assert "'customers' is a required property" in errors
    assert not list(validator.iter_errors({"name": "Child", "extends": "_company.yaml"}))
