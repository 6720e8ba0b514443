"""A small PDF writer for charts of thousands of pages: shapes and text, fonts embedded.

Matplotlib's PDF backend shapes every line of text anew (about 2 ms a line), which made
an A4 chart of a 50,000-person org take a quarter of an hour. Paper charts need only
filled and stroked paths and left/centre/right-aligned lines of text, so this module writes
them directly: glyph ids and advance widths are looked up once per character, and the
fonts (the same DejaVu Sans matplotlib uses) are embedded once, subset to the glyphs used,
as TrueType (CIDFontType2) with a ToUnicode map, so text stays searchable and copyable.

Coordinates are PDF points, origin at the bottom left of the page.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont
from matplotlib.font_manager import FontProperties, findfont

__all__ = ["PdfCanvas", "PdfFont", "PdfPage"]

RGB = tuple[float, float, float]


def _num(value: float) -> str:
    """A number as PDF writes it: at most 3 decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class PdfFont:
    """A TrueType font: glyph ids and widths per character, and the glyphs used.

    Args:
        path: The .ttf file.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        font = TTFont(path, lazy=True)
        self._cmap = font.getBestCmap()
        self._gid = font.getReverseGlyphMap()
        self._hmtx = font["hmtx"].metrics
        self.units = font["head"].unitsPerEm
        head = font["head"]
        self.bbox = (head.xMin, head.yMin, head.xMax, head.yMax)
        self.ascent, self.descent = font["hhea"].ascent, font["hhea"].descent
        glyf = font["glyf"]
        # The height and depth of "lp" (as matplotlib measures a line's extent).
        self.lp_ascent = glyf["l"].yMax / self.units
        self.lp_descent = -glyf["p"].yMin / self.units
        os2 = font["OS/2"]
        # The line height matplotlib spaces lines by (the typographic ascender and descender).
        self.typo_ascent = os2.sTypoAscender / self.units
        self.typo_descent = -os2.sTypoDescender / self.units
        self.name = font["name"].getDebugName(6) or "Font"
        self._chars: dict[str, tuple[int, int, str]] = {}
        self.used: dict[int, str] = {0: ""}

    def _entry(self, char: str) -> tuple[int, int, str]:
        """(glyph id, advance, hex code) of ``char``, looked up once and recorded as used."""
        name = self._cmap.get(ord(char))
        if name is None:
            entry = (0, self._hmtx[".notdef"][0], "0000")
        else:
            gid = self._gid[name]
            entry = (gid, self._hmtx[name][0], f"{gid:04X}")
        self._chars[char] = entry
        self.used.setdefault(entry[0], char if name is not None else "")
        return entry

    def glyph(self, char: str) -> tuple[int, int]:
        """(glyph id, advance in font units) of ``char``; glyph 0 when the font lacks it."""
        entry = self._chars.get(char) or self._entry(char)
        return entry[0], entry[1]

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` at ``size`` points."""
        chars = self._chars
        return sum((chars.get(c) or self._entry(c))[1] for c in text) * size / self.units

    def encode(self, text: str) -> str:
        """``text`` as a hex string of 2-byte glyph ids (the glyphs are recorded as used)."""
        chars = self._chars
        return "<" + "".join((chars.get(c) or self._entry(c))[2] for c in text) + ">"


@dataclass
class PdfPage:
    """One page's drawing operations.

    Attributes:
        width: Page width (points).
        height: Page height (points).
        ops: The content stream, one operation a line.
    """

    width: float
    height: float
    ops: list[str] = field(default_factory=list)

    def path(
        self,
        points: Sequence[tuple[float, float]],
        *,
        fill: RGB | None = None,
        stroke: RGB | None = None,
        width: float = 1.0,
        dash: Sequence[float] = (),
        closed: bool = False,
        curves: Sequence[int] = (),
    ) -> None:
        """A polyline (or polygon) filled and/or stroked.

        Args:
            points: Vertices (points). An index in ``curves`` marks a vertex that is the
                first of three making a cubic Bézier segment.
            fill: Fill colour, or none.
            stroke: Line colour, or none.
            width: Line width (points).
            dash: Dash pattern (points); empty for a solid line.
            closed: Close the path.
            curves: Indices starting a Bézier segment (see ``points``).
        """
        ops = self.ops
        if fill is not None:
            ops.append(f"{fill[0]:.3f} {fill[1]:.3f} {fill[2]:.3f} rg")
        if stroke is not None:
            ops.append(
                f"{stroke[0]:.3f} {stroke[1]:.3f} {stroke[2]:.3f} RG {width:.2f} w "
                f"[{' '.join(f'{d:.2f}' for d in dash)}] 0 d"
            )
        parts = [f"{points[0][0]:.2f} {points[0][1]:.2f} m"]
        index, starts = 1, set(curves)
        while index < len(points):
            if index in starts:
                (ax, ay), (bx, by), (cx, cy) = points[index : index + 3]
                parts.append(f"{ax:.2f} {ay:.2f} {bx:.2f} {by:.2f} {cx:.2f} {cy:.2f} c")
                index += 3
            else:
                parts.append(f"{points[index][0]:.2f} {points[index][1]:.2f} l")
                index += 1
        if closed:
            parts.append("h")
        paint = "B" if fill is not None and stroke is not None else "f" if fill else "S"
        ops.append(" ".join(parts) + " " + paint)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        font: PdfFont,
        size: float,
        *,
        color: RGB = (0.0, 0.0, 0.0),
        align: str = "left",
    ) -> None:
        """One line of ``text`` with its baseline at ``y``, aligned at ``x``."""
        if not text:
            return
        if align != "left":
            shift = font.width(text, size)
            x -= shift / 2 if align == "center" else shift
        self.ops.append(
            f"BT {color[0]:.3f} {color[1]:.3f} {color[2]:.3f} rg /F{id(font)} {size:.2f} Tf "
            f"{x:.2f} {y:.2f} Td {font.encode(text)} Tj ET"
        )


