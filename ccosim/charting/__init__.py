"""Org charts: the tidy layout, static charts (PNG/SVG/PDF), paper pages, interactive chart data.

Modules, low to high: :mod:`~ccosim.charting.tidy_layout` (where the boxes go),
:mod:`~ccosim.charting.unit_box` (the one text of a unit's box),
:mod:`~ccosim.charting.interactive` (the data of the HTML report's pan-and-zoom chart),
:mod:`~ccosim.charting.draw` (boxes, lines and legend on matplotlib axes),
:mod:`~ccosim.charting.paper` (paper pages) and :mod:`~ccosim.charting.org_chart` (figures and
files). Charting sits beside :mod:`ccosim.org`: it reads the org, and org never imports it.
Nothing is imported here, so that the layout and the interactive chart do not load matplotlib.
"""
