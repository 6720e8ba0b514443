"""The sources appendix of every report, from the sources list shipped inside the package.

``ccosim/report/sources.md`` is a copy of ``docs/sources.md`` (a test keeps them equal), so
an installed ccosim, without the repository's docs, still prints who wrote what, its title
and year. Markdown links, anchors and code marks are reduced to their text.
"""

from __future__ import annotations

import re
from importlib import resources

from ccosim.report.document import Section, Table

__all__ = ["SOURCES_FILE", "source_tables", "sources_section", "sources_text"]

#: The shipped list, beside this module.
SOURCES_FILE = "sources.md"

_ANCHOR = re.compile(r"<a id=\"[^\"]*\"></a>")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def sources_text() -> str:
    """The shipped sources list (Markdown)."""
    return (resources.files("ccosim.report") / SOURCES_FILE).read_text(encoding="utf-8")


def _plain(cell: str) -> str:
    cell = _ANCHOR.sub("", cell)
    cell = _LINK.sub(r"\1", cell)
    return cell.replace("`", "").replace("*", "").strip()


def _row(line: str) -> list[str]:
    return [_plain(c) for c in line.strip().strip("|").split(" | ")]


def source_tables(text: str | None = None) -> list[Table]:
    """Each Markdown table of the list under its heading, as a report table."""
    text = sources_text() if text is None else text
    tables: list[Table] = []
    heading, header, rows = "", None, []

    def close() -> None:
        if header is not None and rows:
            tables.append(Table(header, list(rows), caption=heading, left=range(len(header))))

    for line in text.splitlines():
        if line.startswith("## "):
            close()
            heading, header, rows = line[3:].strip(), None, []
        elif line.startswith("|") and set(line.replace("|", "").strip()) <= {"-", " ", ":"}:
            continue  # the rule under a table's header
        elif line.startswith("|"):
            if header is None:
                header = _row(line)
            else:
                rows.append(_row(line))
    close()
    return tables


def sources_section() -> Section:
    """The report's appendix: every work a default or a figure cites, by its key."""
    return Section(
        "Sources",
        paragraphs=[
            "Every default and figure in this report cites one of these works by its key (a "
            "source text, or a benchmark row 'benchmarks N.M'); a default no source supports "
            "is marked 'assumption'. Quality: P the publisher's own report; S a second-hand "
            "summary naming the original; H a rule of thumb or vendor page."
        ],
        tables=source_tables(),
    )
