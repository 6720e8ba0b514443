"""A board pack (issue 24, items 2 and 4): page 1 for a board, slides, a one-page PDF, one story.

A board reads page 1, the slides or the one-page PDF and nothing else: each must carry the
recommendation with its condition, in plain words (no YAML key, no statistics jargon, no link
into the project's docs), say whether the company is the illustrative one, and say which
question it answers. The two reports answer different questions and must say so.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.experiment.compare import run_comparison
from ccosim.report.board import Evidence, calibration_status, compare_board, plain_name
from ccosim.report.compare_report import build_report
from ccosim.report.document import render_html
from ccosim.report.provenance import manifest as manifest_of
from ccosim.report.sources_appendix import source_tables, sources_text
from ccosim.report.summary_pdf import write_summary_pdf
from ccosim.scenario import load
from tests.conftest import SCENARIOS

ROOT = SCENARIOS.parent
CURRENT, CCO = str(SCENARIOS / "post_sales_cs.yaml"), str(SCENARIOS / "cco_full.yaml")
SMALL = ["--years", "2", "--workers", "1", "--quiet"]
#: What page 1 must not show a board: key paths, jargon, links into the repository's docs.
NOT_FOR_A_BOARD = re.compile(
    r"\b[a-z_]+\.[a-z_]+\.[a-z_]+\b|Student|docs/|\.md\b|\bseed\b|--[a-z]", re.I
)


def first_section(page: str) -> tuple[str, str]:
    """The title and the text of the report's first section."""
    body = page[page.index("<section") : page.index("</section>")]
    title = re.search(r"<h2>(.*?)</h2>", body, re.S).group(1)
    body = re.sub(r"<svg.*?</svg>|<h2>.*?</h2>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return html.unescape(title), " ".join(text.split())


@pytest.fixture(scope="module")
def comparison():
    return run_comparison([CURRENT, CCO], runs=3, years=2, workers=1, attribution=True)


def test_page_one_is_written_for_a_board(comparison):
    page = render_html(build_report(comparison))
    title, text = first_section(page)
    assert title == "For the board"
    assert not NOT_FOR_A_BOARD.search(text), NOT_FOR_A_BOARD.search(text).group(0)
    # The recommendation names a design and how sure it is; its condition says what it turns
    # on (the largest terms of the NRR difference, in words) and that the ranges were not
    # varied in this run.
    assert re.search(r"(CCO org pays|No clear winner|Keep post-sales \+ CS)", text)
    assert "The answer turns on" in text
    terms = re.search(r"The answer turns on (.*?), assumed effects", text).group(1)
    # in words a board reads (an effect of the org design, or the teams' capacity), with NRR
    assert re.search(r"(hand-off friction|one owner|incentives|span|team sizes).*pts NRR", terms)
    assert "not tested in this run" in text
    assert text.count("Illustrative company") == 1
    assert "The question this report answers: what each design earns over 2 years" in text
    assert "the business case answers it" in text
    # ... and gives the other question's figure: discounted, as the business case counts it.
    assert re.search(r"Counted as the business case counts it \(discounted at 10% a year", text)
    # The sources appendix closes the report, with authors, titles and years.
    sources = page[page.rindex("<h2>Sources</h2>") :]
    assert "Fader, B. G. S. Hardie" in sources and "How to Project Customer Retention" in sources
    assert "2007" in sources


def test_a_calibrated_company_says_to_what(tmp_path):
    path = tmp_path / "mine.yaml"
    for base in ("_company.yaml", "post_sales_cs.yaml"):
        shutil.copy(SCENARIOS / base, tmp_path / base)
    path.write_text(
        "# Calibrated by `ccosim calibrate kpis post_sales_cs.yaml`: inputs solved so that the\n"
        "# current org gives back enterprise.logo_retention=0.92\n"
        "extends: post_sales_cs.yaml\nname: Ours (calibrated)\n"
    )
    said, illustrative = calibration_status([str(path)], [load(path)])
    assert not illustrative
    assert said.startswith("Calibrated company: Calibrated by ccosim calibrate kpis")
    assert "enterprise.logo_retention=0.92" in said
    said, illustrative = calibration_status([CURRENT], [load(CURRENT)])
    assert illustrative and said.startswith("Illustrative company")


def test_assumption_keys_read_as_words():
    assert plain_name("assumptions.customer_success.health_lift") == (
        "customer success: health lift"
    )
    assert plain_name("customers.segments.smb.base_churn") == "smb: base churn"


def test_the_sources_list_ships_inside_the_package():
    """An installed ccosim has no docs/ folder: the appendix reads the package's copy."""
    assert sources_text() == (ROOT / "docs" / "sources.md").read_text(encoding="utf-8"), (
        "ccosim/report/sources.md must be a copy of docs/sources.md"
    )
    texts, benchmarks = source_tables()
    assert texts.headers[:4] == ["key", "author", "title", "year"]
    mehta = next(r for r in texts.rows if r[0] == "mehta2016")
    assert mehta[1] == "N. Mehta, D. Steinman, L. Murphy" and mehta[3] == "2016"
    assert all("<a id" not in c and "`" not in c for r in benchmarks.rows for c in r)
    assert len(benchmarks.rows) > 50


needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdfinfo") is None,
    reason="needs chromium and pdfinfo (apt-get install chromium poppler-utils)",
)


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


