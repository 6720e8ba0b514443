"""Open an HTML file in headless Chromium and report what a reader would see.

No browser driver or extra package: a copy of the page gets a small probe script as the first
thing in ``<head>``. Because it runs before anything else loads, its capture-phase ``error``
listener sees every element whose resource fails to load (``img``, ``link``, ``script``,
``iframe``, ``video``, ...), along with script errors and ``console.error`` calls. Once the page
has loaded, the probe writes what it found (inline SVG charts, tables, section headings,
failed loads, every resource requested) into the DOM as JSON, and ``chromium --dump-dom``
prints that DOM. A second run of the untouched page takes the screenshot a person looks at.
Chromium's own log (``--enable-logging=stderr``) is kept as a backstop for what a page script
cannot see.

Tests mark themselves with :func:`needs_chromium` (a module: ``pytestmark = BROWSER_MARKS``):
they skip, with the reason, where no Chromium is installed (Debian: ``apt-get install
chromium``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)

PROBE = """<script>(() => {
  const failed = [], errors = [];
  window.addEventListener('error', e => {
    const t = e.target;
    if (t && t !== window && t.tagName) {
      failed.push(t.tagName.toLowerCase() + ' ' + (t.getAttribute('src') || t.getAttribute('href')
                  || t.getAttribute('data') || ''));
    } else {
      errors.push(String(e.message));
    }
  }, true);
  window.addEventListener('unhandledrejection', e => errors.push(String(e.reason)));
  const logError = console.error.bind(console);
  console.error = (...args) => { errors.push(args.map(String).join(' ')); logError(...args); };
  window.addEventListener('load', () => {
    const images = [...document.images];
    // charts on screen: a figure's print-only version is hidden until the page is printed
    const onScreen = [...document.querySelectorAll('figure svg')]
                       .filter(s => !s.closest('.print-only'));
    const found = {
      svgs: onScreen.length,
      all_svgs: document.querySelectorAll('svg').length,
      tables: document.querySelectorAll('table').length,
      sections: [...document.querySelectorAll('h2')].map(h => h.textContent),
      broken_images: images.filter(i => !(i.complete && i.naturalWidth > 0))
                           .map(i => i.getAttribute('src')),
      empty_svgs: onScreen.filter(s => s.getBBox().width < 10).length,
      resources: performance.getEntriesByType('resource').map(r => r.name),
      scripts: document.scripts.length - 1,
      failed_loads: failed,
      script_errors: errors,
    };
    const out = document.createElement('pre');
    out.id = 'ccosim-check';
    out.textContent = JSON.stringify(found);
    document.body.appendChild(out);
  });
})();</script>"""

#: Lines of Chromium's log that mean the page had a problem.
_LOG_PROBLEMS = ("Failed to load resource", "Uncaught", "net::ERR_", "Not allowed to load")


def find_chromium() -> str | None:
    """Path of a Chromium-family browser, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


#: Marks for a test module that drives the browser (``pytestmark = BROWSER_MARKS``).
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None,
        reason="no Chromium installed (apt-get install chromium); .ci/run installs it",
    ),
]


def needs_chromium(test: Callable[..., None]) -> Callable[..., None]:
    """Mark one test as driving the browser: ``browser`` marker, skipped without Chromium."""
    for mark in BROWSER_MARKS:
        test = mark(test)
    return test


@dataclass(frozen=True)
class PageCheck:
    """What the browser saw.

    Attributes:
        svgs: Inline SVG charts inside ``<figure>`` shown on screen (the report's charts).
        all_svgs: Every inline ``<svg>`` on the page.
        tables: ``<table>`` elements.
        sections: Text of every ``<h2>``, in order.
        broken_images: ``src`` of every ``<img>`` that did not render.
        empty_svgs: Charts (``figure svg``) drawn less than 10 px wide.
        resources: URL of every resource the page requested (``file:`` only, for an offline
            page).
        scripts: ``<script>`` elements of the page itself (the probe not counted).
        failed_loads: ``"tag url"`` of every element whose resource failed to load.
        script_errors: Uncaught errors, rejected promises and ``console.error`` messages.
        console_errors: Problem lines from Chromium's own log (failed loads, uncaught errors).
        screenshot: The PNG taken of the unmodified page.
    """

    svgs: int
    all_svgs: int
    tables: int
    sections: list[str]
    broken_images: list[str]
    empty_svgs: int
    resources: list[str]
    scripts: int
    failed_loads: list[str]
    script_errors: list[str]
    console_errors: list[str]
    screenshot: Path

    @property
    def problems(self) -> list[str]:
        """Everything that went wrong, one line each; empty when the page loaded cleanly."""
        return [
            *(f"broken image {src}" for src in self.broken_images),
            *(f"failed to load {what}" for what in self.failed_loads),
            *(f"script error {text}" for text in self.script_errors),
            *([f"{self.empty_svgs} chart(s) drawn empty"] if self.empty_svgs else []),
            *self.console_errors,
        ]


