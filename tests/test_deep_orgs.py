"""Orgs far deeper than any real one: charts and reports finish, nothing recurses."""

from __future__ import annotations

import sys

from ccosim.charting.org_chart import MAX_PAGE_BOXES, _pages, fitting_depth
from ccosim.charting.tidy_layout import tidy_layout
from ccosim.org.graph import OrgGraph
from ccosim.scenario import load_text
from tests.org_generators import chain_yaml


def test_a_chain_deeper_than_the_recursion_limit_is_laid_out() -> None:
    depth = sys.getrecursionlimit() + 500
    graph = OrgGraph.from_scenario(load_text(chain_yaml(depth)))
    layout = tidy_layout(graph)
    assert len(layout.boxes) == depth
    # one box under the other (the last one stacked, slightly indented), not spread out
    assert layout.width < 1.5
    assert layout.height > depth  # every layer drawn, none collapsed


def test_a_tall_org_is_cut_to_the_layers_that_fit_a_page() -> None:
    graph = OrgGraph.from_scenario(load_text(chain_yaml(400)))
    depth = fitting_depth(graph, None, None)
    assert depth is not None and depth > 10
    assert tidy_layout(graph, depth=depth).height <= MAX_PAGE_BOXES
    assert tidy_layout(graph, depth=depth + 1).height > MAX_PAGE_BOXES


def test_pages_of_a_tall_org_fit_and_together_show_every_unit() -> None:
    graph = OrgGraph.from_scenario(load_text(chain_yaml(400)))
    pages = _pages(graph, graph.root, MAX_PAGE_BOXES)
    shown: set[str] = set()
    for unit, depth in pages:
        layout = tidy_layout(graph, unit, depth=depth)
        assert layout.height <= MAX_PAGE_BOXES and layout.width <= MAX_PAGE_BOXES
        shown |= set(layout.boxes)
    assert shown == set(graph.units)
    assert len(pages) < 10  # pages of many layers each, not one per layer


def test_workers_beyond_the_machine_are_refused_before_any_work(tmp_path) -> None:
    from click.testing import CliRunner

    from ccosim.cli import main
    from ccosim.experiment.executors import max_workers

    workers = str(max_workers() + 1)
    args = ["run", "scenarios/post_sales_cs.yaml", "--runs", "2", "--workers", workers]
    result = CliRunner().invoke(main, [*args, "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 2, result.output
    assert "at most" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.json").exists()


def test_pages_of_a_2000_deep_chain_hold_many_layers_each_within_the_page_limit() -> None:
    from ccosim.charting.org_chart import MAX_PAGES, executive_pages

    graph = OrgGraph.from_scenario(load_text(chain_yaml(2000)))
    plan = executive_pages(graph)
    # the overview, then pages of about 76 layers each (a page's height): 28 in all
    assert len(plan) <= MAX_PAGES
    assert 2000 / 80 < len(plan) - 1 < 2000 / 60


def test_pages_of_a_chain_needing_more_than_the_limit_are_refused_before_drawing(
    tmp_path,
) -> None:
    from click.testing import CliRunner

    from ccosim.charting.org_chart import MAX_PAGES
    from ccosim.cli import main

    source = tmp_path / "chain.yaml"
    source.write_text(chain_yaml(4000), encoding="utf-8")  # about 53 pages of 76 layers
    target = tmp_path / "chain.pdf"
    result = CliRunner().invoke(main, ["chart", str(source), "-o", str(target), "--pages"])
    assert result.exit_code == 2, result.output
    assert f"at most {MAX_PAGES} pages" in result.output and "--paper" in result.output
    assert "Traceback" not in result.output and not target.exists()


def test_paper_pages_of_a_chain_deeper_than_the_recursion_limit(tmp_path) -> None:
    from ccosim.charting.paper import Paper, plan_pages, save_paper_pdf

    depth = sys.getrecursionlimit() + 500
    graph = OrgGraph.from_scenario(load_text(chain_yaml(depth)))
    paper = Paper("a4")
    pages = plan_pages(graph, paper)
    # every layer drawn, each page a run of layers continuing on the next: no recursion
    assert {u for p in pages for u in p.layout.boxes} == set(graph.units)
    assert all(paper.fits(p.layout) for p in pages)
    assert len(pages) >= depth / 10
    lines = save_paper_pdf(graph, tmp_path / "chain.pdf", paper)
    assert len(lines) == len(pages)
