"""Large orgs: analytics on the tree (no unit pairs, no recursion) match the all-pairs reference."""

from __future__ import annotations

import json
from functools import partial
from itertools import product
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.org import OrgGraph, org_stats
from ccosim.scenario import load, load_text
from ccosim.scenario.schema import CUSTOMER_FACING, Function
from tests.conftest import shipped_scenarios
from tests.org_generators import chain_yaml, random_org_yaml

# ---- the reference: the all-pairs code these analytics replaced (fine on small orgs) ------


def reference_function_distance(graph: OrgGraph, a: Function, b: Function) -> int | None:
    """Fewest hops over every pair of units of ``a`` and ``b`` (the old O(n^2) code)."""
    units_a, units_b = graph.units_of(a), graph.units_of(b)
    if not units_a or not units_b:
        return None
    return min(graph.distance(x, y) for x, y in product(units_a, units_b))


def reference_executive_of(graph: OrgGraph, unit_id: str) -> str:
    """Walk up from ``unit_id`` to the root's direct report (the old per-unit walk)."""
    if unit_id == graph.root:
        return graph.root
    node = unit_id
    while graph.units[node].reports_to != graph.root:
        node = graph.units[node].reports_to  # type: ignore[assignment]
    return node


def reference_rollups(graph: OrgGraph, unit_id: str) -> tuple[float, float, float]:
    """Headcount, cost and default-cost part of a subtree, summed over the subtree."""
    subtree = graph.subtree(unit_id)
    return (
        sum(graph.headcount(u) for u in subtree),
        sum(graph.cost(u) for u in subtree),
        sum(graph.cost(u) for u in subtree if graph.units[u].cost is None),
    )


def assert_matches_reference(graph: OrgGraph) -> None:
    """Every figure the tree code computes equals the reference's, exactly."""
    for a, b in product(Function, Function):
        assert graph.function_distance(a, b) == reference_function_distance(graph, a, b), (a, b)
    expected = {
        f"{a.value}|{b.value}": reference_function_distance(graph, a, b)
        for i, a in enumerate(CUSTOMER_FACING)
        for b in CUSTOMER_FACING[i + 1 :]
    }
    stats = org_stats(graph)
    assert stats.handoff_distances == expected
    for unit_id in graph.top_down:
        assert graph.executive_of(unit_id) == reference_executive_of(graph, unit_id)
        heads, cost, _ = reference_rollups(graph, unit_id)
        assert (graph.rollup_headcount(unit_id), graph.rollup_cost(unit_id)) == (heads, cost)
    for manager in stats.managers:
        assert manager.rollup_cost_default == reference_rollups(graph, manager.id)[2]
        assert type(manager.rollup_cost_default) is type(reference_rollups(graph, manager.id)[2])


@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.stem)
def test_tree_analytics_match_the_all_pairs_reference_on_shipped_scenarios(path: Path) -> None:
    assert_matches_reference(OrgGraph.from_scenario(load(path)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tree_analytics_match_the_all_pairs_reference_on_generated_orgs(seed: int) -> None:
    graph = OrgGraph.from_scenario(load_text(random_org_yaml(300, seed)))
    assert_matches_reference(graph)
    # the generated orgs are not trivial: some pairs are far apart, some functions adjacent
    distances = [d for d in org_stats(graph).handoff_distances.values() if d is not None]
    assert len(set(distances)) > 1


def test_distance_to_a_function_is_measured_through_the_lowest_common_manager() -> None:
    graph = OrgGraph.from_scenario(load_text(chain_yaml(2100)))
    # customer success sits at depths 700-1399 and support at 1400-2099: one hop apart
    assert graph.function_distance("customer_success", "support") == 1
    # engineering is absent: no distance at all
    assert graph.function_distance("support", "engineering") is None
    assert graph.function_distance("executive", "support") == 1400 - 699


def test_org_stats_runs_on_a_3000_deep_chain(tmp_path: Path) -> None:
    source = tmp_path / "chain.yaml"
    source.write_text(chain_yaml(3000), encoding="utf-8")
    result = CliRunner().invoke(main, ["org", "stats", str(source), "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["layers"] == 3000
    assert data["handoff_distances"]["new_business_sales|customer_success"] == 2800 - 1399
    top = data["managers"][0]
    assert top["people_below"] == 2999


@pytest.mark.parametrize("quiet", [False, True])
def test_org_stats_shows_a_progress_bar_unless_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    from ccosim.cli import org_cmds
    from ccosim.cli.progress import Progress

    # as on a terminal, on a run slower than the bar's delay
    monkeypatch.setattr(org_cmds, "Progress", partial(Progress, force=True, delay=0))
    source = tmp_path / "chain.yaml"
    source.write_text(chain_yaml(50), encoding="utf-8")
    args = ["org", "stats", str(source), str(source), "--json", "-"]
    result = CliRunner().invoke(main, [*args, "--quiet"] if quiet else args)
    assert result.exit_code == 0, result.output
    assert ("Reading and analysing" in result.stderr) is not quiet
    assert len(json.loads(result.stdout)) == 1  # one file given twice: one entry


def test_the_inputs_of_a_chain_of_files_are_listed_without_parsing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ccosim.scenario import resolve

    files = []
    for index in range(3):  # c.yaml extends b.yaml extends a.yaml, as `org import` writes
        path = tmp_path / f"{'abc'[index]}.yaml"
        head = f"# base\nextends: {files[-1].name}  # the units before\n" if files else ""
        head = head or "# (b.yaml extends this file)\n"  # the word, but no key: not parsed
        path.write_text(head + chain_yaml(5 + index), encoding="utf-8")
        files.append(path)
    quoted = tmp_path / "q.yaml"  # a quoted value or key: parsed, same answer
    quoted.write_text(f'"extends": "{files[-1].name}"\nname: Q\n', encoding="utf-8")
    expected = [files[2], files[1], files[0]]
    assert resolve.extends_chain(files[2]) == expected
    assert resolve.extends_chain(quoted) == [quoted, *expected]

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(resolve, "read_yaml", no_parse)
    assert resolve.extends_chain(files[2]) == expected


def test_a_chain_of_files_with_byte_order_marks_is_followed(tmp_path: Path) -> None:
    # The plain-line shortcut reads bytes: a UTF-8 byte-order mark before 'extends' or a
    # UTF-16 file must not read as "extends nothing", or an output onto the base would not
    # be seen as an input.
    from ccosim.scenario import resolve

    base = tmp_path / "base.yaml"
    base.write_text(chain_yaml(3), encoding="utf-8")
    for name, encoding in (("bom8.yaml", "utf-8-sig"), ("wide.yaml", "utf-16")):
        child = tmp_path / name
        child.write_text("extends: base.yaml\nname: Child\n", encoding=encoding)
        assert resolve.extends_chain(child) == [child, base], name
