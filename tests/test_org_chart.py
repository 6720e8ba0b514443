"""Org charts: tidy, overlap-free layouts; legible large orgs; pages; editable text."""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner

from ccosim.charting.org_chart import chart_figure, save_chart
from ccosim.charting.tidy_layout import BOX_H, tidy_layout
from ccosim.cli import main
from ccosim.org import OrgGraph
from ccosim.scenario import load, load_text
from tests.conftest import SCENARIOS, shipped_scenarios


def synthetic_org(executives: int, directors: int, managers: int, ics: int) -> OrgGraph:
    """CEO > executives > directors > managers > individual contributors (positions)."""
    return OrgGraph.from_scenario(
        load_text(synthetic_org_yaml(executives, directors, managers, ics))
    )


def synthetic_org_yaml(executives: int, directors: int, managers: int, ics: int) -> str:
    """The scenario file of :func:`synthetic_org`."""
    lines = [
        "name: Synthetic",
        "customers:",
        "  segments:",
        "    smb: {initial_accounts: 1, acv: 1, new_accounts_per_year: 0, base_churn: 0.1}",
        "org:",
        "  units:",
        "    - {id: ceo, title: CEO, function: executive}",
    ]
    functions = itertools.cycle(
        [
            "customer_success",
            "support",
            "new_business_sales",
            "engineering",
            "marketing",
            "onboarding",
        ]
    )
    for e in range(executives):
        fn = next(functions)
        lines.append(
            f"    - {{id: e{e}, title: Executive {e}, function: executive, reports_to: ceo}}"
        )
        for d in range(directors):
            lines.append(
                f"    - {{id: e{e}d{d}, title: Director {d}, function: {fn}, "
                f"reports_to: e{e}, span_limit: 20}}"
            )
            for m in range(managers):
                mid = f"e{e}d{d}m{m}"
                lines.append(
                    f"    - {{id: {mid}, title: Manager {m}, function: {fn}, "
                    f"reports_to: e{e}d{d}, span_limit: 20}}"
                )
                lines += [
                    f"    - {{id: {mid}i{i}, title: Specialist {i}, function: {fn}, "
                    f"reports_to: {mid}, name: Person {i}}}"
                    for i in range(ics)
                ]
    return "\n".join(lines) + "\n"


def assert_tidy(graph: OrgGraph, **kwargs) -> None:
    layout = tidy_layout(graph, **kwargs)
    boxes = sorted(layout.boxes.values(), key=lambda b: (b.x, b.y))
    for i, a in enumerate(boxes):  # sweep on x: only neighbours within one box can overlap
        for b in boxes[i + 1 :]:
            if b.x - a.x >= 1:
                break
            assert abs(a.y - b.y) >= BOX_H, f"{a.unit} overlaps {b.unit}"
    for parent, child in layout.edges:
        assert layout.boxes[child].y > layout.boxes[parent].y
    for unit, box in layout.boxes.items():
        kids = [layout.boxes[k] for k in graph.reports(unit) if k in layout.boxes]
        if kids:
            left = min(k.x for k in kids) - 0.2
            right = max(k.x for k in kids) + 1
            assert left - 1e-9 <= box.x + 0.5 <= right + 1e-9, f"{unit} not over its reports"


@pytest.mark.parametrize("path", shipped_scenarios(), ids=lambda p: p.name)
def test_shipped_scenarios_lay_out_tidily_and_draw(path, tmp_path):
    graph = OrgGraph.from_scenario(load(path))
    assert_tidy(graph)
    notes = save_chart(graph, tmp_path / "chart.png", title=path.stem)
    assert (tmp_path / "chart.png").stat().st_size > 10_000 and "collapsed" not in notes[0]


def test_stacking_keeps_a_600_unit_org_legible():
    graph = synthetic_org(4, 3, 4, 11)  # 1 + 4 + 12 + 48 + 528 = 593 units
    assert 580 <= len(graph) <= 620
    flat = tidy_layout(graph, stack=False).aspect_ratio
    stacked = tidy_layout(graph).aspect_ratio
    assert flat > 100, flat
    assert stacked < 12, stacked
    assert_tidy(graph)


def test_a_1500_unit_org_draws_without_tuning(tmp_path):
    graph = synthetic_org(8, 4, 4, 11)  # 1 + 8 + 32 + 128 + 1,408 = 1,577 units
    assert len(graph) >= 1500
    assert_tidy(graph)
    notes = save_chart(graph, tmp_path / "whole.png", title="Big")
    assert "collapsed" in notes[0], "too wide for one image: drawn shallower, and said so"
    pages = save_chart(graph, tmp_path / "big.pdf", pages=True, title="Big")
    assert pages[0] == "overview" and len(pages) == 1 + 8
    for unit in graph.reports(graph.root):  # every executive's page fits and shows all units
        assert tidy_layout(graph, unit).width <= 90


