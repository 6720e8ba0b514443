"""``--draws -o``: the ordinary report at the point values, with the draws' answers in it.

A board reads the executive summary; with draws it must hold P(best) (compare) or P(NPV > 0)
(business case) beside the point-value results, each saying what its numbers cover.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
from click.testing import CliRunner

from ccosim.cli import main
from tests.conftest import SCENARIOS

frictionless = pytest.importorskip("frictionless")

CURRENT, CCO = str(SCENARIOS / "post_sales_cs.yaml"), str(SCENARIOS / "cco_full.yaml")
SMALL = ["--draws", "8", "--runs", "2", "--years", "2", "--workers", "1", "--quiet"]
BOTH = "assumption uncertainty and customer randomness"


def sections(report_html: str) -> dict[str, str]:
    """Each section's title and its text as a reader sees it (tags dropped, entities decoded)."""
    out = {}
    for part in report_html.split("<section id=")[1:]:
        title = re.search(r"<h2>(.*?)</h2>", part).group(1)
        text = html.unescape(re.sub(r"<svg.*?</svg>", "", part, flags=re.S))
        out[html.unescape(title)] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    return out


def valid_package(data_folder) -> set[str]:
    """Validate data/datapackage.json with a third-party validator; the resources' names."""
    report = frictionless.validate(str(data_folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    package = json.loads((data_folder / "datapackage.json").read_text())
    return {r["name"] for r in package["resources"]}


def test_compare_draws_report_has_the_executive_summary_with_p_best(tmp_path):
    folder = tmp_path / "r"
    result = CliRunner().invoke(main, ["compare", CURRENT, CCO, *SMALL, "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert "20 runs per design, customer randomness only" in result.output  # the one new line
    seen = sections((folder / "report.html").read_text())
    titles = list(seen)
    # The ordinary report is all there, with the draws' section right after the summary.
    assert titles[:4] == [
        "For the board",
        "Executive summary",
        "Decisions under uncertainty",
        "Headline KPIs",
    ]
    assert {"The org charts", "Uncertainty ranges drawn"} <= set(titles)
    summary = seen["Executive summary"]
    assert "P(best) over 8 draws" in summary
    assert f"covering {BOTH}" in summary  # the draws' sentences say what they cover
    assert "Ranking in year 2" in summary  # the point-value ranking is still there
    assert "Expected loss" in summary and "EVPI" in summary
    # The point-value intervals say they cover customer randomness only, and point to what
    # covers both, instead of saying that nothing covers assumption uncertainty.
    assert "cover customer randomness only" in summary
    assert f"come from the 8 draws and cover both {BOTH}" in summary
    assert "they do not cover uncertainty in the assumptions" not in summary
    assert "customer randomness only" in seen["Headline KPIs"]
    for stem in ("p_best", "arr_fan"):
        assert (folder / "figures" / f"{stem}.png").exists(), stem
    # 8 draws for 26 ranges are too few to rank assumptions: no ranking chart at all.
    for stem in ("evppi", "tornado_net_value"):
        assert not (folder / "figures" / f"{stem}.png").exists(), stem
    # One data folder: the comparison's tables and the draws, described together.
    data = folder / "data"
    assert {"draws", "kpis-yearly"} <= valid_package(data)
    draws = list(csv.DictReader(io.StringIO((data / "draws.csv").read_text())))
    yearly = list(csv.DictReader(io.StringIO((data / "kpis_yearly.csv").read_text())))
    assert len(draws) == 8 * 2
    # The draws name the designs as the rest of the report does.
    assert {r["design"] for r in draws} == {r["scenario"] for r in yearly}
    answers = json.loads((data / "uncertainty.json").read_text())
    assert answers["covers"] == BOTH and answers["draws"] == 8


def test_business_case_draws_report_has_the_one_pager_break_even_and_p_npv_positive(tmp_path):
    folder, answers = tmp_path / "bc", tmp_path / "answers.json"
    args = ["business-case", CURRENT, "--with", CCO, *SMALL, "-o", str(folder)]
    result = CliRunner().invoke(main, [*args, "--json", str(answers)])
    assert result.exit_code == 0, result.output
    seen = sections((folder / "report.html").read_text())
    assert list(seen) == [
        "For the board",
        "The answer",
        "Decisions under uncertainty",
        "Uncertainty ranges drawn",
        "Hiring plan",
        "Sources",
    ]
    answer = seen["The answer"]
    assert "break-even (months from month 0)" in answer  # the one-pager at point values
    assert re.search(r"NPV against the current org is positive in \d+ of 8 draws", answer)
    assert "90% of draws fall between" in answer and "broken even within N years" in answer
    assert "Smallest GRR lift that pays for the role under the same draws" in answer
    assert "cover customer randomness only" in answer.replace("covers", "cover")
    assert f"cover both {BOTH}" in answer
    assert "exclude assumption uncertainty" not in answer
    assert "P(NPV > 0)" in seen["Decisions under uncertainty"]
    for stem in ("net_value", "npv_draws", "break_even_curve"):
        assert (folder / "figures" / f"{stem}.png").exists(), stem
    # 8 draws for 26 ranges are too few to rank assumptions: no ranking, in words or charts.
    body = seen["Decisions under uncertainty"]
    assert "Which assumption is worth researching (EVPPI)" not in body
    assert not (folder / "figures" / "evppi.png").exists()
    data = folder / "data"
    assert {"draws", "kpis-yearly"} <= valid_package(data)
    assert (data / "business_case.json").exists() and (data / "uncertainty.json").exists()
    # --json is the draws' answers, as before.
    assert {"p_npv_positive", "npv", "p_breakeven_by_year", "evppi"} <= set(
        json.loads(answers.read_text())
    )


def test_reports_without_draws_say_every_interval_excludes_assumption_uncertainty(tmp_path):
    args = ["compare", CURRENT, CCO, "--runs", "2", "--years", "2", "--workers", "1", "-q"]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    seen = sections((tmp_path / "c" / "report.html").read_text())
    summary = seen["Executive summary"]
    assert "they do not cover uncertainty in the assumptions" in summary
    assert re.search(r"NRR difference rests mostly on .*\(assumptions\.effects\.\w+", summary)
    assert "Decisions under uncertainty" not in seen
    # Each point-value table says what its intervals cover.
    assert summary.count("customer randomness only") >= 1
    assert seen["Headline KPIs"].count("customer randomness only") == 2
    assert "customer randomness only" in seen["Headline KPIs by year"]
    one_pager = tmp_path / "bc"
    args = ["business-case", CURRENT, "--with", CCO, "--runs", "2", "--years", "1"]
    result = CliRunner().invoke(main, [*args, "--no-goal-seek", "-q", "-o", str(one_pager)])
    assert result.exit_code == 0, result.output
    answer = sections((one_pager / "report.html").read_text())["The answer"]
    assert "exclude assumption uncertainty" in answer
    assert "2 runs; 95% intervals cover customer randomness only" in answer


def test_the_summary_names_the_assumptions_worth_researching_in_dollars(monkeypatch):
    """The board's question "what should we find out first?" is answered in the summary."""
    from ccosim.experiment.decision import compare_answers
    from ccosim.experiment.psa import psa_for_comparison
    from ccosim.report import uncertainty_report
    from ccosim.report.uncertainty_report import draws_part

    # As if the draws were enough to rank the assumptions (they are 4 here, to stay fast).
    monkeypatch.setattr(uncertainty_report, "DRAWS_PER_ASSUMPTION", 0)

    psa = psa_for_comparison([CURRENT, CCO], draws=4, runs=1, years=1, workers=1)
    answers = compare_answers(psa)
    answers["evpi"] = 250_000.0
    answers["evppi"] = dict.fromkeys(answers["evppi"], 0.0)
    answers["evppi"]["assumptions.handoff.decay_per_hop"] = 180_000.0
    answers["evppi"]["assumptions.transition.effects_ramp_months"] = 40_000.0
    names = {"post_sales_cs": "post-sales + CS", "cco_full": "CCO org"}
    part = draws_part(psa, answers, "compare", names)
    text = " ".join(part.summary.paragraphs)
    assert "worth $250k (EVPI)" in text
    assert "handoff.decay_per_hop ($180k), transition.effects_ramp_months ($40k)." in text
    assert f"covering {BOTH}" in text
    # The designs carry the report's names, in the table and in draws.csv alike.
    assert [row[0] for row in part.summary.tables[0].rows] == ["post-sales + CS", "CCO org"]
    assert {row[1] for row in part.tables[0].rows} == {"post-sales + CS", "CCO org"}


def test_the_draws_charts_have_plain_distinct_dollar_ticks():
    """An NPV spread across zero in quarter millions: no "0k", no two ticks reading "$0.2M"."""
    from dataclasses import replace

    import numpy as np

    from ccosim.experiment.decision import business_case_answers
    from ccosim.experiment.psa import psa_for_business_case
    from ccosim.report.uncertainty_report import uncertainty_figures
    from tests.test_report_numbers import check_ticks

    psa = psa_for_business_case(CURRENT, CCO, draws=12, runs=1, years=1, workers=1)
    net = psa.net_npv.copy()
    net[:, 1] = np.linspace(-8e5, 1.05e6, psa.draws)
    psa = replace(psa, net_npv=net)
    answers = business_case_answers(psa)
    figures = uncertainty_figures(psa, answers, "business-case")
    assert check_ticks(figures) > 10
    histogram = next(f.figure for f in figures if f.stem == "npv_draws")
    ticks = [t.get_text() for t in histogram.axes[0].xaxis.get_ticklabels()]
    assert "$0" in ticks and "+$0.5M" in ticks, ticks  # nice steps: 1, 2 or 5 x 10^n
