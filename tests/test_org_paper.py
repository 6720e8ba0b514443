"""Org charts that print: every page the paper's size, no type under 6 pt, every unit drawn."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccosim.charting.paper import MIN_FONT_PT, Paper, plan_pages
from ccosim.cli import main
from ccosim.io.authoring import scenario_yaml, write_scenario
from ccosim.io.hris import import_hris_csv
from ccosim.org import OrgGraph
from ccosim.scenario import load
from tests.conftest import SCENARIOS

ADVENTUREWORKS = Path(__file__).parent / "data" / "hris_adventureworks_employees.csv"
POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0), "a3": (841.89, 1190.55)}


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    """(width, height) in points of every page of a PDF (from each page's /MediaBox)."""
    data = path.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    return [(float(w), float(h)) for w, h in boxes]


def pdf_font_sizes(path: Path) -> list[float]:
    """Every font size set in the PDF's content streams (the operand of each ``Tf``)."""
    data = path.read_bytes()
    sizes: list[float] = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(match.group(1))
        except zlib.error:
            text = match.group(1)
        sizes += [float(x) for x in re.findall(rb"/F\d+\s+([\d.]+)\s+Tf", text)]
    return sizes


@pytest.fixture(scope="module")
def adventureworks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("aw")
    out = folder / "aw.yaml"
    write_scenario(scenario_yaml(import_hris_csv(ADVENTUREWORKS), out), out)
    return out


def test_a4_chart_of_a_290_person_org_prints_at_6_pt_or_more(adventureworks: Path) -> None:
    target = adventureworks.with_name("aw.pdf")
    result = CliRunner().invoke(
        main, ["chart", str(adventureworks), "-o", str(target), "--paper", "a4"]
    )
    assert result.exit_code == 0, result.output
    sizes = pdf_pages(target)
    count = int(re.search(r"\((\d+) pages\)", result.output).group(1))
    assert len(sizes) == count > 1
    for width, height in sizes:
        assert width == pytest.approx(595.28, abs=0.5) and height == pytest.approx(841.89, abs=0.5)
    fonts = pdf_font_sizes(target)
    assert fonts and min(fonts) >= MIN_FONT_PT - 1e-6
    assert "page 1: overview" in result.output


def test_page_plan_draws_every_unit_and_continues_each_team(adventureworks: Path) -> None:
    graph = OrgGraph.from_scenario(load(adventureworks))
    for paper in (Paper("a4"), Paper("letter", landscape=True), Paper("a3")):
        pages = plan_pages(graph, paper)
        drawn = {u for p in pages for u in p.layout.boxes}
        assert drawn == set(graph.units)
        # Each unit once, and each team's top again on the page it continues on.
        tops = sum(len(p.blocks) for p in pages) - 1
        assert sum(len(p.layout.boxes) for p in pages) == len(graph.units) + tops
        assert all(paper.fits(p.layout) for p in pages)
        roots = {b: p.number for p in reversed(pages) for b in p.blocks}
        for page in pages:
            for box in page.layout.boxes.values():
                if box.collapsed:  # its team is drawn on a later page with it at the top
                    assert roots[box.unit] > page.number
    # The overview comes first: the CEO and every executive, the teams that fit drawn in
    # full, the others continued on later pages.
    a4 = plan_pages(graph, Paper("a4"))
    assert a4[0].root == graph.root
    assert set(a4[0].layout.boxes) >= {graph.root, *graph.reports(graph.root)}
    assert any(not b.collapsed and graph.is_manager(b.unit) for b in a4[0].layout.boxes.values()
               if b.unit != graph.root)  # fmt: skip


def test_wide_team_of_individual_contributors_is_split_into_parts(tmp_path: Path) -> None:
    rows = "id,parent,title,name\n1,,Head of Support,Ada\n" + "".join(
        f"{i},1,Support Agent,Agent {i}\n" for i in range(2, 186)
    )
    source = tmp_path / "wide.csv"
    source.write_text(rows, encoding="utf-8")
    graph = OrgGraph(import_hris_csv(source).units)
    pages = plan_pages(graph, Paper("a4", landscape=True))
    assert len(pages) > 2 and all(p.part and p.part[1] == len(pages) for p in pages)
    assert sorted(u for p in pages for u in p.reports or []) == sorted(graph.reports("1"))


def test_diff_chart_on_paper_with_a_root_given_by_name(tmp_path: Path) -> None:
    target = tmp_path / "diff.pdf"
    result = CliRunner().invoke(
        main,
        [
            "org",
            "diff",
            str(SCENARIOS / "post_sales_cs.yaml"),
            str(SCENARIOS / "cco_full.yaml"),
            "--chart",
            str(target),
            "--paper",
            "letter",
            "--landscape",
            "--root",
            "Chief Customer Officer",
        ],
    )
    assert result.exit_code == 0, result.output
    for width, height in pdf_pages(target):
        assert (width, height) == pytest.approx((792.0, 612.0), abs=0.5)
    assert min(pdf_font_sizes(target)) >= MIN_FONT_PT - 1e-6
    png = CliRunner().invoke(
        main,
        [
            "org",
            "diff",
            str(SCENARIOS / "post_sales_cs.yaml"),
            str(SCENARIOS / "cco_full.yaml"),
            "--chart",
            str(tmp_path / "d.png"),
            "--paper",
            "a4",
        ],
    )
    assert png.exit_code == 2 and "PDF" in png.output


def test_long_dotted_lines_become_labelled_stubs() -> None:
    from ccosim.charting.draw import dotted_stubs
    from ccosim.charting.tidy_layout import tidy_layout

    graph = OrgGraph.from_scenario(load(SCENARIOS / "cxo_tech_touch.yaml"))
    layout = tidy_layout(graph)
    stubs = dotted_stubs(graph, layout, {})
    pairs = [k for k in stubs if isinstance(k, tuple)]
    assert pairs, "cxo_tech_touch has dotted lines that would cross other boxes"
    for boss, unit in pairs:
        assert any(line.startswith("··· dotted to") for line in stubs[unit])
        assert any(line.startswith("··· dotted from") for line in stubs[boss])
        assert all(len(line) <= 24 for line in stubs[unit] + stubs[boss])  # fits the box


def _dot_rank_widths(dot: str) -> list[int]:
    """Units per rank as Graphviz ranks them: longest path over the constraining edges."""
    import networkx as nx

    g = nx.DiGraph()
    for a, b, attrs in re.findall(r'^\s+"([^"]+)" -> "([^"]+)"(.*);$', dot, re.M):
        if "constraint=false" not in attrs and not a.startswith("legend_"):
            g.add_edge(a, b)
    rank: dict[str, int] = {}
    for node in nx.topological_sort(g):
        rank[node] = max((rank[p] + 1 for p in g.predecessors(node)), default=0)
    widths = [0] * (max(rank.values()) + 1)
    for r in rank.values():
        widths[r] += 1
    return widths


def test_dot_export_stacks_individual_contributors(adventureworks: Path, tmp_path: Path) -> None:
    import shutil
    import subprocess

    from ccosim.io.formats import to_dot

    graph = OrgGraph.from_scenario(load(adventureworks))
    flat, stacked = to_dot(graph, max_stack=0), to_dot(graph)
    assert max(_dot_rank_widths(flat)) > 150  # the production floor side by side
    assert max(_dot_rank_widths(stacked)) <= max(_dot_rank_widths(flat)) / 3
    if shutil.which("dot") is None:
        pytest.skip("Graphviz not installed: the drawn aspect ratio is not checked")
    sizes = []
    for text in (flat, stacked):
        source = tmp_path / "org.dot"
        source.write_text(text, encoding="utf-8")
        svg = subprocess.run(
            ["dot", "-Tsvg", str(source)], capture_output=True, text=True, check=True
        ).stdout
        w, h = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
        sizes.append(float(w) / float(h))
    assert sizes[0] > 30 and sizes[1] < 15


def _org_of_23(tmp_path: Path) -> Path:
    """CEO, six vice presidents each over a director over a manager, four specialists.

    Before pages were shared this printed on 4 A4 pages, three of them 3 or 4 boxes.
    """
    rows = ["id,parent,title,name", "ceo,,Chief Executive Officer,Ada King"]
    for v in range(6):
        rows += [
            f"v{v},ceo,Vice President {v},VP {v}",
            f"d{v},v{v},Director {v},Director {v}",
            f"m{v},d{v},Manager {v},Manager {v}",
        ]
    rows += [f"i{v},m{v},Specialist,Specialist {v}" for v in range(4)]
    source = tmp_path / "org23.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "org23.yaml"
    write_scenario(scenario_yaml(import_hris_csv(source), out), out)
    return out


def test_small_teams_share_pages_so_23_people_print_on_at_most_3_a4_pages(
    tmp_path: Path,
) -> None:
    scenario = _org_of_23(tmp_path)
    graph = OrgGraph.from_scenario(load(scenario))
    assert len(graph) == 23
    paper = Paper("a4")
    unpacked = plan_pages(graph, paper, pack=False)
    pages = plan_pages(graph, paper)
    assert len(pages) <= 3 < len(unpacked)
    # Every unit drawn (a team's top again where it continues); no page under a third
    # full but the last.
    assert {u for p in pages for u in p.layout.boxes} == set(graph.units)
    tops = sum(len(p.blocks) for p in pages) - 1
    assert sum(len(p.layout.boxes) for p in pages) == len(graph.units) + tops
    assert all(len(p.layout.boxes) >= paper.box_capacity() / 3 for p in pages[:-1])
    assert any(len(p.blocks) > 1 for p in pages)  # teams really share a page
    target = tmp_path / "org23.pdf"
    result = CliRunner().invoke(main, ["chart", str(scenario), "-o", str(target), "--paper", "a4"])
    assert result.exit_code == 0, result.output
    assert len(pdf_pages(target)) == len(pages)
    assert min(pdf_font_sizes(target)) >= MIN_FONT_PT - 1e-6
    assert "teams of" in result.output and "reports to" not in result.output


def test_leadership_chart_on_paper_of_a_5000_person_org(tmp_path: Path) -> None:
    from tests.test_org_chart import synthetic_org_yaml

    scenario = tmp_path / "big.yaml"
    scenario.write_text(synthetic_org_yaml(8, 5, 10, 12), encoding="utf-8")
    graph = OrgGraph.from_scenario(load(scenario))  # 8 executives, 40 directors, 400 managers
    assert len(graph) > 5000
    pages = plan_pages(graph, Paper("a4"), depth=2)
    drawn = {u for p in pages for u in p.layout.boxes}
    assert drawn == {"ceo", *graph.reports("ceo"), *(d for e in graph.reports("ceo")
                                                      for d in graph.reports(e))}  # fmt: skip
    directors = [b for p in pages for b in p.layout.boxes.values() if b.unit.count("d") == 1]
    assert directors and all(b.collapsed for b in directors)  # cut: "+ 130 below"
    target = tmp_path / "leaders.pdf"
    result = CliRunner().invoke(
        main, ["chart", str(scenario), "-o", str(target), "--paper", "a4", "--depth", "2"]
    )
    assert result.exit_code == 0, result.output
    assert 1 <= len(pdf_pages(target)) <= 4 and "page 1: leadership chart" in result.output
    from ccosim.charting.draw import box_text

    assert "+ 130 below" in box_text(graph, directors[0].unit, (), collapsed=True)


def pdf_page_texts(path: Path) -> list[list[str]]:
    """The text lines of each page of a paper chart, decoded with the file's ToUnicode map."""
    streams = []  # (the writer ends each stream's data with exactly one newline)
    for match in re.finditer(rb"stream\n(.*?)\nendstream", path.read_bytes(), re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    glyphs: dict[str, str] = {}
    for stream in streams:
        if b"beginbfchar" in stream:
            for gid, code in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]+)>", stream):
                glyphs[gid.decode()] = bytes.fromhex(code.decode()).decode("utf-16-be")
    return [
        [
            "".join(glyphs.get(run[i : i + 4].decode(), "?") for i in range(0, len(run), 4))
            for run in re.findall(rb"<([0-9A-F]*)> Tj", stream)
        ]
        for stream in streams
        if b" Tj" in stream and b"beginbfchar" not in stream
    ]


