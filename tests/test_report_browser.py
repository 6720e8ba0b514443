"""The comparison report, opened in a real headless browser: everything shows, nothing fails."""

from __future__ import annotations

import pytest

from ccosim.experiment.compare import run_comparison
from ccosim.org.org_chart import scenario_chart_figure
from ccosim.report.compare_report import write_report
from tests.browser import check_page, find_chromium
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
    # Summary: the difference chart and attribution by year per non-baseline design; then
    # retention, bookings, cost, health, org charts, two waterfalls per non-baseline design.
    expected_figures = (1 + 2) + 3 + 1 + 1 + 1 + 3 + 2 * 2
    assert seen.svgs == expected_figures
    assert seen.empty_svgs == 0
    assert seen.tables >= 12
    assert seen.sections[:3] == ["Executive summary", "Headline KPIs", "Headline KPIs by year"]
    assert "Assumptions and org differences" in seen.sections
    assert seen.problems == [], seen.problems  # failed loads, script errors, empty charts
    assert seen.broken_images == [] and seen.scripts == 0
    assert all(r.startswith("file:") for r in seen.resources), "no network requests"
    assert not [e for e in seen.console_errors if "Failed to load" in e]
    assert shot.stat().st_size > 20_000
    keep = SCENARIOS.parent / "reports" / "browser-screenshot.png"  # for a person to look at
    keep.write_bytes(shot.read_bytes())