def test_chart_marks_vacancies_dotted_lines_and_span_flags():
    graph = OrgGraph.from_scenario(
        load(
            SCENARIOS / "cxo_tech_touch.yaml",
            set_options=["org.units.support_agents.open_headcount=3", "assumptions.span.limit=6"],
        )
    )
    figure = chart_figure(graph)
    axes = figure.axes[0]
    dashed = [p for p in axes.patches if p.get_linestyle() in ("--", "dashed")]
    assert dashed, "open positions are drawn dashed"
    texts = " ".join(t.get_text() for t in axes.texts)
    assert "3 to hire" in texts and "span 7 > 6" in texts
    assert len(axes.collections) == 2, "solid reporting lines and dotted lines (cxo > cmo, cpo)"


def test_svg_keeps_text_editable(tmp_path):
    graph = OrgGraph.from_scenario(load(SCENARIOS / "cco_full.yaml"))
    save_chart(graph, tmp_path / "c.svg", title="CCO")
    svg = (tmp_path / "c.svg").read_text()
    assert "Chief Customer Officer" in svg and "<text" in svg


def test_chart_cli_options_and_errors(tmp_path):
    run = CliRunner().invoke
    path = str(SCENARIOS / "cco_full.yaml")
    ok = run(
        main,
        [
            "chart",
            path,
            "-o",
            str(tmp_path / "c.png"),
            "--root",
            "cco",
            "--show",
            "cost,span,total",
            "--depth",
            "2",
        ],
    )
    assert ok.exit_code == 0, ok.output
    again = run(main, ["chart", path, "-o", str(tmp_path / "c.png")])
    assert again.exit_code == 2 and "--force" in again.output
    bad_root = run(main, ["chart", path, "-o", str(tmp_path / "d.png"), "--root", "cc0"])
    assert bad_root.exit_code == 2 and "did you mean 'cco'" in bad_root.output
    bad_show = run(main, ["chart", path, "-o", str(tmp_path / "d.png"), "--show", "salary"])
    assert bad_show.exit_code == 2 and "choose from cost, span, total" in bad_show.output
    bad_pages = run(main, ["chart", path, "-o", str(tmp_path / "d.png"), "--pages"])
    assert bad_pages.exit_code == 2 and ".pdf" in bad_pages.output
    assert not (tmp_path / "d.png").exists()


def test_diff_chart_highlights_added_and_moved_and_lists_removed():
    from ccosim.charting.draw import HIGHLIGHT_COLORS
    from ccosim.charting.org_chart import diff_chart_figure
    from ccosim.org.org_diff import diff_orgs

    as_is = OrgGraph.from_scenario(load(SCENARIOS / "post_sales_cs.yaml"))
    to_be = OrgGraph.from_scenario(load(SCENARIOS / "cco_full.yaml"))
    figure = diff_chart_figure(to_be, diff_orgs(as_is, to_be))
    edges = {}
    for patch in figure.axes[0].patches:
        if patch.get_linewidth() > 2:
            edges.setdefault(patch.get_edgecolor()[:3], 0)
            edges[patch.get_edgecolor()[:3]] += 1
    from matplotlib.colors import to_rgb

    assert edges.get(to_rgb(HIGHLIGHT_COLORS["added"])) == 1  # the CCO
    assert edges.get(to_rgb(HIGHLIGHT_COLORS["moved"])) == 8  # every leader the CCO takes over
    assert "VP of Services (vp_services)" in " ".join(t.get_text() for t in figure.texts)


def test_oracle_hris_sample_imports_and_charts(tmp_path):
    """The real HRIS export: every one of its 107 employees drawn once, without overlaps."""
    from pathlib import Path

    from ccosim.io.hris import import_hris_csv

    sample = Path(__file__).parent / "data" / "hris_oracle_hr_sample.csv"
    graph = OrgGraph(import_hris_csv(sample).units)
    layout = tidy_layout(graph)
    assert len(layout.boxes) == 107 and len(layout.edges) == 106
    assert_tidy(graph)
    notes = save_chart(graph, tmp_path / "oracle.png", title="Oracle HR sample")
    assert "collapsed" not in notes[0], "107 people fit on one page"
    folded = OrgGraph(import_hris_csv(sample, fold_teams=True).units)
    assert tidy_layout(folded).height < 0.6 * layout.height, "folded teams: a shorter chart"
    result = CliRunner().invoke(
        main,
        [
            "org",
            "diff",
            str(SCENARIOS / "post_sales_cs.yaml"),
            str(SCENARIOS / "cco_full.yaml"),
            "--chart",
            str(tmp_path / "diff.svg"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Chief Customer Officer" in (tmp_path / "diff.svg").read_text()