def test_the_pdf_draws_each_unit_on_the_page_the_plan_gives_it(tmp_path: Path) -> None:
    from ccosim.charting.paper import save_paper_pdf
    from ccosim.scenario import load_text
    from tests.org_generators import random_org_yaml

    graph = OrgGraph.from_scenario(load_text(random_org_yaml(700, seed=4)))
    paper = Paper("a4")
    pages = plan_pages(graph, paper)
    assert len(pages) > 5  # a mid-size org: several pages, some shared by small teams
    target = tmp_path / "org.pdf"
    lines = save_paper_pdf(graph, target, paper, title="Random")
    texts = pdf_page_texts(target)
    assert len(texts) == len(pages) == len(lines) == len(pdf_pages(target))
    for page, text in zip(pages, texts, strict=True):
        # every box's title (T1, T2, ... unique) on its page, and no other box
        drawn = {t for t in text if re.fullmatch(r"T\d+|CEO", t)}
        assert drawn == {graph.units[u].title for u in page.layout.boxes}, page.number
        assert f"page {page.number}" in text and "Random" in text


def test_paper_pages_make_no_matplotlib_figure(tmp_path: Path, monkeypatch) -> None:
    # A figure per page (a dozen artists and a text layout per box) took a quarter of an hour
    # for 50,000 people; pages are written straight to PDF.
    import matplotlib.figure

    from ccosim.charting.paper import save_paper_pdf
    from ccosim.scenario import load_text
    from tests.org_generators import random_org_yaml

    def no_figure(*args, **kwargs):
        raise AssertionError("a matplotlib Figure was made for a paper page")

    monkeypatch.setattr(matplotlib.figure.Figure, "__init__", no_figure)
    graph = OrgGraph.from_scenario(load_text(random_org_yaml(300, seed=2)))
    target = tmp_path / "org.pdf"
    assert save_paper_pdf(graph, target, Paper("a4"))
    assert b"/CIDFontType2" in target.read_bytes() and b"/ToUnicode" in target.read_bytes()


