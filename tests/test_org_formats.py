"""Org exports: DOT, Mermaid (and its edge limit), GraphML and CSV, and their round trips."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.io.formats import (
    MERMAID_MAX_EDGES,
    OrgFormatError,
    read_csv_units,
    read_graphml,
    to_csv,
    to_dot,
    to_graphml,
    to_mermaid,
    to_mermaid_parts,
)
from ccosim.org import OrgGraph
from ccosim.scenario import Unit, load
from tests.conftest import SCENARIOS, shipped_scenarios

MATRIX = """\
name: Matrix
customers:
  segments:
    smb: {initial_accounts: 100, acv: 9000, new_accounts_per_year: 20, base_churn: 0.15}
org:
  units:
    - {id: ceo, title: CEO, function: executive, cost: 400000, span_limit: 6}
    - {id: cco, title: "CCO \\"interim\\"", name: Ana <Lee>, function: executive,
       reports_to: ceo, location: Paris, currency: EUR}
    - {id: cmo, title: CMO, function: executive, reports_to: ceo}
    - id: csm-smb
      title: CSMs & friends
      function: customer_success
      reports_to: cco
      dotted_to: [cmo]
      headcount: 4.5
      open_headcount: 1.5
      segment: smb
      staffing: {policy: ratio, driver: accounts, per_head: 50, ramp_months: 2}
    - {id: end, title: Future CS Ops, function: operations, reports_to: cco, vacant: true}