@needs_chromium
def test_compare_writes_slides_and_a_one_page_pdf_that_carry_the_answer(tmp_path):
    pptx = pytest.importorskip("pptx")
    folder = tmp_path / "pack"
    args = ["compare", CURRENT, CCO, str(SCENARIOS / "vp_services.yaml"), "--runs", "2"]
    args += [*SMALL, "--no-attribution", "--baseline", "post_sales_cs"]
    result = CliRunner().invoke(
        main, [*args, "-o", str(folder), "--format", "pptx", "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    _, page_one = first_section((folder / "report.html").read_text())
    recommendation = page_one.split("The designs in year")[0].split(". ")[0]
    # The slides: at most six, the recommendation and the headline table as text.
    deck = pptx.Presentation(str(folder / "slides.pptx"))
    assert 5 <= len(deck.slides) <= 6
    texts = [sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame]
    assert any(recommendation in " ".join(t.split()) for t in texts), (recommendation, texts)
    table = next(sh.table for sh in deck.slides[1].shapes if sh.has_table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][0] == "design" and "net value vs post-sales + CS, 2 years" in cells[0]
    assert [r[0] for r in cells[1:]] == ["post-sales + CS (baseline)", "CCO org", "VP of Services"]
    assert all(re.fullmatch(r"[+-]?\$[\d.,]+[kMB]?|baseline", r[-1]) for r in cells[1:])
    pictures = [sh for s in list(deck.slides)[2:] for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) >= 4  # differences, net value, and the two org charts
    # The one-page PDF.
    pdf = folder / "summary.pdf"
    assert _pages(pdf) == 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert recommendation in flat and "Illustrative company" in flat
    assert "VP of Services" in flat and "net value" in flat


def test_the_pdf_is_skipped_with_a_message_where_no_chromium_is_installed(tmp_path, monkeypatch):
    monkeypatch.setattr("ccosim.report.summary_pdf.shutil.which", lambda name: None)
    said = write_summary_pdf("<html><body>x</body></html>", tmp_path / "summary.pdf")
    assert said and "Chromium" in said and "apt-get install chromium" in said
    assert not (tmp_path / "summary.pdf").exists()
    out = tmp_path / "r"
    args = ["compare", CURRENT, CCO, "--runs", "2", "--years", "1", "--no-attribution"]
    result = CliRunner().invoke(main, [*args, "-q", "-o", str(out), "--format", "pdf"])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "summary.pdf will be skipped" in result.output
    assert not (out / "summary.pdf").exists() and (out / "report.html").exists()


def test_slides_without_python_pptx_are_refused_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pptx", None)  # as if python-pptx were not installed
    result = CliRunner().invoke(
        main, ["compare", CURRENT, CCO, "-o", str(tmp_path / "r"), "--format", "pptx"]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "python-pptx" in result.output and "ccosim[slides]" in result.output
    assert not (tmp_path / "r").exists()


def test_draws_name_designs_by_label_and_the_manifest_counts_them(tmp_path):
    folder = tmp_path / "d"
    args = ["compare", CURRENT, CCO, "--draws", "4", "--runs", "1", *SMALL]
    result = CliRunner().invoke(main, [*args, "-o", str(folder), "--json", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["designs"] == ["post-sales + CS", "CCO org"]
    assert set(data["p_best"]) == {"post-sales + CS", "CCO org"}
    # One meaning a key: npv is discounted, net_value (where it appears) undiscounted.
    assert "npv" in data["p_best"]["CCO org"] and "net_value" not in data["p_best"]["CCO org"]
    assert "expected_npv" in data and "expected_net_value" not in data
    manifest = json.loads((folder / "data" / "manifest.json").read_text())
    assert manifest["draws"]["draws"] == 4 and manifest["draws"]["runs_per_draw"] == 1
    assert manifest["runs"] == 20  # the tables at the point values: 20 runs per design
    assert manifest["replications"] == 2 * (20 + 4 * 1)
    plain = manifest_of([("a", load(CURRENT))], seed=1, runs=3)
    assert "draws" not in plain and plain["replications"] == 3


def test_the_business_case_answers_its_own_question_by_label(tmp_path):
    folder = tmp_path / "bc"
    args = ["business-case", CURRENT, "--with", CCO, "--hire-month", "6", "--runs", "2"]
    result = CliRunner().invoke(main, [*args, *SMALL, "--no-goal-seek", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Business case: CCO org vs post-sales + CS" in result.output
    assert "cco_full" not in result.output.split("\n")[0]
    page = (folder / "report.html").read_text()
    title = r"<title>Business case for a CCO over \d+ years: CCO org vs post-sales \+ CS</title>"
    assert re.search(title, page)
    title, text = first_section(page)
    assert title == "For the board"
    assert not NOT_FOR_A_BOARD.search(text), NOT_FOR_A_BOARD.search(text).group(0)
    assert "what hiring a Chief Customer Officer at month 6 is worth" in text
    assert "discounted at 10% a year" in text and "in place from month 0, undiscounted" in text
    assert re.search(r"Undiscounted, the same hire gives [+-]\$", text)
    assert re.search(r"(Hiring a CCO pays|does not pay|No clear answer)", text)
    assert re.search(r"(\d of 2 runs break even|no run breaks even)", text)  # counts, not %


def test_with_draws_page_one_counts_the_worlds_and_names_what_it_turns_on(comparison):
    c = comparison
    other = c.labels[1]
    shares = {c.baseline: 0.14, other: 0.86}
    evidence = Evidence(
        draws=100,
        npv_best=shares,
        leader=other,
        expected_npv={c.baseline: 0.0, other: 2.5e6},
        turns_on=None,
        research_draws=260,
    )
    page = compare_board(c, evidence=evidence)
    assert page.recommendation.startswith(f"{other} is the better bet, not a sure one")
    assert "in 86 of 100 plausible worlds" in page.recommendation
    assert "+$2.50M against post-sales + CS" in page.recommendation
    assert page.condition == (
        "Which assumption the answer turns on needs 260 draws to tell; this run has 100."
    )
    assert "86 of 100 draws" in [r[-1] for r in page.table.rows]
    sure = replace(
        evidence,
        npv_best={c.baseline: 0.03, other: 0.97},
        draws=300,
        turns_on=("customer success: health lift", 4.0, 12.0, 1e6, 4e6),
    )
    page = compare_board(c, evidence=sure)
    assert page.recommendation.startswith(f"{other} pays: ")
    assert "in 291 of 300 plausible worlds" in page.recommendation
    assert page.condition.startswith("The answer turns on customer success: health lift: from 4")
    assert not NOT_FOR_A_BOARD.search(" ".join(page.sentences))
    nothing = replace(sure, evpi=0.0)
    assert compare_board(c, evidence=nothing).condition.startswith(
        "No assumption within its range changes this answer in any of the 300 draws"
    )


@needs_chromium
def test_a_page_longer_than_the_sheet_is_shrunk_to_fit_not_clipped(tmp_path):
    # The business case's one-pager ran past the sheet and lost its last paragraph (the
    # sheet hid the overflow). A page with far more text than fits must still print on one
    # sheet with its last sentence and its footer.
    from ccosim.report.board import BoardPage, board_html
    from ccosim.report.document import Table

    filler = "The answer holds only at the assumptions' stated values. " * 12
    page = BoardPage(
        title="A long page",
        question="The question this page answers, at length. " * 6,
        recommendation="One design leads.",
        condition=filler,
        calibration="Illustrative company.",
        illustrative=True,
        table=Table(["row", "value"], [[f"line {i}", str(i)] for i in range(30)], caption="t"),
        extra=[filler, filler, "The very last sentence ends here."],
    )
    pdf = tmp_path / "summary.pdf"
    assert write_summary_pdf(board_html(page, "footer of the sheet"), pdf) is None
    assert _pages(pdf) == 1
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "The very last sentence ends here." in text and "footer of the sheet" in text
