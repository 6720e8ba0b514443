"""A report as plain data (sections of text, tables and figures) and its two renderings.

``render_html`` makes one self-contained file: figures inline as SVG, styles inline, no
network, every text from a scenario escaped (Jinja2 autoescaping); the only script is the
inline one that makes interactive org charts work, present only when the report has one.
Print styles start each section on a new page, repeat table headers on every page, and keep
rows and charts whole. ``write_markdown`` makes ``report.md`` with the same content and PNG
figures beside it.
"""

from __future__ import annotations

import io
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

from ccosim.literal_text import make_literal
from ccosim.report.figures import save_figure
from ccosim.report.org_html import ORG_CHART_SCRIPT, ORG_CHART_STYLE

__all__ = [
    "FigureItem",
    "Report",
    "Section",
    "Table",
    "inline_svg",
    "md_text",
    "render_html",
    "write_markdown",
]


@dataclass(frozen=True)
class Table:
    """A table: header cells and rows of text cells; ``note`` is shown under it.

    ``left`` lists the columns (0-based) of prose, aligned left; others (numbers) align right.
    """

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    note: str = ""
    left: Sequence[int] = ()


@dataclass(frozen=True)
class FigureItem:
    """A figure with a file stem (for the PNG beside the Markdown) and a caption.

    ``html``, when given, is shown in the HTML report instead of the figure's SVG (e.g. an
    interactive org chart, :mod:`ccosim.report.org_html`); the Markdown keeps the PNG.
    ``printed``, when given with ``html``, is what a printed page shows instead of it (an
    interactive chart prints only the corner it was scrolled to).
    """

    stem: str
    figure: object  # matplotlib.figure.Figure
    caption: str = ""
    html: object = None  # markupsafe.Markup
    printed: object = None  # matplotlib.figure.Figure


@dataclass(frozen=True)
class Section:
    """A titled part of the report: paragraphs, then tables, then figures."""

    title: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[Table] = ()
    figures: Sequence[FigureItem] = ()


@dataclass(frozen=True)
class Report:
    """A whole report."""

    title: str
    subtitle: str
    sections: Sequence[Section]
    footer: str = ""
    meta: dict[str, str] = field(default_factory=dict)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ccosim">
