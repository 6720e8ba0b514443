"""The headless-Chromium harness itself: it sees charts and tables, and it sees what failed."""

from __future__ import annotations

from tests.browser import PROBE, _with_probe, check_page, needs_chromium

CHART_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>probe</title>
<style>body {{ font-family: sans-serif; }}</style></head>
<body>
<h2>ARR and retention</h2>
<figure><svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120">
  <rect x="10" y="40" width="60" height="80" fill="#1f77b4"/>
  <rect x="90" y="20" width="60" height="100" fill="#ff7f0e"/>
  <text x="10" y="15">GRR by design</text></svg>
<figcaption>GRR by design</figcaption></figure>
<h2>Headline</h2>
<table><tr><th>design</th><th>GRR</th></tr><tr><td>cco_full</td><td>91%</td></tr></table>
{extra}
</body></html>
"""


def test_probe_runs_before_anything_else_on_the_page():
    html = '<html lang="en"><head><link rel="stylesheet" href="a.css"></head><body></body></html>'
    probed = _with_probe(html)
    assert probed.index(PROBE) < probed.index("a.css"), "it must see the stylesheet fail"
    assert _with_probe("<p>bare</p>").startswith(PROBE)


@needs_chromium
def test_a_clean_page_shows_its_chart_and_table_and_nothing_fails(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(CHART_PAGE.format(extra=""), encoding="utf-8")
    seen = check_page(page, tmp_path / "report.png", height=600)
    assert (seen.svgs, seen.all_svgs, seen.tables) == (1, 1, 1)
    assert seen.sections == ["ARR and retention", "Headline"]
    assert seen.empty_svgs == 0
    assert seen.problems == []
    assert seen.scripts == 0, "the probe is not counted as the page's script"
    assert all(r.startswith("file:") for r in seen.resources)
    png = seen.screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2_000


@needs_chromium
def test_failed_loads_and_script_errors_are_reported(tmp_path):
    (tmp_path / "ok.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
        '<circle cx="20" cy="20" r="18"/></svg>',
        encoding="utf-8",
    )
    extra = (
        '<img src="ok.svg" alt="fine"><img src="charts/missing.png" alt="gone">'
        '<link rel="stylesheet" href="missing.css">'
        "<script>console.error('chart data missing'); undefinedChart.draw();</script>"
    )
    page = tmp_path / "broken.html"
    page.write_text(CHART_PAGE.format(extra=extra), encoding="utf-8")
    seen = check_page(page, tmp_path / "broken.png", height=600)
    assert seen.broken_images == ["charts/missing.png"], "the image that loaded is not listed"
    assert "img charts/missing.png" in seen.failed_loads
    assert "link missing.css" in seen.failed_loads
    assert "chart data missing" in seen.script_errors
    assert any("undefinedChart" in e for e in seen.script_errors)
    assert seen.scripts == 1
    assert len(seen.problems) >= 5
    assert seen.screenshot.exists()
