"""``ccosim studio``: time from start to the first served page, and to the first KPI answer.

Starts ``ccosim studio scenarios/cco_full.yaml scenarios/post_sales_cs.yaml --no-browser``
on a free port several times and reports the median of:

* **first page**: process start to the first ``200`` for ``GET /`` (the issue asks for
  under 5 s on 2 cores);
* **first answer**: process start to the KPI table in headless Chromium (Playwright driving
  Debian's ``chromium``; left out when either is missing), at the studio's defaults (3 years,
  4 runs per design);
* **slider to new KPIs**: once the table is refined, a slider moved to the end of its range
  until the table first changes (the first answer of 4 runs per design).

Usage: ``python benchmarks/studio.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ["scenarios/cco_full.yaml", "scenarios/post_sales_cs.yaml"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_page(port: int, started: float, process: subprocess.Popen) -> float:
    while True:
        if process.poll() is not None:
            raise RuntimeError("the studio exited before serving")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)


def first_answer(browser: object, port: int, started: float) -> tuple[float, float]:
    """Start to the first KPI table; then a slider move to the table's first change."""
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector("#studio-kpis", timeout=120_000)
    elapsed = time.perf_counter() - started
    page.wait_for_selector(".studio-done", timeout=120_000)  # refined too: the table is idle
    before = page.inner_text("#studio-kpis")
    moved = time.perf_counter()
    page.evaluate(
        "$('#assumption_0').data('ionRangeSlider').update({from: 14});"
        "$('#assumption_0').trigger('change');"
    )
    while page.inner_text("#studio-kpis") == before:
        page.wait_for_timeout(20)
    again = time.perf_counter() - moved
    page.close()
    return elapsed, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    playwright = None
    browser = None
    if chromium:
        try:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        except ImportError:
            pass
    pages, answers, changes = [], [], []
    for _ in range(args.repeat):
        port = free_port()
        command = [sys.executable, "-m", "ccosim", "studio", *DESIGNS, "--no-browser"]
        started = time.perf_counter()
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            pages.append(first_page(port, started, process))
            if browser is not None:
                answer, again = first_answer(browser, port, started)
                answers.append(answer)
                changes.append(again)
        finally:
            process.terminate()
            process.wait(timeout=30)
    print(f"studio, {args.repeat} starts, 2 designs ({', '.join(DESIGNS)}):")
    print(f"  first page served:  median {statistics.median(pages):.2f} s  {pages_text(pages)}")
    if answers:
        median = statistics.median(answers)
        print(f"  first KPI answer:   median {median:.2f} s  {pages_text(answers)}")
        median = statistics.median(changes)
        print(f"  slider to new KPIs: median {median:.2f} s  {pages_text(changes)}")
    else:
        print("  first KPI answer:   not measured (needs chromium and playwright)")
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


def pages_text(values: list[float]) -> str:
    return "(" + ", ".join(f"{v:.2f}" for v in values) + ")"


if __name__ == "__main__":
    main()
