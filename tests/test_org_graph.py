"""The reporting-line graph: spans, layers, roll-ups, owners and hand-off distances."""

from __future__ import annotations

import pytest

from ccosim.org import OrgGraph, org_stats
from ccosim.org.analytics import span_band
from ccosim.scenario import load, load_text
from tests.conftest import ARCHETYPES, SCENARIOS

ORG = """\
name: Small company
customers:
  segments:
    smb: {initial_accounts: 10, acv: 1000, new_accounts_per_year: 1, base_churn: 0.1}
org:
  units:
    - {id: ceo, title: CEO, function: executive, cost: 300000}
    - {id: cro, title: CRO, function: executive, reports_to: ceo, cost: 250000}
    - {id: aes, title: AEs, function: new_business_sales, reports_to: cro, headcount: 6,
       cost: 150000}
    - {id: renewals, title: Renewal reps, function: renewals, reports_to: cro, headcount: 3,
       cost: 100000, open_headcount: 1}
    - {id: cco, title: CCO, function: executive, reports_to: ceo, cost: 250000,
       dotted_to: [cro]}
    - {id: cs_leads, title: CS leads, function: customer_success, reports_to: cco,
       headcount: 2, cost: 150000}
    - {id: csms, title: CSMs, function: customer_success, reports_to: cs_leads,
       headcount: 14, cost: 120000}
    - {id: support, title: Support, function: support, reports_to: cco, headcount: 4,
       vacant: true, cost: 70000}
"""


@pytest.fixture
def graph() -> OrgGraph:
    return OrgGraph.from_scenario(load_text(ORG))


def test_layers_and_navigation(graph):
    assert graph.root == "ceo"
    assert graph.layer == {
        "ceo": 1,
        "cro": 2,
        "cco": 2,
        "aes": 3,
        "renewals": 3,
        "cs_leads": 3,
        "support": 3,
        "csms": 4,
    }
    assert graph.reports("cco") == ["cs_leads", "support"]
    assert graph.executive_of("csms") == "cco" and graph.executive_of("ceo") == "ceo"


def test_spans_count_people_and_share_among_a_team_of_managers(graph):
    assert graph.span("cro") == 9  # 6 AEs + 3 renewal reps
    assert graph.span("cs_leads") == 7  # 14 CSMs shared by 2 leads
    assert graph.span("ceo") == 2
    assert graph.span("cco") == 6  # the dotted line from cco to cro changes nothing


def test_span_limits_and_flags(graph):
    assert graph.span_limit("ceo") == 8 and graph.span_limit("cro") == 10
    assert graph.over_span() == []
    tight = OrgGraph.from_scenario(load_text(ORG + "assumptions: {span: {limit: 8}}\n"))
    assert tight.over_span() == ["cro"]


def test_rollups_of_headcount_and_loaded_cost(graph):
    assert graph.rollup_headcount("cco") == 1 + 2 + 14 + 4
    assert graph.rollup_cost("cro") == 250000 + 6 * 150000 + 3 * 100000
    assert graph.rollup_headcount("ceo") == sum(graph.headcount(u) for u in graph)


def test_default_cost_comes_from_assumptions():
    text = ORG.replace(", cost: 70000}", "}")
    graph = OrgGraph.from_scenario(load_text(text))
    costs = graph.assumptions.costs
    assert graph.cost("support") == 4 * costs.salary["support"] * costs.loaded_multiplier


def test_distances_through_lowest_common_manager(graph):
    assert graph.distance("csms", "csms") == 0
    assert graph.distance("cs_leads", "csms") == 1
    assert graph.distance("csms", "support") == 3
    assert graph.distance("csms", "renewals") == 5
    assert graph.function_distance("customer_success", "renewals") == 4  # cs_leads is nearer
    assert graph.function_distance("customer_success", "training") is None


def test_stats_report_owners_bands_pyramid_and_open_roles(graph):
    stats = org_stats(graph)
    assert stats.function_owners["customer_success"] == {"cco": 16}
    assert stats.function_owners["renewals"] == {"cro": 3}
    assert stats.open_headcount == 1 + 4
    assert stats.layer_pyramid == {1: 1, 2: 2, 3: 15, 4: 14}
    assert stats.span_bands["8-12"] == 1 and stats.span_bands["4-7"] == 2
    assert stats.handoff_distances["customer_success|renewals"] == 4
    assert stats.to_dict()["layer_pyramid"] == {"1": 1, "2": 2, "3": 15, "4": 14}


@pytest.mark.parametrize(
    ("span", "band"),
    [
        (1, "1"),
        (2, "2-3"),
        (3, "2-3"),
        (7, "4-7"),
        (7.5, "8-12"),
        (12, "8-12"),
        (16, "13-16"),
        (17, "17+"),
        (60, "17+"),
    ],
)
def test_span_bands(span, band):
    assert span_band(span) == band


def test_archetypes_put_each_function_where_the_seeds_say():
    owners = {
        name: org_stats(OrgGraph.from_scenario(load(SCENARIOS / f"{name}.yaml"))).function_owners
        for name in ARCHETYPES
    }
    post_sale = ["onboarding", "training", "support", "professional_services"]
    for function in post_sale:
        assert list(owners["vp_services"][function]) == ["vp_services"]
        assert list(owners["cco_full"][function]) == ["cco"]
    assert "customer_success" not in owners["vp_services"]
    assert list(owners["post_sales_cs"]["customer_success"]) == ["vp_services"]
    for function in ("customer_success", "renewals", "sales_consulting", "customer_marketing"):
        assert list(owners["cco_full"][function]) == ["cco"]
    assert list(owners["cs_under_sales"]["customer_success"]) == ["cro"]
    assert list(owners["cs_under_sales"]["renewals"]) == ["cro"]
    assert list(owners["cxo_tech_touch"]["customer_success"]) == ["cxo"]


def test_cs_next_to_renewals_only_where_one_leader_owns_both():
    def hops(name: str) -> int | None:
        graph = OrgGraph.from_scenario(load(SCENARIOS / f"{name}.yaml"))
        return graph.function_distance("customer_success", "renewals")

    assert hops("cs_under_sales") == 1  # renewals report into the CS leader
    assert hops("cco_full") == 2  # sibling teams under the CCO
    assert hops("post_sales_cs") == 4  # across the VP of Services and the CRO
