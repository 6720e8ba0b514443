"""``slides.pptx``: the board's page as at most six slides (python-pptx, the ``slides`` extra).

The same writer serves a comparison and a business case (:mod:`ccosim.report.case_pack`).

1. the recommendation with its condition, the calibration status and the question answered;
2. the headline table (a real table: its text can be edited and read back);
3. the paired-difference chart; 4. the net value and break-even chart; 5 and 6. the org
charts of the baseline and the recommended design, one a slide. Charts are PNG pictures of
the report's own figures.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ccosim.errors import CcosimError
from ccosim.literal_text import make_literal
from ccosim.output import write_bytes
from ccosim.report.board import BoardPage
from ccosim.report.document import FigureItem

__all__ = ["MAX_SLIDES", "check_slides", "write_slides"]

#: A board deck stays short.
MAX_SLIDES = 6
_WIDE, _HIGH = 13.333, 7.5  # inches, 16:9


def check_slides() -> None:
    """Refuse, before any work, slides without python-pptx.

    Raises:
        CcosimError: python-pptx is not installed, with how to install it.
    """
    if importlib.util.find_spec("pptx") is None:
        raise CcosimError(
            "--format pptx needs the package python-pptx, which is not installed: pip install "
            "'ccosim[slides]'"
        )


def _png(figure: object, dpi: int = 150) -> io.BytesIO:
    make_literal(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)  # type: ignore[attr-defined]
    buffer.seek(0)
    return buffer


def _title(slide: Any, text: str) -> None:
    from pptx.util import Pt  # lazy: an optional package

    slide.shapes.title.text = text
    for paragraph in slide.shapes.title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(28)


def _text_slide(deck: Any, page: BoardPage) -> None:
    from pptx.util import Inches, Pt  # lazy: an optional package

    slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
    # "The answer", not "Recommendation": the answer may be that no design clearly leads.
    _title(slide, "The answer")
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.5), Inches(_WIDE - 1.2), Inches(5.6))
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(
        [
            (page.recommendation, 22, True),
            (page.condition, 16, False),
            (page.calibration, 14, False),
            (page.question, 12, False),
        ]
    ):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
        paragraph.space_after = Pt(10)


def _table_slide(deck: Any, page: BoardPage) -> None:
    from pptx.util import Inches, Pt  # lazy: an optional package

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    # A long caption: its first clause is the title, the rest goes under the table.
    title, _, rest = (page.table.caption or "Headline").partition("; ")
    if len(title) + len(rest) <= 60:
        title, rest = page.table.caption or "Headline", ""
    _title(slide, title)
    note_text = " ".join(t for t in (rest[:1].upper() + rest[1:], page.table.note) if t)
    rows = [list(page.table.headers), *(list(r) for r in page.table.rows)]
    # A long table (the business case's one-pager) gets smaller type so that it fits.
    high = min(0.45, 5.2 / len(rows))
    size = 12 if high >= 0.45 else 10
    shape = slide.shapes.add_table(
        len(rows),
        len(rows[0]),
        Inches(0.4),
        Inches(1.4),
        Inches(_WIDE - 0.8),
        Inches(high * len(rows)),
    )
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            cell = shape.table.cell(r, k)
            cell.text = str(text)
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size if r else size - 1)
    if note_text:
        note = slide.shapes.add_textbox(
            Inches(0.4), Inches(1.6 + high * len(rows)), Inches(_WIDE - 0.8), Inches(0.8)
        )
        note.text_frame.word_wrap = True
        note.text_frame.text = note_text
        note.text_frame.paragraphs[0].font.size = Pt(11)


def _picture_slide(deck: Any, title: str, figures: Sequence[FigureItem]) -> None:
    from pptx.util import Inches  # lazy: an optional package

    slide = deck.slides.add_slide(deck.slide_layouts[5])
    _title(slide, title)
    count = len(figures)
    width = (_WIDE - 0.6) / count
    for i, item in enumerate(figures):
        w, h = item.figure.get_size_inches()  # type: ignore[attr-defined]
        scale = min(width / w, 5.6 / h)
        left = 0.3 + i * width + (width - w * scale) / 2
        slide.shapes.add_picture(
            _png(item.figure), Inches(left), Inches(1.5), Inches(w * scale), Inches(h * scale)
        )


def slides_bytes(page: BoardPage) -> bytes:
    """The deck as PPTX bytes (see the module docstring for the slides)."""
    check_slides()
    from pptx import Presentation  # lazy: an optional package
    from pptx.util import Inches

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(_WIDE), Inches(_HIGH)
    _text_slide(deck, page)
    _table_slide(deck, page)
    for item in page.figures[:2]:
        _picture_slide(deck, item.caption or item.stem, [item])
    for item in page.org_charts[: MAX_SLIDES - len(deck.slides)]:
        _picture_slide(deck, f"The org: {item.caption or item.stem}", [item])
    deck.core_properties.title = page.title
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def write_slides(page: BoardPage, path: Path) -> Path:
    """Write ``slides.pptx`` (at most :data:`MAX_SLIDES` slides)."""
    return write_bytes(path, slides_bytes(page), force=True)
