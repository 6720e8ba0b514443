"""Chart axes: every tick label reads back as its tick's position (issue 24, item 1).

A board reads numbers off the axes; "-3 pts" at -2.5 pts or "88%" at 87.5% is a wrong number
on the page. These draw the real figures, then read the tick positions and the labels drawn.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from matplotlib.figure import Figure

from ccosim.formatting import axis_formatter, unit_axis
from ccosim.report.figures import difference_chart, fan_chart, tornado

_LABEL = re.compile(r"([+-]?)\$?(\d+(?:\.\d+)?)(B|M|k)?(%| pts)?")
_SCALE = {"B": 1e9, "M": 1e6, "k": 1e3, None: 1.0}


def parse(label: str) -> tuple[float, int]:
    """A tick label's number in the axis' own units (shares as fractions), and its decimals."""
    text = label.replace("\u2212", "-").replace(",", "").strip()
    match = _LABEL.fullmatch(text)
    assert match, f"unreadable tick label {label!r}"
    sign, number, suffix, unit = match.groups()
    value = float(number) * _SCALE[suffix] * (-1 if sign == "-" else 1)
    if unit in ("%", " pts"):
        value /= 100
    places = len(number.partition(".")[2])
    return value, places


def drawn_ticks(axis) -> list[tuple[float, str]]:
    """The ticks inside the view and their labels, after a draw."""
    axis.axes.figure.draw_without_rendering()
    lo, hi = sorted(axis.get_view_interval())
    ticks = [(t.get_loc(), t.label1.get_text()) for t in axis.get_major_ticks()]
    return [(loc, text) for loc, text in ticks if lo - 1e-12 <= loc <= hi + 1e-12 and text]


def assert_labels_are_positions(axis) -> list[str]:
    ticks = drawn_ticks(axis)
    assert len(ticks) >= 2, ticks
    for loc, text in ticks:
        value, _ = parse(text)
        assert value == pytest.approx(loc, rel=1e-9, abs=1e-12), (text, loc)
    return [text for _, text in ticks]


def test_the_issue_ranges_on_the_difference_chart():
    """NRR -5..+2.5 pts, GRR with -1.5 pts and org cost -7.5..-2.5 $M: labels equal ticks."""
    panels = [
        ("NRR", "pts", {"A": (-0.05, -0.055, -0.045), "B": (0.025, 0.02, 0.03)}),
        ("GRR", "pts", {"A": (-0.015, -0.02, -0.01), "B": (0.01, 0.005, 0.015)}),
        ("org cost", "$", {"A": (-7.5e6, -7.6e6, -7.4e6), "B": (-2.5e6, -2.6e6, -2.4e6)}),
    ]
    figure = difference_chart(panels, title="Difference from baseline")
    nrr, grr, cost = (assert_labels_are_positions(ax.xaxis) for ax in figure.axes)
    assert min(len(nrr), len(grr), len(cost)) >= 3  # enough ticks to read a value off
    assert all(label.endswith("M") or label == "$0" for label in cost), cost
    assert any(label.startswith("+") for label in nrr)  # differences are signed


def test_a_percent_tick_at_87_5_reads_87_5():
    formatter = axis_formatter("%")
    labels = formatter.format_ticks([0.85, 0.875, 0.9])
    assert labels == ["85%", "87.5%", "90%"]
    assert axis_formatter("%")(0.875) == "87.5%"  # alone, without the other ticks


@pytest.mark.parametrize(
    ("unit", "lo", "hi"),
    [
        ("pts", -0.05, 0.025),
        ("pts", -0.015, 0.004),
        ("%", 0.8, 0.93),
        ("%", 0.871, 0.874),
        ("$", -7.5e6, -2.5e6),
        ("$", 31.65e6, 31.9e6),
        ("$", 0, 140.73e6),
        ("$", 2e3, 9e3),
        ("count", 190, 205),
        ("ratio", 6.83, 7.79),
    ],
)
def test_nice_ticks_label_their_own_position(unit, lo, hi):
    figure = Figure(figsize=(6, 3))
    axes = figure.add_subplot()
    axes.plot([0, 1], [lo, hi])
    unit_axis(axes.yaxis, unit, signed=unit == "pts")
    labels = assert_labels_are_positions(axes.yaxis)
    assert len(set(labels)) == len(labels)
    # Nice ticks need few decimals: no label carries more than two.
    assert max(parse(label)[1] for label in labels) <= 2, labels


def test_money_chart_in_millions_labels_match():
    months = np.arange(25)
    mean = np.linspace(36e6, 52.7e6, 25)
    figure = fan_chart(months, {"A": (mean, mean * 0.97, mean * 1.03)}, title="ARR", ylabel="ARR")
    labels = assert_labels_are_positions(figure.axes[0].yaxis)
    assert all(label.endswith("M") for label in labels), labels


def test_tornado_axis_labels_match_and_the_design_is_in_the_title():
    figure = tornado(
        {"a.b": (0.94, 0.975), "c.d": (0.955, 0.96)},
        0.957,
        kpi_label="NRR in year 3",
        unit="%",
        design="CCO org",
    )
    assert_labels_are_positions(figure.axes[0].xaxis)
    assert figure.axes[0].get_title(loc="left").startswith("CCO org: sensitivity of NRR")


def test_tornado_whiskers_are_paired_so_shared_luck_cancels():
    """Replication luck shared by every grid point (common random numbers) is no whisker.

    Each replication's NRR moves by +-2 pts for all points alike; the factor adds 0.4 pts at
    its high level. Unpaired whiskers would be about +-2 pts and make the factor look like
    noise; paired ones are tight around the bar's end and the swing's interval excludes 0.
    """
    from types import SimpleNamespace

    from ccosim.experiment.sweep import Factor, SweepResult

    rng = np.random.default_rng(1)
    luck = rng.normal(0, 0.02, size=8)  # one shift per replication, shared by every point
    factors = (Factor("a.lift", (0, 1)), Factor("b.other", (0, 1)))
    points = [{"a.lift": a, "b.other": b} for a in (0, 1) for b in (0, 1)]
    results = []
    for point in points:
        own = rng.normal(0, 0.0005, size=8)
        nrr = 0.95 + 0.004 * point["a.lift"] + luck + own
        results.append(SimpleNamespace(yearly={"nrr": np.column_stack([nrr, nrr])}))
    result = SweepResult("CCO org", factors, points, results, seed=1, runs=8)
    (low_lo, low_hi), (high_lo, high_hi) = result.level_intervals("nrr", 2)["a.lift"]
    assert high_hi - high_lo < 0.002 and low_hi - low_lo < 0.002  # not +-2 pts
    base = float(np.mean(result.kpi("nrr", 2)))
    assert low_hi < base < high_lo  # the ends are clearly apart from the base
    _, lo, hi = result.swing_intervals("nrr", 2)["a.lift"]
    assert lo <= 0.004 <= hi and lo > 0
    _, other_lo, other_hi = result.swing_intervals("nrr", 2)["b.other"]
    assert other_lo <= 0 <= other_hi  # the factor with no effect is no effect
    figure = tornado(
        result.swings("nrr", 2),
        base,
        kpi_label="NRR in year 2",
        unit="%",
        intervals=result.level_intervals("nrr", 2),
    )
    widths = [
        np.ptp(segment[:, 0])
        for collection in figure.axes[0].collections
        for segment in collection.get_segments()
    ]
    assert widths and max(widths) < 0.002  # the drawn whiskers are the paired ones