@dataclass
class PdfCanvas:
    """Pages and fonts of one PDF document."""

    pages: list[PdfPage] = field(default_factory=list)
    fonts: dict[str, PdfFont] = field(default_factory=dict)

    def font(self, bold: bool = False) -> PdfFont:
        """Matplotlib's default sans-serif font (DejaVu Sans), regular or bold."""
        weight = "bold" if bold else "normal"
        if weight not in self.fonts:
            self.fonts[weight] = PdfFont(findfont(FontProperties(weight=weight)))
        return self.fonts[weight]

    def page(self, width: float, height: float) -> PdfPage:
        """A new page of ``width`` x ``height`` points."""
        page = PdfPage(width, height)
        self.pages.append(page)
        return page

    def save(self, path: str | Path) -> None:
        """Write the document."""
        writer = _Writer()
        font_ids = {}
        for index, font in enumerate(self.fonts.values()):
            font_ids[id(font)] = writer.font(font, f"{chr(65 + index) * 6}+{font.name}")
        resources = (
            "<< /Font << "
            + " ".join(f"/F{key} {ref} 0 R" for key, ref in font_ids.items())
            + " >> >>"
        )
        pages_ref = writer.reserve()
        kids = []
        for page in self.pages:
            content = writer.stream("\n".join(page.ops).encode("latin-1"))
            kids.append(
                writer.add(
                    f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [0 0 {_num(page.width)} "
                    f"{_num(page.height)}] /Resources {resources} /Contents {content} 0 R >>"
                )
            )
        writer.set(
            pages_ref,
            f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>",
        )
        catalog = writer.add(f"<< /Type /Catalog /Pages {pages_ref} 0 R >>")
        Path(path).write_bytes(writer.finish(catalog))


class _Writer:
    """PDF objects, then the cross-reference table."""

    def __init__(self) -> None:
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def set(self, ref: int, body: str | bytes) -> None:
        self.objects[ref - 1] = body.encode("latin-1") if isinstance(body, str) else body

    def add(self, body: str | bytes) -> int:
        ref = self.reserve()
        self.set(ref, body)
        return ref

    def stream(self, data: bytes, extra: str = "") -> int:
        packed = zlib.compress(data, 6)
        head = f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n"
        return self.add(head.encode("latin-1") + packed + b"\nendstream")

    def font(self, font: PdfFont, base: str) -> int:
        """The Type0 font object of ``font``, subset to its used glyphs."""
        base = base.replace(" ", "")
        tt = TTFont(font.path)
        options = ft_subset.Options()
        options.retain_gids = True
        options.notdef_outline = True
        options.layout_features = []
        options.name_IDs = ["*"]
        options.drop_tables = [*options.drop_tables, "FFTM"]
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(gids=sorted(font.used))
        subsetter.subset(tt)
        data = io.BytesIO()
        tt.save(data)
        packed = data.getvalue()
        file_ref = self.stream(packed, f"/Length1 {len(packed)} ")
        scale = 1000 / font.units
        x0, y0, x1, y1 = (round(v * scale) for v in font.bbox)
        descriptor = self.add(
            f"<< /Type /FontDescriptor /FontName /{base} /Flags 32 /FontBBox [{x0} {y0} {x1} "
            f"{y1}] /ItalicAngle 0 /Ascent {round(font.ascent * scale)} /Descent "
            f"{round(font.descent * scale)} /CapHeight {y1} /StemV 80 /FontFile2 {file_ref} 0 R >>"
        )
        gids = sorted(font.used)
        widths = " ".join(
            f"{gid} [{round(font.glyph(font.used[gid])[1] * scale) if font.used[gid] else 0}]"
            for gid in gids
        )
        cid = self.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{base} /CIDSystemInfo "
            "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /W [{widths}] /CIDToGIDMap /Identity >>"
        )
        to_unicode = self.stream(_to_unicode(font.used))
        return self.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
        )

    def finish(self, root: int) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for ref, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{ref} 0 obj\n".encode() + (body or b"null") + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
        out += (
            f"trailer\n<< /Size {len(offsets) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        ).encode()
        return bytes(out)


def _to_unicode(used: dict[int, str]) -> bytes:
    """A ToUnicode CMap: glyph id -> the character it was drawn for."""
    pairs = [(gid, char) for gid, char in sorted(used.items()) if char]
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for gid, char in chunk]
        lines.append("endbfchar")
    lines += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
    return "\n".join(lines).encode("latin-1")