<title>{{ report.title }}</title>
<style>
 body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
        max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
 h1 { margin-bottom: 0.1em; } .subtitle { color: #555; margin-top: 0; }
 h2 { border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; margin-top: 2em; }
 table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
 th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
 th:first-child, td:first-child, th.l, td.l { text-align: left; }
 td.l { min-width: 14em; }
 thead th { background: #f2f2f2; } caption { text-align: left; font-weight: bold;
 padding-bottom: 0.3em; } .note { color: #555; font-size: 0.85em; }
 figure { margin: 1.2em 0; } figure svg { max-width: 100%; height: auto; }
 figcaption { color: #555; font-size: 0.85em; } footer { color: #777; font-size: 0.8em;
 margin-top: 3em; border-top: 1px solid #ddd; padding-top: 0.5em; }
 nav ol { columns: 2; }
 .print-only { display: none; }
 @media print {
   .print-only { display: block; } .screen-only { display: none; }
   body { max-width: none; margin: 0; font-size: 10pt; }
   nav { display: none; }
   section { break-before: page; } section:first-of-type { break-before: auto; }
   h2, caption { break-after: avoid; }
   table { break-inside: auto; } thead { display: table-header-group; }
   tr, figure, .note { break-inside: avoid; }
   figure svg { max-height: 24cm; }
 }
{% if interactive %}{{ org_style }}{% endif %}
</style>
</head>
<body>
<h1>{{ report.title }}</h1>
<p class="subtitle">{{ report.subtitle }}</p>
<nav><ol>{% for s in report.sections %}<li><a href="#s{{ loop.index }}">{{ s.title }}</a></li>
{% endfor %}</ol></nav>
{% for s in report.sections %}
<section id="s{{ loop.index }}">
<h2>{{ s.title }}</h2>
{% for p in s.paragraphs %}<p>{{ p }}</p>
{% endfor %}
{% for t in s.tables %}
<table>{% if t.caption %}<caption>{{ t.caption }}</caption>{% endif %}
<thead><tr>{% for h in t.headers %}<th{{ ' class="l"' | safe if loop.index0 in t.left }}>
{{- h }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in t.rows %}<tr>{% for c in row %}
<td{{ ' class="l"' | safe if loop.index0 in t.left }}>{{ c }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% if t.note %}<p class="note">{{ t.note }}</p>{% endif %}
{% endfor %}
{% for f in s.figures %}
<figure id="fig-{{ f.stem }}">{% if f.stem in printed %}
<div class="screen-only">{{ f.html }}</div><div class="print-only">{{ printed[f.stem] }}</div>
{%- elif f.html %}{{ f.html }}{% else %}{{ svgs[f.stem] }}{% endif %}{% if f.caption %}
<figcaption>{{ f.caption }}</figcaption>{% endif %}</figure>
{% endfor %}
</section>
{% endfor %}
<footer>{{ report.footer }}</footer>
{% if interactive %}<script>{{ org_script }}</script>{% endif %}
</body>
</html>
"""


def _svg(figure: object) -> Markup:
    buffer = io.StringIO()
    from matplotlib import rc_context

    make_literal(figure)
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "ccosim"}):
        figure.savefig(buffer, format="svg")  # type: ignore[attr-defined]
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE for inlining
    # Matplotlib's own SVG is trusted markup; every user text inside it was escaped by it.
    return Markup(re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S))


def inline_svg(figure: object) -> Markup:
    """A matplotlib figure as SVG markup to put inside an HTML page (text kept as text)."""
    return _svg(figure)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline SVG and script, no network)."""
    environment = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    figures = [f for s in report.sections for f in s.figures]
    svgs = {f.stem: _svg(f.figure) for f in figures if f.html is None}
    printed = {f.stem: _svg(f.printed) for f in figures if f.html and f.printed is not None}
    return environment.from_string(_TEMPLATE).render(
        report=report,
        svgs=svgs,
        printed=printed,
        interactive=any(f.html is not None for f in figures),
        org_style=Markup(ORG_CHART_STYLE),
        org_script=Markup(ORG_CHART_SCRIPT),
    )


_MD_PUNCTUATION = re.compile(r"([\\`*\[\]|$~])")
_MD_LOOSE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#+\-=*>])(?=\s|$|\2)")
_MD_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")


def md_text(text: object) -> str:
    """``text`` as literal Markdown: nothing in it can make a link, image, HTML or formatting.

    Scenario names, unit titles and file names reach the report; ``<img onerror=...>``,
    ``[x](javascript:...)``, ``**`` or a ``$`` must show as typed. ``<``, ``>`` and ``&``
    become entities; the punctuation that formats anywhere (backslash, backtick, ``*``,
    brackets, ``|``, ``$``, ``~``, and ``_`` at a word's edge) gets a backslash; a leading
    ``#``, ``-``, ``+``, ``=`` or ``1.`` that would start a heading or a list is escaped; line
    breaks become spaces. Ordinary text (``post_sales_cs``, ``46.36M``, ``+2.1 pts``) stays
    as it is.
    """
    out = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = " ".join(out.splitlines())
    out = _MD_PUNCTUATION.sub(r"\\\1", out)
    out = _MD_LOOSE_UNDERSCORE.sub(r"\\_", out)
    out = _MD_BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", out)
    return _MD_LIST_NUMBER.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", out)


def _md_cell(text: str) -> str:
    return md_text(text)


def write_markdown(report: Report, folder: Path, *, figure_dir: str = "figures") -> str:
    """Write the figures as PNG under ``folder/figure_dir`` and return the Markdown text."""
    (folder / figure_dir).mkdir(parents=True, exist_ok=True)
    lines = [f"# {md_text(report.title)}", "", f"_{md_text(report.subtitle)}_", ""]
    for section in report.sections:
        lines += [f"## {md_text(section.title)}", ""]
        for paragraph in section.paragraphs:
            lines += [md_text(paragraph), ""]
        for table in section.tables:
            if table.caption:
                lines += [f"**{md_text(table.caption)}**", ""]
            lines.append("| " + " | ".join(_md_cell(h) for h in table.headers) + " |")
            lines.append("|" + "|".join(["---"] * len(table.headers)) + "|")
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
            lines.append("")
            if table.note:
                lines += [f"_{md_text(table.note)}_", ""]
        for item in section.figures:
            png = f"{figure_dir}/{item.stem}.png"
            save_figure(item.figure, folder / png)  # type: ignore[arg-type]
            link = urllib.parse.quote(png)  # a design label from a file name may hold anything
            lines += [f"![{md_text(item.caption or item.stem)}]({link})", ""]
            if item.caption:
                lines += [f"_{md_text(item.caption)}_", ""]
    if report.footer:
        lines += ["---", "", md_text(report.footer), ""]
    return "\n".join(lines)