def _with_probe(html: str) -> str:
    head = re.search(r"<head[^>]*>", html, re.I)
    if head:
        return html[: head.end()] + PROBE + html[head.end() :]
    start = re.search(r"<html[^>]*>", html, re.I)
    at = start.end() if start else 0
    return html[:at] + PROBE + html[at:]


def check_page(
    html: Path, screenshot: Path, *, width: int = 1280, height: int = 2400, timeout: float = 90.0
) -> PageCheck:
    """Load ``html`` (a file) in headless Chromium; save a screenshot; report what loaded.

    The page's folder is copied to a temporary one so that relative links resolve as they
    would for a reader; each browser run gets a fresh profile (``--user-data-dir``).

    Args:
        html: The page on disk.
        screenshot: Where to write the PNG.
        width: Window width in CSS pixels.
        height: Window height; the screenshot is this tall.
        timeout: Seconds allowed for each browser run.

    Returns:
        What the page showed and what failed.

    Raises:
        RuntimeError: no Chromium, or the page never finished loading (the browser's log is
            in the message).
    """
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("no Chromium found")
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "page" / html.name
        shutil.copytree(html.parent, probe.parent)
        probe.write_text(_with_probe(html.read_text(encoding="utf-8")), encoding="utf-8")

        def run(*args: str, profile: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [
                    browser,
                    *FLAGS,
                    f"--user-data-dir={tmp}/{profile}",
                    "--enable-logging=stderr",
                    "--v=0",
                    "--virtual-time-budget=10000",
                    f"--window-size={width},{height}",
                    *args,
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )

        dom = run("--dump-dom", probe.as_uri(), profile="probe")
        run(f"--screenshot={Path(screenshot).resolve()}", html.resolve().as_uri(), profile="shot")
    match = re.search(r'<pre id="ccosim-check">(.*?)</pre>', dom.stdout, re.S)
    if match is None:
        raise RuntimeError(f"the page did not finish loading:\n{dom.stderr[-2000:]}")
    found = json.loads(unescape(match.group(1)))
    console = [
        line
        for line in dom.stderr.splitlines()
        if any(problem in line for problem in _LOG_PROBLEMS)
    ]
    return PageCheck(console_errors=console, screenshot=Path(screenshot), **found)


def _chromium(
    browser: str, profile: str, *args: str, timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_in_page(html: Path, script: str, *, timeout: float = 90.0) -> object:
    """Load ``html`` with ``script`` run after the page's own scripts; return its result.

    ``script`` is the body of a function whose return value (JSON-serialisable) is written
    into the DOM once the page has loaded, where ``--dump-dom`` reads it back.
    """
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("no Chromium found")
    runner = (
        "<script>window.addEventListener('load', () => { let out;"
        f" try {{ out = {{ok: (() => {{ {script} }})()}}; }}"
        " catch (e) { out = {error: String(e)}; }"
        " const pre = document.createElement('pre'); pre.id = 'ccosim-result';"
        " pre.textContent = JSON.stringify(out); document.body.appendChild(pre); });</script>"
    )
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page" / html.name
        shutil.copytree(html.parent, page.parent)
        text = html.read_text(encoding="utf-8")
        page.write_text(text.replace("</body>", runner + "</body>"), encoding="utf-8")
        dom = _chromium(browser, f"{tmp}/profile", "--dump-dom", page.as_uri(), timeout=timeout)
    match = re.search(r'<pre id="ccosim-result">(.*?)</pre>', dom.stdout, re.S)
    if match is None:
        raise RuntimeError(f"the page did not finish loading:\n{dom.stderr[-2000:]}")
    result = json.loads(unescape(match.group(1)))
    if "error" in result:
        raise RuntimeError(f"the script failed in the page: {result['error']}")
    return result["ok"]


def print_to_pdf(html: Path, pdf: Path, *, timeout: float = 120.0) -> Path:
    """Print ``html`` to ``pdf`` as a reader's browser would (A4/Letter default, no headers)."""
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("no Chromium found")
    with tempfile.TemporaryDirectory() as tmp:
        _chromium(
            browser,
            f"{tmp}/profile",
            f"--print-to-pdf={Path(pdf).resolve()}",
            "--no-pdf-header-footer",
            html.resolve().as_uri(),
            timeout=timeout,
        )
    if not Path(pdf).exists():
        raise RuntimeError("Chromium wrote no PDF")
    return Path(pdf)
