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
from ccosim.scenario.timeline import org_at  # noqa: E402
from ccosim.studio.org_view import org_view  # noqa: E402
from tests.studio_support import (  # noqa: E402
    CHROMIUM,
    big_hris_csv,
    big_org,
    design_folder,
    served,
)

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
        "<div class='studio-charts'></div>"
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


def select_unit(page, index: int, unit_id: str) -> None:
    page.locator(f'.studio-chart[data-index="{index}"] .studio-box[data-id="{unit_id}"]').click()
    page.wait_for_selector(f"#studio-unit-editor:has-text('id {unit_id}')")


def test_the_chart_pans_and_zooms_and_draws_dotted_lines(page):
    chart = page.locator('.studio-chart[data-index="2"]')
    # The CXO has dotted lines to the CMO and the CPO: drawn as curves between the boxes.
    lines = chart.locator('path.studio-dotted-line[data-from="cxo"]')
    assert sorted(lines.nth(i).get_attribute("data-to") for i in range(lines.count())) == [
        "cmo",
        "cpo",
    ]
    canvas = chart.locator(".studio-canvas")
    wide = canvas.bounding_box()["width"]
    chart.locator(".studio-zoom-out").click()
    chart.locator(".studio-zoom-out").click()
    assert chart.locator(".studio-zoom-level").inner_text() == "64%"
    assert canvas.bounding_box()["width"] == pytest.approx(wide * 0.64, rel=0.02)
    chart.locator(".studio-zoom-level").click()
    assert chart.locator(".studio-zoom-level").inner_text() == "100%"
    port = chart.locator(".studio-tree")
    port.scroll_into_view_if_needed()
    box = port.bounding_box()
    x, y = box["x"] + box["width"] - 30, box["y"] + 8  # the background above the boxes
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 300, y, steps=5)
    page.mouse.up()
    assert port.evaluate("e => e.scrollLeft") > 200, "dragging the background pans"


def test_a_unit_is_added_edited_with_inline_errors_and_removed(page):
    select_unit(page, 0, "renewals_mgr")
    page.click("#edit_add")
    added = '.studio-chart[data-index="0"] .studio-box.selected:has-text("Vacant: New position")'
    page.wait_for_selector(added)
    page.wait_for_selector("#studio-unit-editor:has-text('id new_position')")
    page.fill("#edit_title", "Renewals Analyst")
    page.select_option("#edit_policy", "ratio")  # a ratio needs a driver and a ratio
    page.click("#edit_apply")
    errors = page.locator("#edit-errors").inner_text()
    assert "staffing" in errors and "driver" in errors
    page.select_option("#edit_policy", "")
    page.fill("#edit_headcount", "2")
    page.uncheck("#edit_vacant")
    page.select_option("#edit_segment", "enterprise")
    page.click("#edit_apply")
    box = page.locator('.studio-chart[data-index="0"] .studio-box[data-id="new_position"]')
    page.wait_for_selector('.studio-box[data-id="new_position"]:has-text("2 in post")')
    assert "Renewals Analyst" in box.inner_text()
    page.click("#edit_remove")
    page.wait_for_selector('.studio-box[data-id="new_position"]', state="detached")
    page.click("#undo")
    page.wait_for_selector('.studio-box[data-id="new_position"]')


def test_a_drag_saved_as_a_timeline_replays_to_the_edited_org(page, folder):
    chart = page.locator('.studio-chart[data-index="2"]')
    drag(
        page,
        chart.locator('.studio-box[data-id="renewals_mgr"]'),
        chart.locator('.studio-box[data-id="cxo"]'),
    )
    page.wait_for_selector(
        '.studio-chart[data-index="2"] .studio-box.changed[data-id="renewals_mgr"]'
    )
    page.select_option("#file_design", "2")
    page.fill("#file_name", "cxo-renewals-timeline")
    page.fill("#timeline_month", "9")
    page.click("#save_timeline")
    page.wait_for_selector("#file-note:has-text('timeline')")
    saved = load(folder / "cxo-renewals-timeline.yaml")
    assert [(e.month, e.action, e.id, e.reports_to) for e in saved.timeline] == [
        (9, "move_unit", "renewals_mgr", "cxo")
    ]
    moved = {u.id: u.reports_to for u in org_at(saved, 9)}
    assert moved["renewals_mgr"] == "cxo"
    assert {u.id: u.reports_to for u in org_at(saved, 8)}["renewals_mgr"] == "cro"