"""


def _same_graph(a: OrgGraph, b: OrgGraph) -> None:
    assert list(a.units.values()) == list(b.units.values())
    assert dict(a.solid.nodes(data=True)) == dict(b.solid.nodes(data=True))
    assert list(a.solid.edges) == list(b.solid.edges)
    assert sorted(a.dotted.edges) == sorted(b.dotted.edges)
    assert a.root == b.root


@pytest.fixture
def matrix(write_scenario) -> tuple[Path, OrgGraph]:
    path = write_scenario(MATRIX)
    return path, OrgGraph.from_scenario(load(path))


@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.stem)
def test_graphml_and_csv_round_trip_every_shipped_scenario(path: Path, tmp_path: Path) -> None:
    scenario = load(path)
    graph = OrgGraph.from_scenario(scenario)
    (tmp_path / "org.graphml").write_text(to_graphml(graph), encoding="utf-8")
    (tmp_path / "org.csv").write_text(to_csv(graph), encoding="utf-8")
    for units in (read_graphml(tmp_path / "org.graphml"), read_csv_units(tmp_path / "org.csv")):
        _same_graph(graph, OrgGraph(units, scenario.assumptions))


def test_round_trip_keeps_every_field_and_default_costs(matrix, tmp_path: Path) -> None:
    _, graph = matrix
    for name, text, reader in (
        ("m.graphml", to_graphml(graph), read_graphml),
        ("m.csv", to_csv(graph), read_csv_units),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        units = reader(tmp_path / name)
        _same_graph(graph, OrgGraph(units, graph.assumptions))
        by_id = {u.id: u for u in units}
        # A unit that left its cost to the default keeps doing so (a new default applies).
        assert by_id["cmo"].cost is None and by_id["ceo"].cost == 400000
        assert by_id["csm-smb"].staffing is not None and by_id["csm-smb"].staffing.per_head == 50


def test_graphml_loads_in_networkx_with_typed_attributes(matrix, tmp_path: Path) -> None:
    _, graph = matrix
    target = tmp_path / "m.graphml"
    target.write_text(to_graphml(graph), encoding="utf-8")
    g = nx.read_graphml(target)
    node = g.nodes["csm-smb"]
    assert node["headcount"] == 4.5 and node["open_headcount"] == 1.5
    assert node["function"] == "customer_success" and node["segment"] == "smb"
    assert node["cost"] == graph.cost_per_head_of(graph.units["csm-smb"])
    assert node["cost_source"] == "default"
    assert g.nodes["end"]["vacant"] is True and g.nodes["ceo"]["span_limit"] == 6
    assert g.nodes["cco"]["currency"] == "EUR" and g.nodes["cco"]["name"] == "Ana <Lee>"
    assert g.edges["cmo", "csm-smb"]["type"] == "dotted"
    assert g.edges["cco", "csm-smb"]["type"] == "solid"


def test_dot_draws_dotted_lines_dashed_open_units_and_function_colours(matrix) -> None:
    _, graph = matrix
    dot = to_dot(graph)
    assert re.search(r'"cmo" -> "csm-smb" \[style=dotted', dot)
    assert re.search(r'"end" \[[^\n]*style="rounded,filled,dashed"', dot)
    assert re.search(r'"csm-smb" \[[^\n]*style="rounded,filled,dashed"', dot)  # 1.5 open
    assert re.search(r'"ceo" \[[^\n]*style="rounded,filled",', dot)
    assert '"CCO \\"interim\\""' not in dot  # quotes escaped inside the label, not raw
    assert 'CCO \\"interim\\"' in dot
    assert 'fillcolor="#0072B2"' in dot  # customer success blue, as in every chart
    assert "cluster_legend" in dot


def test_mermaid_escapes_text_and_avoids_reserved_ids(matrix) -> None:
    _, graph = matrix
    text = to_mermaid(graph)
    assert text.startswith("flowchart TD")
    assert "u_end[" in text and "u_csm_smb[" in text  # 'end' would close the flowchart
    assert "Ana #lt;Lee#gt;" in text and "CCO #quot;interim#quot;" in text
    assert "u_cmo -.-> u_csm_smb" in text
    assert "class u_csm_smb,u_end open" in text


def _big_org(teams: int = 300) -> OrgGraph:
    units = [Unit(id="ceo", title="CEO", function="executive")]
    for e in range(3):
        units.append(Unit(id=f"vp{e}", title=f"VP {e}", function="executive", reports_to="ceo"))
        for m in range(teams // 3):
            mid = f"m{e}_{m}"
            units.append(Unit(id=mid, title="Manager", function="support", reports_to=f"vp{e}"))
            units.append(
                Unit(
                    id=f"t{e}_{m}", title="Agents", function="support", reports_to=mid, headcount=8
                )
            )
    return OrgGraph(units)


def test_mermaid_over_the_edge_limit_refuses_or_splits_per_executive() -> None:
    graph = _big_org()
    assert len(graph) - 1 > MERMAID_MAX_EDGES
    with pytest.raises(OrgFormatError, match=r"maxEdges 500.*--split"):
        to_mermaid(graph)
    parts, warnings = to_mermaid_parts(graph, "big")
    assert warnings == []
    assert [p.suffix for p in parts] == ["", "-vp0", "-vp1", "-vp2"]
    assert all(p.edges <= MERMAID_MAX_EDGES for p in parts)
    assert sum(p.edges for p in parts) == len(graph) - 1  # every reporting line drawn once
    assert "continued in big-vp1.mmd" in parts[0].text


def test_mermaid_split_packs_an_executive_too_big_for_one_file() -> None:
    graph = _big_org(teams=900)  # each VP: 300 managers + 300 teams = 600 edges
    parts, warnings = to_mermaid_parts(graph, "big")
    assert warnings == []
    assert [p.suffix for p in parts] == ["", "-vp0", "-vp0-2", "-vp1", "-vp1-2", "-vp2", "-vp2-2"]
    assert all(p.edges <= MERMAID_MAX_EDGES for p in parts)
    drawn = {line.strip() for p in parts for line in p.text.splitlines() if "-->" in line}
    expected = {f"u_{u.reports_to} --> u_{u.id}" for u in graph.units.values() if u.reports_to}
    assert drawn == expected  # every reporting line is somewhere, nothing invented
    assert "continued in big-vp0-2.mmd" in parts[1].text


def test_cli_export_formats_from_suffix_and_refuses_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    scenario = str(SCENARIOS / "cxo_tech_touch.yaml")
    for suffix in (".dot", ".gv", ".mmd", ".graphml", ".csv"):
        out = tmp_path / f"org{suffix}"
        result = runner.invoke(main, ["org", "export", scenario, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    with (tmp_path / "org.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:7] == [
        "id",
        "reports_to",
        "name",
        "title",
        "function",
        "headcount",
        "loaded_cost",
    ]
    assert {r["id"]: r["dotted_to"] for r in rows}["cxo"] == "cmo;cpo"
    again = runner.invoke(main, ["org", "export", scenario, "-o", str(tmp_path / "org.csv")])
    assert again.exit_code == 2 and "--force" in again.output
    forced = runner.invoke(
        main, ["org", "export", scenario, "-o", str(tmp_path / "org.csv"), "--force"]
    )
    assert forced.exit_code == 0
    unknown = runner.invoke(main, ["org", "export", scenario, "-o", str(tmp_path / "org.txt")])
    assert unknown.exit_code == 2 and "--format" in unknown.output
    assert not (tmp_path / "org.txt").exists()
    chosen = runner.invoke(
        main, ["org", "export", scenario, "-o", str(tmp_path / "org.txt"), "--format", "dot"]
    )
    assert chosen.exit_code == 0 and (tmp_path / "org.txt").read_text().startswith("digraph")


def test_readers_name_the_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,reports_to,title,function,headcount\nceo,,CEO,executive,1\n"
        "cs,ceo,CSMs,customer_success,many\n",
        encoding="utf-8",
    )
    with pytest.raises(OrgFormatError, match=r"bad\.csv:3: headcount"):
        read_csv_units(bad)
    (tmp_path / "none.csv").write_text("id,title\nceo,CEO\n", encoding="utf-8")
    with pytest.raises(OrgFormatError, match=r"missing column.*reports_to.*function"):
        read_csv_units(tmp_path / "none.csv")
    (tmp_path / "bad.graphml").write_text("<graphml><oops", encoding="utf-8")
    with pytest.raises(OrgFormatError, match="not a readable GraphML"):
        read_graphml(tmp_path / "bad.graphml")
