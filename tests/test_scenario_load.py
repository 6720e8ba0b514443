"""Loading shipped scenarios, `extends` merging and command-line overrides."""

from __future__ import annotations

import pytest

from ccosim.scenario import Function, ScenarioError, load, load_text, scenario_hash
from tests.conftest import ARCHETYPES, MINIMAL, SCENARIOS, shipped_scenarios


@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.name)
def test_every_shipped_scenario_loads(path):
    scenario = load(path)
    assert scenario.customers.segments and scenario.org.units
    assert path.read_text().startswith("# yaml-language-server: $schema=scenario.schema.json")


def test_archetypes_share_the_company_and_differ_in_the_org():
    company = load(SCENARIOS / "_company.yaml")
    loaded = {name: load(SCENARIOS / f"{name}.yaml") for name in ARCHETYPES}
    for scenario in loaded.values():
        assert scenario.customers == company.customers
        assert scenario.horizon_years == company.horizon_years and scenario.seed == company.seed
        ids = {u.id for u in scenario.org.units}
        assert {u.id for u in company.org.units} <= ids, "every archetype keeps the company's teams"
        functions = {u.function for u in scenario.org.units}
        assert {Function.new_business_sales, Function.marketing, Function.product} <= functions
    assert len({scenario_hash(s) for s in loaded.values()}) == len(ARCHETYPES)


def test_units_merge_by_id_and_scalars_override(write_scenario):
    write_scenario(MINIMAL, "base.yaml")
    child = write_scenario(
        """\
        extends: base.yaml
        name: Child
        customers:
          segments:
            smb: {base_churn: 0.3}
        org:
          units:
            - {id: csm, headcount: 9}
            - {id: support, title: Support, function: support, reports_to: cco, headcount: 5}
        """,
        "child.yaml",
    )
    scenario = load(child)
    assert scenario.name == "Child" and scenario.seed == 7
    smb = scenario.customers.segments["smb"]
    assert smb.base_churn == 0.3 and smb.acv == 9000
    units = {u.id: u for u in scenario.org.units}
    assert [u.id for u in scenario.org.units] == ["ceo", "cco", "csm", "support"]
    assert units["csm"].headcount == 9 and units["csm"].title == "CSMs"


def test_overrides_mapping_and_set_options(write_scenario):
    path = write_scenario(MINIMAL)
    scenario = load(
        path,
        {"customers.segments.smb.base_churn": 0.2, "org.units.2.headcount": 6},
        set_options=["org.units.csm.cost=120000", "assumptions.span.limit=6", "horizon_years=5"],
    )
    units = {u.id: u for u in scenario.org.units}
    assert scenario.customers.segments["smb"].base_churn == 0.2
    assert units["csm"].headcount == 6 and units["csm"].cost == 120000
    assert scenario.assumptions.span.limit == 6 and scenario.horizon_years == 5


def test_set_values_are_read_as_yaml_scalars(write_scenario):
    path = write_scenario(MINIMAL)
    scenario = load(path, set_options=["assumptions.org_effects=false", "name='Quoted: yes'"])
    assert scenario.assumptions.org_effects is False and scenario.name == "Quoted: yes"
    with pytest.raises(ScenarioError):
        load(path, set_options=["name=Unquoted: colon"])  # YAML reads a mapping: not a name


def test_scenario_hash_tracks_every_input(write_scenario):
    a = load_text(MINIMAL)
    b = load_text(MINIMAL.replace("seed: 7", "seed: 8"))
    assert scenario_hash(a) == scenario_hash(load_text(MINIMAL))
    assert scenario_hash(a) != scenario_hash(b)


def test_salary_overrides_keep_other_defaults():
    scenario = load_text(MINIMAL + "assumptions:\n  costs:\n    salary: {support: 50000}\n")
    costs = scenario.assumptions.costs
    assert costs.salary["support"] == 50000 and costs.salary["customer_success"] == 132000
    with pytest.raises(ScenarioError, match="'suport' is not a function"):
        load_text(MINIMAL + "assumptions:\n  costs:\n    salary: {suport: 50000}\n")
