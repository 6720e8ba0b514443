"""Report rendering: self-contained HTML with escaped names, and Markdown with PNGs beside."""

from __future__ import annotations

import re

import numpy as np

from ccosim.report.document import FigureItem, Report, Section, Table, render_html, write_markdown
from ccosim.report.figures import yearly_lines

EVIL = '<script>alert("x")</script> & Co'


def sample() -> Report:
    figure = yearly_lines(
        [1, 2],
        {EVIL: (np.array([0.9, 0.91]), np.array([0.89, 0.9]), np.array([0.91, 0.92]))},
        title="GRR",
        ylabel="GRR",
    )
    return Report(
        title=f"Comparison of {EVIL}",
        subtitle="3 designs, 20 runs",
        sections=[
            Section(
                "Headline",
                paragraphs=[f"Design {EVIL} wins."],
                tables=[Table(["design", "GRR"], [[EVIL, "91%"]], caption="KPIs")],
                figures=[FigureItem("grr", figure, "GRR by year")],
            )
        ],
        footer="ccosim test",
    )


def test_html_is_self_contained_and_escapes_scenario_text():
    html = render_html(sample())
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    assert html.count("<svg") == 1 and "<table>" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "no network references"
    assert 'href="#s1"' in html


def test_markdown_has_the_same_content_and_writes_pngs(tmp_path):
    text = write_markdown(sample(), tmp_path)
    assert "## Headline" in text and "| design | GRR |" in text
    assert "![GRR by year](figures/grr.png)" in text
    assert (tmp_path / "figures" / "grr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