def test_the_business_case_panel_gives_npv_break_even_and_the_curve(page):
    page.select_option("#case_target", "1")
    page.fill("#case_hire", "3")
    page.fill("#case_cost", "420000")
    page.fill("#case_years", "2")
    page.click("#case_run")
    page.wait_for_selector("#case-result", timeout=120_000)
    assert page.inner_text("#case-npv")[0] in "+-$"
    assert "month" in page.inner_text("#case-break-even")
    assert page.locator("#case-curve polyline").count() == 1
    note = page.locator("#case-result p.studio-note").inner_text()
    assert "hired at month 3" in note and "customer randomness only" in note
    page.fill("#case_hire", "99")  # past a 2-year horizon
    page.click("#case_run")
    page.wait_for_selector("#case-error:has-text('hire month')", timeout=60_000)
    page.fill("#case_hire", "3")
    page.fill("#case_years", "30")  # long enough to cancel
    page.click("#case_run")
    page.wait_for_selector("#case-busy", timeout=60_000)
    page.click("#case_cancel")
    page.wait_for_selector("#case-cancelled", timeout=60_000)


def test_draws_of_the_business_case_show_p_npv_and_what_to_research(page):
    page.fill("#case_hire", "6")
    page.fill("#case_years", "1")
    page.check("input[name='draws_of'][value='case']")
    page.fill("#draws", "4")
    page.click("#run_draws")
    page.wait_for_selector("#draws-result", timeout=180_000)
    table = page.locator("#draws-result").inner_text()
    assert "P(NPV > 0)" in table and "P(best)" in table and "CXO tech touch" in table
    research = page.inner_text("#draws-research")
    assert "too few to rank" in research and "at least" in research, "4 draws rank nothing"
    assert page.locator(".studio-note", has_text="hired at month 6").count() == 1


def test_an_hris_upload_names_bad_rows_then_a_big_org_opens_and_unfolds_fast(page, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_text("id,manager_id,title,salary\n1,,CEO,100\n2,1,CSM,abc\n", encoding="utf-8")
    page.set_input_files("#hris_upload", str(bad))
    page.wait_for_selector("#import-note:has-text('not imported')", timeout=60_000)
    assert "people.csv:3: column 'salary'" in page.inner_text("#import-note")
    export = tmp_path / "hris-5000.csv"
    export.write_text(big_hris_csv(), encoding="utf-8")
    page.set_input_files("#hris_upload", str(export))
    section = page.locator('.studio-chart[data-index="3"]')
    section.wait_for(timeout=120_000)
    assert "hris-5000 (imported)" in section.locator(".studio-design-title").inner_text()
    assert section.locator(".studio-box").count() == 11, "folded: the CEO and the executives"
    vp = section.locator(".studio-box", has_text="VP Customer Success 3").first.get_attribute(
        "data-id"
    )
    unfold = page.evaluate(
        "id => { const c = ccosimStudio[3]; const t = performance.now();"
        " ccosimStudioApi.toggle(3, id);"
        " const m = c.byId[id].children[4]; ccosimStudioApi.toggle(3, m);"
        " return [performance.now() - t, c.byId[m].children.length]; }",
        vp,
    )
    assert unfold[1] > 40 and unfold[0] < 1000, unfold
    assert section.locator(".studio-box").count() >= 11 + 10 + unfold[1]
    page.wait_for_selector(
        "#studio-kpis tbody tr:has-text('hris-5000 (imported)')", timeout=180_000
    )
