"""``summary.pdf``: the board's page printed on one A4 sheet by headless Chromium.

The page is :func:`ccosim.report.board.board_html`, sized to one landscape sheet; Chromium
prints it as a reader's browser would. Where no Chromium is installed the PDF is skipped with
a message saying so and how to get it (the rest of the report is written as usual).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ccosim.output import write_bytes

__all__ = ["CHROMIUM_NAMES", "find_chromium", "write_summary_pdf"]

#: Executables tried, in order, for headless printing.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--virtual-time-budget=10000",
)


def find_chromium() -> str | None:
    """The path of an installed Chromium (or Chrome), or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_summary_pdf(html: str, path: Path, *, timeout: float = 120.0) -> str | None:
    """Print ``html`` to ``path`` with headless Chromium.

    Returns:
        None when written; else a sentence saying why not (no Chromium, or it failed), for
        the front end to show. Nothing is raised: the PDF is an extra of the report.
    """
    browser = find_chromium()
    if browser is None:
        return (
            "summary.pdf skipped: it is printed by Chromium, which is not installed (Debian: "
            "apt-get install chromium); the report and the slides are written"
        )
    with tempfile.TemporaryDirectory(prefix="ccosim-pdf-") as tmp:
        page = Path(tmp) / "summary.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "summary.pdf"
        try:
            done = subprocess.run(
                [
                    browser,
                    *_FLAGS,
                    f"--user-data-dir={tmp}/profile",
                    f"--print-to-pdf={out}",
                    page.as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"summary.pdf skipped: Chromium did not print it ({err})"
        if not out.exists() or out.stat().st_size == 0:
            tail = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
            return f"summary.pdf skipped: Chromium wrote no PDF ({tail[0][:200]})"
        write_bytes(path, out.read_bytes(), force=True)
    return None