@pytest.mark.parametrize("quiet", [False, True])
def test_paper_chart_shows_a_progress_bar_unless_quiet(
    tmp_path: Path, monkeypatch, quiet: bool
) -> None:
    from functools import partial

    from ccosim.cli import chart_cmds
    from ccosim.cli.progress import StageBars
    from tests.org_generators import random_org_yaml

    # as on a terminal, on a chart slower than the bar's delay
    monkeypatch.setattr(chart_cmds, "StageBars", partial(StageBars, force=True, delay=0))
    source = tmp_path / "org.yaml"
    source.write_text(random_org_yaml(200, seed=3), encoding="utf-8")
    args = ["chart", str(source), "-o", str(tmp_path / "org.pdf"), "--paper", "a4"]
    result = CliRunner().invoke(main, [*args, "--quiet"] if quiet else args)
    assert result.exit_code == 0, result.output
    for stage in ("Laying out pages", "Drawing pages"):
        assert (stage in result.stderr) is not quiet


def test_a_page_subtitle_naming_many_teams_stays_inside_the_margins() -> None:
    # Page 4 of the shipped CCO org names eight shared teams; its subtitle ran off the right
    # edge of the A4 page. It is now cut at a word with an ellipsis to the line's width.
    from ccosim.charting.paper_draw import fitted
    from ccosim.charting.pdf_canvas import PdfCanvas

    font = PdfCanvas().font()
    line = (8.27 - 0.8) * 72  # A4 portrait less the margins, points
    names = ", ".join(f"Director of Function {i}" for i in range(8))
    long = f"teams of {names}"
    cut = fitted(long, font, 8, line)
    assert font.width(long, 8) > line >= font.width(cut, 8)
    assert cut.endswith(" …") and long.startswith(cut[:-2])
    assert fitted("teams of A, B", font, 8, line) == "teams of A, B"
