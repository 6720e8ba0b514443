"""The studio in headless Chromium, driven by Playwright: what a user sees and does."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.importorskip(
    "shiny", reason="the studio extra is not installed (pip install ccosim[studio])"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

from ccosim.org import OrgGraph, diff_orgs  # noqa: E402
from ccosim.scenario import load  # noqa: E402
from ccosim.studio.org_view import org_view  # noqa: E402
from tests.studio_support import CHROMIUM, big_org, design_folder, served  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium installed (apt-get install chromium); .ci/run installs it",
    ),
]

DESIGNS = ["post_sales_cs.yaml", "cco_full.yaml", "cxo_tech_touch.yaml"]
WWW = Path(__file__).resolve().parents[1] / "ccosim" / "studio" / "www"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return design_folder(tmp_path_factory.mktemp("studio-browser"))


@pytest.fixture(scope="module")
def url(folder):
    with served(folder, DESIGNS) as address:
        yield address


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(url)
    page.wait_for_selector("#studio-kpis", timeout=60_000)
    page.wait_for_selector(".studio-done", timeout=60_000)  # the layout has settled
    yield page
    context.close()


def kpi_row(page, label: str) -> str:
    return page.locator("#studio-kpis tbody tr", has_text=label).first.inner_text()


def drag(page, source, target) -> None:
    """HTML5 drag and drop as the browser fires it: dragstart, dragover and drop, one DataTransfer.

    (Mouse-driven ``drag_to`` scrolls the page between press and release, and the studio's
    main panel scrolls, so the press can land on another box.)
    """
    data = page.evaluate_handle("new DataTransfer()")
    source.dispatch_event("dragstart", {"dataTransfer": data})
    target.dispatch_event("dragenter", {"dataTransfer": data})
    target.dispatch_event("dragover", {"dataTransfer": data})
    target.dispatch_event("drop", {"dataTransfer": data})
    source.dispatch_event("dragend", {"dataTransfer": data})


def wait_for_change(page, label: str, before: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = kpi_row(page, label)
        if now != before and page.locator("#kpi-busy").count() == 0:
            return now
        page.wait_for_timeout(200)
    raise AssertionError(f"the KPIs of {label} did not change")


def test_page_shows_every_org_chart_and_the_kpis_and_stays_on_this_machine(page):
    charts = page.locator(".studio-chart")
    assert charts.count() == 3
    for title in ("Chief Revenue Officer", "VP of Services", "Director of Renewals"):
        assert charts.nth(0).get_by_text(title, exact=True).count() == 1
    assert charts.nth(1).get_by_text("Chief Customer Officer", exact=True).count() == 1
    table = page.locator("#studio-kpis").inner_text()
    for header in ("GRR", "NRR", "logo retention", "ARR", "org cost", "net value"):
        assert header in table
    assert "customer randomness only" in page.locator(".studio-note", has_text="95%").inner_text()
    hosts = {urlsplit(u).hostname for u in page.requests}
    assert hosts == {"127.0.0.1"}, hosts


def test_drag_renewals_under_the_customer_executive_then_save_and_reload(page, folder):
    chart = page.locator('.studio-chart[data-index="2"]')
    before = kpi_row(page, "CXO tech touch")
    source = chart.locator('.studio-box[data-id="renewals_mgr"]')
    target = chart.locator('.studio-box[data-id="cxo"]')
    drag(page, source, target)
    page.wait_for_selector(
        '.studio-chart[data-index="2"] .studio-box.changed[data-id="renewals_mgr"]'
    )
    after = wait_for_change(page, "CXO tech touch", before)
    assert after != before
    cxo_branch = chart.locator('li.studio-node[data-id="cxo"]')
    assert cxo_branch.locator('.studio-box[data-id="renewals_mgr"]').count() == 1
    page.select_option("#file_design", "2")
    page.fill("#file_name", "cxo-with-renewals")
    page.click("#save")
    page.wait_for_selector("#file-note:has-text('Saved')")
    saved = load(folder / "cxo-with-renewals.yaml")
    opened = load(folder / "cxo_tech_touch.yaml")
    diff = diff_orgs(OrgGraph.from_scenario(opened), OrgGraph.from_scenario(saved))
    assert [(m.id, m.to_manager) for m in diff.moved] == [("renewals_mgr", "cxo")]
    assert not (diff.added or diff.removed or diff.changed)
    page.click("#undo")
    page.wait_for_selector(
        '.studio-chart[data-index="2"] .studio-box[data-id="renewals_mgr"]:not(.changed)'
    )


def test_a_slider_changes_a_kpi(page):
    before = kpi_row(page, "CCO org")
    page.evaluate(
        "$('#assumption_0').data('ionRangeSlider').update({from: 14});"
        "$('#assumption_0').trigger('change');"
    )
    assert wait_for_change(page, "CCO org", before) != before


def test_a_unit_edit_is_checked_inline(page):
    page.locator('.studio-chart[data-index="0"] .studio-box[data-id="renewal_reps"]').click()
    page.wait_for_selector("#edit_headcount")
    page.fill("#edit_headcount", "-4")
    page.click("#edit_apply")
    assert "headcount" in page.locator("#edit-errors").inner_text()


def test_a_draws_run_shows_progress_and_can_be_cancelled(page):
    page.fill("#draws", "400")
    page.click("#run_draws")
    page.wait_for_selector("#draws-busy", timeout=30_000)
    page.click("#cancel_draws")
    page.wait_for_selector("#draws-cancelled", timeout=30_000)
    assert page.locator("#draws-result").count() == 0


def test_the_server_stops_promptly_with_a_draws_run_going(browser, folder):
    with served(folder, ["post_sales_cs.yaml", "cco_full.yaml"], keep=True) as (address, process):
        context = browser.new_context()
        page = context.new_page()
        page.goto(address)
        page.wait_for_selector("#studio-kpis", timeout=60_000)
        page.fill("#draws", "500")
        page.click("#run_draws")
        page.wait_for_selector("#draws-busy", timeout=30_000)
        started = time.monotonic()
        process.terminate()
        process.wait(timeout=20)
        assert time.monotonic() - started < 10, "a draws run held the server up"
        context.close()


def test_a_five_thousand_person_org_opens_and_a_branch_unfolds_in_under_a_second(browser, tmp_path):
    view = org_view(big_org(), label="big")
    html = tmp_path / "big.html"
    html.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<link rel='stylesheet' href='{(WWW / 'studio.css').as_uri()}'></head><body>"
        "<section class='studio-chart' data-index='0'><input class='studio-search'>"
        "<button class='studio-expand'></button><button class='studio-fold'></button>"
        "<div class='studio-tree'></div></section>"
        "<script>window.Shiny = {handlers: {},"
        " addCustomMessageHandler(n, f) { this.handlers[n] = f; }, setInputValue() {}};</script>"
        f"<script src='{(WWW / 'studio.js').as_uri()}'></script></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto(html.as_uri())
    opened = page.evaluate(
        "view => { const t = performance.now();"
        " Shiny.handlers['studio-org']({index: 0, view}); return performance.now() - t; }",
        json.loads(json.dumps(view)),
    )
    assert page.locator(".studio-box").count() == 11, "folded: the CEO and the executives"
    unfold = page.evaluate(
        "() => { const t = performance.now(); ccosimStudioApi.toggle(0, 'e3');"
        " ccosimStudioApi.toggle(0, 'e3m4'); return performance.now() - t; }"
    )
    staff = next(u for u in view["units"] if u["id"] == "e3m4")["children"]
    assert len(staff) > 40
    assert page.locator('li.studio-node[data-id="e3m4"] .studio-box').count() == 1 + len(staff)
    assert opened < 1000 and unfold < 1000, (opened, unfold)
    page.close()
