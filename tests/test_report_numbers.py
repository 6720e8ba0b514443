"""Every number in the demo report is written by its unit: a board pack with "0k" is not."""

from __future__ import annotations

import re

import pytest

from ccosim.experiment.compare import run_comparison
from ccosim.report.compare_report import build_report
from ccosim.report.document import write_markdown
from tests.conftest import SCENARIOS

DEMO = ("vp_services", "post_sales_cs", "cco_full", "cs_under_sales", "cxo_tech_touch")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The `make demo` comparison, small: five designs, 2 runs, 3 years, with attribution."""
    comparison = run_comparison(
        [SCENARIOS / f"{name}.yaml" for name in DEMO],
        baseline="post_sales_cs",
        runs=2,
        years=3,
        workers=1,
    )
    report = build_report(comparison)
    folder = tmp_path_factory.mktemp("demo")
    return comparison, report, write_markdown(report, folder)


def test_markdown_numbers_follow_their_units(demo):
    _, _, markdown = demo
    problems = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.startswith("| assumptions."):
            line = line.rsplit("|", 2)[0]  # the meaning column quotes the scenario reference
        if re.search(r"(?<![\d.,$])[+-]?\$?0k\b", line):
            problems.append((number, "a '0k' amount", line))
        if re.search(r"(?<![\w.])[+-]\d+(\.\d+)?%", line):
            problems.append((number, "a signed percentage (a difference is in pts)", line))
        if re.search(r"\b(nan|inf|None)\b", line):
            problems.append((number, "an undefined value not written n/a", line))
        if re.search(r"\d\.\d+e[+-]?\d", line):
            problems.append((number, "scientific notation", line))
    assert not problems, "\n".join(f"{n}: {why}: {text[:120]}" for n, why, text in problems)
    assert " pts" in markdown and "%" in markdown and "$" in markdown


def test_undefined_values_are_written_na(demo):
    _, report, _ = demo
    primary = next(s for s in report.sections if s.title.startswith("Each function"))
    cells = [c for row in primary.tables[0].rows for c in row[2:]]
    assert all(re.fullmatch(r"n/a|-?\$?[\d,.]+(k|M|B)?( months| h|%)?", c) for c in cells), cells
    assert not any(c in ("0k", "$0k", "0.00") for c in cells)


def check_ticks(items) -> int:
    """Assert every tick label of the figures is plain (no offset, 0k, e+06) and distinct."""
    checked = 0
    for item in items:
        figure = item.figure
        figure.draw_without_rendering()
        for axes in figure.axes:
            for axis in (axes.xaxis, axes.yaxis):
                assert axis.get_offset_text().get_text() == "", (item.stem, "offset axis")
                labels = [t.get_text() for t in axis.get_ticklabels() if t.get_text()]
                shown = [t for t in labels if re.search(r"\d", t)]
                assert len(set(shown)) == len(shown), (item.stem, shown)
                for text in shown:
                    assert not re.search(r"(?<![\d.])0k\b|e[+-]\d", text), (item.stem, text)
                checked += len(shown)
    return checked


def test_chart_ticks_are_plain_and_distinct(demo):
    _, report, _ = demo
    assert check_ticks(item for section in report.sections for item in section.figures) > 100


def test_the_summary_comes_first_and_takes_extra_parts(demo):
    _, report, _ = demo
    assert [s.title for s in report.sections[:2]] == ["For the board", "Executive summary"]
    summary = report.sections[1]
    assert any("cover customer randomness only" in p for p in summary.paragraphs)
    assert [t.caption.split(" in year")[0] for t in summary.tables] == [
        "Ranking",
        "Trade-off against post-sales + CS",
    ]
    assert summary.figures[0].stem == "differences"

    from ccosim.report.document import Section

    def draws(c):
        return Section("draws", paragraphs=[f"P(best) over {c.runs} runs: placeholder for a test."])

    extended = build_report(demo[0], summary_parts=[draws])
    assert "P(best) over 2 runs: placeholder for a test." in extended.sections[1].paragraphs


def test_every_tick_label_of_the_report_reads_back_as_its_position(demo):
    """The issue's "-3 pts" at -2.5 pts, on every chart of the demo report: none."""
    from tests.test_chart_ticks import _LABEL, drawn_ticks, parse

    _, report, _ = demo
    checked = 0
    for section in report.sections:
        for item in section.figures:
            for axes in item.figure.axes:
                for axis in (axes.xaxis, axes.yaxis):
                    for loc, text in drawn_ticks(axis):
                        clean = text.replace("\u2212", "-").replace(",", "").strip()
                        if not _LABEL.fullmatch(clean):
                            continue  # a design's or a function's name
                        value, _ = parse(text)
                        assert value == pytest.approx(loc, rel=1e-9, abs=1e-12), (
                            item.stem,
                            text,
                            loc,
                        )
                        checked += 1
    assert checked > 100
