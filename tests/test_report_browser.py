"""The comparison report, opened in a real headless browser: everything shows, nothing fails."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from ccosim.charting.org_chart import scenario_chart_figure
from ccosim.experiment.compare import run_comparison
from ccosim.report.compare_report import write_report
from tests.browser import check_page, find_chromium, print_to_pdf, run_in_page
from tests.conftest import SCENARIOS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="no Chromium installed (apt-get install chromium); .ci/run installs it",
    ),
]


def test_broken_image_is_detected(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text(
        '<html><body><table><tr><td>1</td></tr></table><img src="missing.png"></body></html>'
    )
    seen = check_page(page, tmp_path / "broken.png")
    assert seen.broken_images == ["missing.png"]


def test_comparison_report_renders_completely(tmp_path):
    comparison = run_comparison(
        [
            SCENARIOS / "post_sales_cs.yaml",
            SCENARIOS / "cco_full.yaml",
            SCENARIOS / "vp_services.yaml",
        ],
        runs=2,
        years=3,
        workers=1,
    )
    folder = write_report(comparison, tmp_path / "report", org_chart=scenario_chart_figure)
    shot = tmp_path / "report.png"
    seen = check_page(folder / "report.html", shot)
    # Page 1's net value; the summary's difference chart and attribution by year per
    # non-baseline design; then retention, the ARR bridge and cohort curves, bookings, cost,
    # health, org charts (interactive; their printed versions are checked on paper), two
    # waterfalls per non-baseline design.
    expected_figures = 1 + (1 + 2) + 3 + 2 + 1 + 1 + 1 + 3 + 2 * 2
    assert seen.svgs == expected_figures
    assert seen.empty_svgs == 0
    assert seen.tables >= 12
    assert seen.sections[:4] == [
        "For the board",
        "Executive summary",
        "Headline KPIs",
        "Headline KPIs by year",
    ]
    assert "Assumptions and org differences" in seen.sections
    assert seen.problems == [], seen.problems  # failed loads, script errors, empty charts
    assert seen.broken_images == [] and seen.scripts == 1  # the org charts, inline
    assert all(r.startswith("file:") for r in seen.resources), "no network requests"
    assert not [e for e in seen.console_errors if "Failed to load" in e]
    # The screenshot stays in pytest's temporary folder (the last three runs are kept) for a
    # person to look at; a test never writes into the repository.
    assert shot.stat().st_size > 20_000


@pytest.fixture(scope="module")
def report_folder(tmp_path_factory):
    comparison = run_comparison(
        [SCENARIOS / "post_sales_cs.yaml", SCENARIOS / "cco_full.yaml"],
        runs=2,
        years=2,
        workers=1,
    )
    out = tmp_path_factory.mktemp("interactive") / "report"
    return write_report(comparison, out, org_chart=scenario_chart_figure)


def test_org_charts_pan_zoom_fold_and_search_offline(report_folder):
    seen = run_in_page(
        report_folder / "report.html",
        """
        const charts = window.ccosimOrgCharts;
        const ids = Object.keys(charts);
        const chart = charts[ids[1]];
        const root = document.getElementById(ids[1]);
        const svg = root.querySelector('svg');
        const start = chart.view();
        svg.dispatchEvent(new WheelEvent('wheel', {deltaY: -120, clientX: 200, clientY: 200,
                                                    bubbles: true, cancelable: true}));
        const wheeled = chart.view();
        chart.pan(150, 40);
        const panned = chart.view();
        const before = chart.visible();
        const cco = root.querySelector('g.unit[data-id="cco"]');
        cco.dispatchEvent(new MouseEvent('click', {bubbles: true}));
        const foldedVisible = chart.visible();
        const box = root.querySelector('input');
        box.value = 'enterprise csm';
        box.dispatchEvent(new Event('input', {bubbles: true}));
        return {
          ids, start, wheeled, panned, before, foldedVisible,
          afterSearch: chart.visible(),
          found: root.querySelector('.found').textContent,
          matches: [...root.querySelectorAll('g.unit.match')].map(g => g.dataset.id),
          external: [...document.querySelectorAll('script[src], link[href], img[src]')].length,
          requests: performance.getEntriesByType('resource').map(r => r.name),
        };
        """,
    )
    assert seen["ids"] == ["org-post-sales___CS", "org-CCO_org"]
    assert seen["wheeled"][2] < seen["start"][2], "the wheel zooms in"
    assert seen["panned"][0] == pytest.approx(seen["wheeled"][0] + 150), "dragging pans"
    assert seen["foldedVisible"] <= seen["before"] - 10, "folding the CCO hides the teams below"
    assert seen["matches"] and seen["found"] == f"{len(seen['matches'])} found"
    assert seen["afterSearch"] > seen["foldedVisible"], "a match inside a folded team is shown"
    assert seen["external"] == 0 and seen["requests"] == [], "no network"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_report_prints_with_table_headers_on_every_page(report_folder, tmp_path):
    pdf = print_to_pdf(report_folder / "report.html", tmp_path / "report.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len(pages) > 5
    long_table_pages = [p for p in pages if re.search(r"^\s*assumptions\.\S+\s", p, re.M)]
    assert len(long_table_pages) >= 2, "the assumptions table runs over several pages"
    for number, page in enumerate(long_table_pages, start=1):
        assert "meaning and source" in page, f"page {number} of the table has no header"
    # Each design's org chart prints as its post-sales org, whole on the page: the executive
    # over it and the post-sales teams below (the interactive chart would print its corner).
    for design, leader, team in [
        ("post-sales + CS", "VP of Services", "CSM Team Leads"),
        ("CCO org", "Chief Customer Officer", "Director of Renewals"),
    ]:
        (page,) = [p for p in pages if f"{design}: the org under the {leader}" in p]
        assert team in page and "Support Engineers" in page
        assert "Chief Technology Officer" not in page  # not the CEO's corner of the org


def test_comparison_report_with_draws_renders_completely(tmp_path):
    """The draws' section and its charts show in a browser beside the ordinary report."""
    from ccosim.experiment.decision import compare_answers
    from ccosim.experiment.psa import psa_for_comparison
    from ccosim.report.uncertainty_report import draws_part

    files = [SCENARIOS / "post_sales_cs.yaml", SCENARIOS / "cco_full.yaml"]
    comparison = run_comparison(files, runs=2, years=1, workers=1, attribution=False)
    psa = psa_for_comparison(files, draws=4, runs=1, years=1, workers=1)
    names = dict(zip(psa.labels, comparison.labels, strict=True))
    part = draws_part(psa, compare_answers(psa), "compare", names)
    folder = write_report(comparison, tmp_path / "report", draws=part)
    seen = check_page(folder / "report.html", tmp_path / "report.png")
    assert seen.sections[:4] == [
        "For the board",
        "Executive summary",
        "Decisions under uncertainty",
        "Headline KPIs",
    ]
    assert seen.sections[-2:] == ["Uncertainty ranges drawn", "Sources"]
    # The ordinary report's charts (difference; ARR, GRR, NRR; ARR bridge (one year: no
    # cohort curves); bookings; cost; health) and the draws' P(best), none of them empty (4
    # draws are too few for the EVPPI and tornado charts, which rank the assumptions), and
    # page 1's net value chart.
    assert seen.svgs == 1 + 1 + 3 + 1 + 1 + 1 + 1 + 1
    assert seen.empty_svgs == 0
    assert seen.problems == [], seen.problems
