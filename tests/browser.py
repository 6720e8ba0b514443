"""Open an HTML file in headless Chromium and report what a reader would see.

No browser driver is needed: a copy of the page gets a small script that, once the page has
loaded, writes what it finds (inline SVG charts, tables, images that failed to load, every
resource the page requested) into the DOM, and ``chromium --dump-dom`` returns that DOM. A
second run takes a screenshot to look at. Tests that use it skip where no Chromium exists.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars")

CHECKER = """<script>
window.addEventListener('load', () => {
  const images = [...document.images];
  const found = {
    svgs: document.querySelectorAll('figure svg').length,
    tables: document.querySelectorAll('table').length,
    sections: [...document.querySelectorAll('h2')].map(h => h.textContent),
    broken_images: images.filter(i => !(i.complete && i.naturalWidth > 0))
                         .map(i => i.getAttribute('src')),
    empty_svgs: [...document.querySelectorAll('figure svg')]
                  .filter(s => s.getBBox().width < 10).length,
    resources: performance.getEntriesByType('resource').map(r => r.name),
    scripts: document.scripts.length - 1,
  };
  const out = document.createElement('pre');
  out.id = 'ccosim-check';
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""


def find_chromium() -> str | None:
    """Path of a Chromium-family browser, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass(frozen=True)
class PageCheck:
    """What the browser saw."""

    svgs: int
    tables: int
    sections: list[str]
    broken_images: list[str]
    empty_svgs: int
    resources: list[str]
    scripts: int
    console_errors: list[str]
    screenshot: Path


def check_page(html: Path, screenshot: Path, *, width: int = 1280, height: int = 2400,
               timeout: float = 90.0) -> PageCheck:
    """Load ``html`` (a file) in headless Chromium; save a screenshot; report what loaded."""
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("no Chromium found")
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "page" / html.name
        shutil.copytree(html.parent, probe.parent)
        probe.write_text(html.read_text(encoding="utf-8").replace("</body>", CHECKER + "</body>"),
                         encoding="utf-8")
        common = [browser, *FLAGS, f"--user-data-dir={tmp}/profile", "--enable-logging=stderr",
                  "--v=0", "--virtual-time-budget=10000", f"--window-size={width},{height}"]
        dom = subprocess.run([*common, "--dump-dom", probe.as_uri()], capture_output=True,
                             text=True, timeout=timeout, check=False)
        subprocess.run([*common, f"--screenshot={screenshot}", html.resolve().as_uri()],
                       capture_output=True, text=True, timeout=timeout, check=False)
    match = re.search(r'<pre id="ccosim-check">(.*?)</pre>', dom.stdout, re.S)
    if match is None:
        raise RuntimeError(f"the page did not finish loading:\n{dom.stderr[-2000:]}")
    found = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&")
                       .replace("&lt;", "<").replace("&gt;", ">"))
    console = [line for line in dom.stderr.splitlines()
               if "CONSOLE" in line or "Failed to load resource" in line]
    return PageCheck(console_errors=console, screenshot=screenshot, **found)
