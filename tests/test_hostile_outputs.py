"""Untrusted text in outputs: Markdown, CSV, SVG, GraphML and the terminal show it as typed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.report.document import md_text
from ccosim.tabular import csv_text, safe_cell
from tests.conftest import MINIMAL

HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3"]


def cli(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)


# --- CSV: the OWASP rule ---------------------------------------------------------------------


@pytest.mark.parametrize("cell", [*HOSTILE_NAMES, "\tx", "\rx"])
def test_safe_cell_neutralises_formula_prefixes(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", [-5, 1.5, "-5", "+1.5e3", "plain", "", None])
def test_safe_cell_leaves_numbers_and_plain_text(cell):
    assert safe_cell(cell) == ("" if cell is None else cell)


def test_csv_text_quotes_every_cell_and_the_header():
    text = csv_text(["=bad", "ok"], [["@SUM(A1)", 3], ["x,y", "-2+3"]])
    assert text.splitlines() == ["'=bad,ok", "'@SUM(A1),3", '"x,y",\'-2+3']


def test_org_export_csv_neutralises_formulas_in_titles(write_scenario, tmp_path):
    text = MINIMAL.replace("title: CSMs", 'title: \'=HYPERLINK("http://evil","x")\'').replace(
        "title: CCO", "title: \"+cmd|' /C calc'!A0\""
    )
    out = tmp_path / "org.csv"
    result = cli("org", "export", write_scenario(text), "-o", out)
    assert result.exit_code == 0, result.output
    cells = [c for line in out.read_text().splitlines() for c in line.split(",")]
    assert not any(c.lstrip('"').startswith(("=", "+", "@")) for c in cells), cells


def test_compare_report_csvs_and_markdown_neutralise_hostile_file_names(tmp_path):
    names = ["=HYPERLINK(1)", "@SUM(1)", "<img src=x onerror=alert(1)>"]
    paths = []
    for name in names:
        path = tmp_path / f"{name}.yaml"
        path.write_text(MINIMAL.replace("horizon_years: 3", "horizon_years: 1"))
        paths.append(path)
    out = tmp_path / "report"
    result = cli("compare", *paths, "--runs", "2", "--no-attribution", "-o", out, "-q")
    assert result.exit_code == 0, result.output
    for csv_file in (out / "data").glob("*.csv"):
        for line in csv_file.read_text().splitlines():
            for cell in line.split(","):
                assert not cell.lstrip('"').startswith(("=", "@", "+")), (csv_file.name, cell)
    markdown = (out / "report.md").read_text()
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in markdown
    assert "<img src=x" not in (out / "report.html").read_text()


# --- Markdown ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("[click](javascript:alert(1))", "\\[click\\](javascript:alert(1))"),
        ("# not a heading", "\\# not a heading"),
        ("**bold**", "\\*\\*bold\\*\\*"),
        ("$5k to $10k", "\\$5k to \\$10k"),
        ("line\nbreak", "line break"),
    ],
)
def test_markdown_text_is_literal(text, shown):
    assert md_text(text) == shown


# --- mathtext ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["$5k to $10k", "$\\notacommand$"])
def test_dollar_signs_are_drawn_as_typed(write_scenario, tmp_path, name):
    path = write_scenario(MINIMAL.replace("name: Minimal", f"name: '{name}'"))
    out = tmp_path / "chart.svg"
    result = cli("chart", path, "-o", out)
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_bytes())
    drawn = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert name in drawn, drawn[:5]  # one text element, as typed (not TeX, not a comment)


def test_figure_builders_turn_mathtext_off():
    from ccosim.report.figures import yearly_lines

    band = (np.array([0.1, 0.2]), np.array([0.05, 0.15]), np.array([0.15, 0.25]))
    figure = yearly_lines([1, 2], {"$a$": band}, title="$x$ to $y$", ylabel="$")
    from matplotlib.text import Text

    texts = [t for t in figure.findobj(Text) if "$" in t.get_text()]
    assert texts and not any(t.get_parse_math() for t in texts)


# --- SVG, GraphML and the terminal ---------------------------------------------------------------


def test_graphml_is_well_formed_whatever_the_file_name(write_scenario, tmp_path):
    path = write_scenario(MINIMAL, "a\x1bb\x01.yaml")
    out = tmp_path / "org.graphml"
    result = cli("org", "export", path, "-o", out)
    assert result.exit_code == 0, result.output
    ET.fromstring(out.read_bytes())


def test_escape_sequences_never_reach_the_terminal(tmp_path):
    path = tmp_path / "evil\x1b]0;pwned\x07.yaml"
    path.write_text(MINIMAL.replace("name: Minimal", 'name: "Acme\\x1b]0;x\\x07"'))
    result = cli("validate", path)
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "control character U+001B" in result.output
    missing = Path(tmp_path / "no\x1b[2Jfile.yaml")
    result = cli("run", missing)
    assert result.exit_code == 2 and "\x1b" not in result.output
    valid = tmp_path / "ok\x1b]0;pwned\x07.yaml"
    valid.write_text(MINIMAL.replace("horizon_years: 3", "horizon_years: 1"))
    result = cli("run", valid, "-q")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    chart = tmp_path / "c\x1b[31m.svg"
    result = cli("chart", valid, "-o", chart)
    assert result.exit_code == 0 and "\x1b" not in result.output
