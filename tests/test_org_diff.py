"""``ccosim org diff``: added, removed, moved and changed positions, deltas, spans and layers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.org import OrgGraph
from ccosim.org.org_diff import diff_orgs, format_diff
from ccosim.scenario import load
from tests.conftest import MINIMAL, SCENARIOS

AS_IS = SCENARIOS / "post_sales_cs.yaml"
CCO = SCENARIOS / "cco_full.yaml"


def _graph(path: Path) -> OrgGraph:
    return OrgGraph.from_scenario(load(path))


def test_post_sales_to_cco_adds_cco_removes_vp_and_moves_the_customer_functions() -> None:
    a, b = _graph(AS_IS), _graph(CCO)
    diff = diff_orgs(a, b)
    assert diff.added_ids == {"cco"} and diff.removed_ids == {"vp_services"}
    moves = {m.id: (m.from_manager, m.to_manager) for m in diff.moved}
    assert moves["renewals_mgr"] == ("cro", "cco")
    assert moves["cs_director"] == ("vp_services", "cco")
    assert moves["sc_mgr"] == ("cro", "cco")
    assert moves["customer_marketing_lead"] == ("cmo", "cco")
    assert set(moves) == {
        "renewals_mgr",
        "cs_director",
        "sc_mgr",
        "customer_marketing_lead",
        "onboarding_mgr",
        "training_lead",
        "support_mgr",
        "ps_mgr",
    }
    # The renewals team moves under the director: it is not listed as moved itself.
    assert "renewal_reps" not in moves and {m.id: m.people for m in diff.moved}["cs_director"] == 19
    assert diff.changed == []

    # Cost: the CCO ($457,500 loaded) replaces the VP of Services ($300,000); nothing else.
    assert diff.total is not None
    assert diff.total.cost_delta == pytest.approx(457_500 - 300_000)
    assert diff.total.cost_delta == pytest.approx(
        sum(b.cost(u) for u in b.units) - sum(a.cost(u) for u in a.units)
    )
    assert diff.total.headcount_delta == 0
    by_exec = {r.key: r for r in diff.by_executive}
    assert by_exec["vp_services"].headcount_b == 0 and by_exec["cco"].headcount_a == 0
    assert by_exec["cco"].headcount_b == 62 and by_exec["cro"].headcount_delta == -10
    assert by_exec["cco"].cost_b == pytest.approx(b.rollup_cost("cco"))
    by_function = {r.key: r for r in diff.by_function}
    assert by_function["executive"].cost_delta == pytest.approx(457_500 - 300_000)
    assert by_function["renewals"].headcount_delta == 0

    spans = {s.id: (s.span_a, s.span_b) for s in diff.spans}
    assert spans["cro"] == (7, 5) and spans["cco"] == (None, 8)
    assert spans["vp_services"] == (5, None)
    assert (diff.layers_a, diff.layers_b) == (5, 5)


def test_changed_fields_and_ids_for_the_chart(write_scenario) -> None:
    a = OrgGraph.from_scenario(load(write_scenario(MINIMAL, "a.yaml")))
    b_text = MINIMAL.replace("headcount: 4}", "headcount: 6, cost: 150000}").replace(
        "title: CCO,", "title: Chief Customer Officer,"
    )
    b = OrgGraph.from_scenario(load(write_scenario(b_text, "b.yaml")))
    diff = diff_orgs(a, b)
    changes = {c.id: c.fields for c in diff.changed}
    assert changes["csm"]["headcount"] == [4.0, 6.0]
    assert changes["csm"]["cost"][1] == 150000
    assert changes["cco"] == {"title": ["CCO", "Chief Customer Officer"]}
    assert diff.changed_ids == {"csm", "cco"} and diff.moved_ids == set()
    payload = json.loads(json.dumps(diff.to_dict()))
    assert payload["changed"][0]["id"] in {"csm", "cco"}
    assert payload["total"]["headcount_delta"] == 2
    text = format_diff(diff)
    assert "csm" in text and "Chief Customer Officer" in text


def test_cli_table_one_block_per_design_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["org", "diff", str(AS_IS), str(CCO), str(SCENARIOS / "cs_under_sales.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count(f"{AS_IS} -> ") == 2
    assert "+ Chief Customer Officer" in result.output and "- VP of Services" in result.output
    assert "+$158k/year" in result.output

    target = tmp_path / "diff.json"
    result = runner.invoke(main, ["org", "diff", str(AS_IS), str(CCO), "--json", str(target)])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text())
    assert data["as_is"] == str(AS_IS)
    (design,) = data["designs"]
    assert [e["id"] for e in design["added"]] == ["cco"]
    assert design["total"]["cost_delta"] == pytest.approx(157_500)
    again = runner.invoke(main, ["org", "diff", str(AS_IS), str(CCO), "--json", str(target)])
    assert again.exit_code == 2 and "--force" in again.output

    out = runner.invoke(main, ["org", "diff", str(AS_IS), str(CCO), "--json", "-"])
    assert json.loads(out.output)["designs"][0]["removed"][0]["id"] == "vp_services"
    missing = runner.invoke(main, ["org", "diff", str(AS_IS)])
    assert missing.exit_code == 2
