"""``ccosim studio`` with a 5,000-person HRIS export uploaded: does it stay usable?

Starts ``ccosim studio`` on two shipped designs (in a temporary folder), uploads a generated
5,000-row HRIS export (CEO, 10 executives, 100 managers, about 4,900 staff; the same export
the browser test uploads) in headless Chromium (Playwright driving Debian's ``chromium``),
and reports the median over ``--repeat`` runs of:

* **upload to chart**: choosing the file to the new design's chart on the page (import,
  roll-ups and drawing; the org opens folded: the CEO and the executives);
* **unfold a branch**: an executive and then one of their managers (about 50 staff) unfolded,
  timed in the page;
* **expand all**: every branch of the 5,000 boxes drawn;
* **search**: from the folded chart, a name typed into the search box until the matching
  box is shown (its branch unfolded).

Usage: ``python benchmarks/studio_big_org.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.studio_support import big_hris_csv, design_folder, served  # noqa: E402

DESIGNS = ["post_sales_cs.yaml", "cco_full.yaml"]


def one_run(browser: object, url: str, export: Path) -> dict[str, float]:
    """One page: upload, then unfold, expand all and search, timed."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(url)
    page.wait_for_selector("#studio-kpis", timeout=120_000)
    started = time.perf_counter()
    page.set_input_files("#hris_upload", str(export))
    section = page.locator('.studio-chart[data-index="2"]')
    section.wait_for(timeout=120_000)
    upload = time.perf_counter() - started
    vp = section.locator(".studio-box", has_text="VP Customer Success 3").first.get_attribute(
        "data-id"
    )
    unfold = page.evaluate(
        "id => { const c = ccosimStudio[2]; const t = performance.now();"
        " ccosimStudioApi.toggle(2, id); ccosimStudioApi.toggle(2, c.byId[id].children[4]);"
        " return performance.now() - t; }",
        vp,
    )
    expand = page.evaluate(
        "() => { const t = performance.now();"
        " document.querySelector('.studio-chart[data-index=\"2\"] .studio-expand').click();"
        " return performance.now() - t; }"
    )
    section.locator(".studio-fold").click()
    started = time.perf_counter()
    section.locator(".studio-search").fill("P4321 Ng")
    section.locator(".studio-box.match").first.wait_for()
    search = time.perf_counter() - started
    page.close()
    return {
        "upload to chart": upload,
        "unfold a branch": unfold / 1000,
        "expand all": expand / 1000,
        "search": search,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = design_folder(Path(tmp))
        export = Path(tmp) / "hris-5000.csv"
        export.write_text(big_hris_csv(), encoding="utf-8")
        with served(folder, DESIGNS) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for _ in range(args.repeat):
                for name, value in one_run(browser, url, export).items():
                    times.setdefault(name, []).append(value)
            browser.close()
    print(f"studio with a 5,000-row HRIS export uploaded, {args.repeat} runs (medians):")
    for name, values in times.items():
        shown = ", ".join(f"{v:.3f}" for v in values)
        print(f"  {name:16s} median {statistics.median(values):.3f} s  ({shown})")


if __name__ == "__main__":
    main()
