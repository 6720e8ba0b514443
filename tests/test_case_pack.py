"""The business case as a board pack: ``business-case --format pptx|pdf|xlsx|parquet``.

The CEO weighing a CCO hire gets what ``compare --format`` gives a board, from the business
case's own story: slides and a one-page PDF that open with the NPV at the horizon read (its
interval and what it covers), break-even and how often the new leader leaves, and a workbook
whose summary sheet holds the same numbers as numbers and whose text is never a formula.
Each figure checked here is read back from the command's own JSON answer or CSVs.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from ccosim.formatting import format_value
from ccosim.report.summary import of_draws
from tests.conftest import SCENARIOS

CURRENT, CCO = str(SCENARIOS / "post_sales_cs.yaml"), str(SCENARIOS / "cco_full.yaml")
PROMOTE = str(SCENARIOS / "cco_promote_vp_cs.yaml")
SMALL = ["--runs", "2", "--years", "2", "--workers", "1", "--quiet"]

pptx = pytest.importorskip("pptx")
openpyxl = pytest.importorskip("openpyxl")


def _money(value: float) -> str:
    return format_value(value, "$", signed=True)


def _slide_text(slide) -> str:
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    return " ".join(" ".join(texts).split())


def _table(slide) -> list[list[str]]:
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    return [[c.text for c in row.cells] for row in table.rows]


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def _no_formula(book) -> None:
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def _csv_values(path) -> list[float | None]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [float(r["value"]) if r["value"] else None for r in csv.DictReader(handle)]


@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdfinfo") is None,
    reason="needs chromium and pdfinfo (apt-get install chromium poppler-utils)",
)
def test_the_business_case_pack_carries_the_answer_of_its_json(tmp_path):
    folder = tmp_path / "pack"
    args = ["business-case", CURRENT, "--with", CCO, "--hire-month", "6", *SMALL]
    args += ["--no-goal-seek", "-o", str(folder), "--json", "-"]
    formats = ["--format", "pptx", "--format", "pdf", "--format", "xlsx"]
    result = CliRunner().invoke(main, [*args, *formats])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    npv = answer["lead"]["npv"]
    head = f"{_money(npv['mean'])} over 2 years (95%: {_money(npv['low'])} to {_money(npv['high'])}"
    # The slides: the head line first (NPV at the horizon with its interval and what it
    # covers), break-even and how often the CCO leaves; then the one-pager's table.
    deck = pptx.Presentation(str(folder / "slides.pptx"))
    first = _slide_text(deck.slides[0])
    assert head in first and "over the simulated customers" in first, first
    be = answer["break_even_month"]
    assert (f"break-even at month {be}" if be is not None else "break-even not within") in (
        first.lower()
    )
    leaves = answer["p_leader_leaves"]
    assert (f"in {leaves:.0%} of runs" if leaves else "in no run does the new leader") in first
    rows = {r[0]: r[1] for r in _table(deck.slides[1])[1:]}
    lead = next(v for k, v in rows.items() if k.startswith("net value over 2 years"))
    assert f"NPV {_money(npv['mean'])}" in lead
    pictures = [sh for s in list(deck.slides)[2:] for sh in s.shapes if sh.shape_type == 13]
    assert pictures, "the net value chart"
    # The one-page PDF says the same.
    pdf = folder / "summary.pdf"
    assert _pages(pdf) == 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert head in flat and "Illustrative company" in flat
    # The workbook: no formula anywhere; the data sheets are the CSVs; the summary sheet
    # holds the JSON's numbers as numbers.
    book = openpyxl.load_workbook(folder / "data" / "tables.xlsx")
    assert book.sheetnames[0] == "summary"
    _no_formula(book)
    sheet = book["kpis_yearly"]
    header = [c.value for c in sheet[1]]
    column = header.index("value")
    cells = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells == pytest.approx(_csv_values(folder / "data" / "kpis_yearly.csv"), nan_ok=True)
    summary = {r[0]: r[1:] for r in book["summary"].iter_rows(values_only=True) if r[0]}
    assert summary[answer["lead_months"]][3:6] == pytest.approx(
        (npv["mean"], npv["low"], npv["high"])
    )
    shares = summary["the new leader leaves within the horizon (share of runs)"]
    assert shares[0] == pytest.approx(leaves)


def test_the_options_pack_has_their_table_and_says_when_the_pdf_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr("ccosim.report.summary_pdf.shutil.which", lambda name: None)
    folder = tmp_path / "options"
    args = ["business-case", CURRENT, "--hire-month", "6", *SMALL]
    args += ["--option", f"promote={PROMOTE}", "--option", f"hire={CCO}@3"]
    args += ["-o", str(folder), "--json", "-"]
    result = CliRunner().invoke(main, [*args, "--format", "pptx", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert "summary.pdf will be skipped" in result.output and "apt-get install" in result.output
    assert not (folder / "summary.pdf").exists() and (folder / "slides.pptx").exists()
    deck = pptx.Presentation(str(folder / "slides.pptx"))
    cells = _table(deck.slides[1])
    assert cells[0][1:] == ["promote", "hire"]
    npv_row = next(r for r in cells if r[0].startswith("NPV over 2 years"))
    for name, cell in zip(["promote", "hire"], npv_row[1:], strict=True):
        assert cell.startswith(_money(answer["options"][name]["npv"]["mean"]))
    best = max(["promote", "hire"], key=lambda n: answer["options"][n]["npv"]["mean"])
    first = _slide_text(deck.slides[0])
    if answer["options"][best]["npv"]["mean"] > 0:
        assert f"Highest mean of the options, {best}" in first, first
    else:
        assert "Keeping post_sales_cs is worth most" in first, first
    leaves = next(r for r in cells if r[0].startswith("new leader leaves"))
    assert leaves[1:] == [
        f"{answer['options'][n]['p_leader_leaves']:.0%} of runs" for n in ("promote", "hire")
    ]


def test_format_needs_a_report_folder_and_is_refused_before_any_work(tmp_path):
    args = ["business-case", CURRENT, "--with", CCO, "--format", "pdf"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "-o FOLDER" in result.output


def test_slides_without_python_pptx_are_refused_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pptx", None)  # as if python-pptx were not installed
    out = tmp_path / "r"
    args = ["business-case", CURRENT, "--with", CCO, "-o", str(out), "--format", "pptx"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "python-pptx" in result.output and "ccosim[slides]" in result.output
    assert not out.exists()


def test_under_draws_the_options_slides_keep_the_status_quo_and_its_p_best(tmp_path):
    folder = tmp_path / "drawn"
    args = ["business-case", CURRENT, "--hire-month", "6", "--option", f"promote={PROMOTE}"]
    args += ["--option", f"hire={CCO}", "--draws", "4", "--runs", "1", "--years", "2"]
    args += ["--workers", "1", "--quiet", "-o", str(folder), "--json", "-", "--format", "pptx"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    p_best = json.loads(result.stdout)["p_best"]
    deck = pptx.Presentation(str(folder / "slides.pptx"))
    cells = _table(deck.slides[1])
    assert cells[0][1].startswith("status_quo") and cells[0][2:] == ["promote", "hire"]
    row = next(r for r in cells if r[0].startswith("P(best option)"))
    assert row[1:] == [of_draws(p_best[n], 4) for n in ("status_quo", "promote", "hire")]
    leader = max(p_best, key=p_best.__getitem__)
    assert f"{leader} is best in {of_draws(p_best[leader], 4)}" in _slide_text(deck.slides[0])
