"""Report figures: correct geometry, and text that stays editable in SVG and PDF."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from ccosim.report.figures import (
    bookings_mix,
    design_colors,
    fan_chart,
    save_figure,
    tornado,
    waterfall,
    yearly_lines,
)

YEARS = [1, 2, 3]
NAMES = ["as_is", "to_be"]


def band(level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = np.full(3, level)
    return mean, mean - 0.01, mean + 0.01


def test_every_figure_is_a_figure_object():
    months = np.arange(37)
    figures = [
        fan_chart(
            months,
            {n: (np.ones(37), np.ones(37), np.ones(37)) for n in NAMES},
            title="ARR",
            ylabel="ARR",
        ),
        yearly_lines(YEARS, {n: band(0.9) for n in NAMES}, title="GRR", ylabel="GRR"),
        bookings_mix(YEARS, {n: np.ones(3) for n in NAMES}, {n: np.full(3, 3.0) for n in NAMES}),
    ]
    assert all(isinstance(f, Figure) for f in figures)


def test_design_colors_are_stable_and_distinct():
    colors = design_colors(["a", "b", "c"])
    assert colors == design_colors(["a", "b", "c"]) and len(set(colors.values())) == 3


def test_waterfall_ends_where_the_steps_add_up():
    figure = waterfall("A", 0.80, [("x", 0.03), ("y", -0.01)], "B", title="t", percent=True)
    bars = figure.axes[0].patches
    assert bars[-1].get_height() == pytest.approx(0.82)
    assert bars[2].get_y() == pytest.approx(0.83) and bars[2].get_height() == pytest.approx(-0.01)


def test_tornado_puts_the_widest_swing_on_top():
    figure = tornado({"narrow": (0.99, 1.01), "wide": (0.9, 1.1)}, 1.0, kpi_label="NRR", unit="%")
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["narrow", "wide"]  # bottom to top


def test_svg_text_is_text_and_pdf_embeds_truetype(tmp_path):
    figure = yearly_lines(YEARS, {n: band(0.9) for n in NAMES}, title="GRR by year", ylabel="GRR")
    save_figure(figure, tmp_path / "f.svg")
    save_figure(figure, tmp_path / "f.pdf")
    svg = (tmp_path / "f.svg").read_text()
    assert "GRR by year" in svg and "<text" in svg
    pdf = (tmp_path / "f.pdf").read_bytes()
    # pdf.fonttype 42 embeds TrueType (as a CID font); Type 3 would turn text into outlines.
    assert (b"/CIDFontType2" in pdf or b"/TrueType" in pdf) and b"/Type3" not in pdf
