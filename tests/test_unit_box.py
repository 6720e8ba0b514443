"""A unit's box reads the same in the static charts (PNG/SVG/PDF) and the HTML report's chart."""

from __future__ import annotations

import re
from html import unescape

from ccosim.charting.org_chart import chart_figure
from ccosim.org import OrgGraph
from ccosim.report.org_html import org_chart_html
from ccosim.scenario import load_text

ORG = """\
name: Half heads
customers:
  segments:
    smb: {initial_accounts: 1, acv: 1, new_accounts_per_year: 0, base_churn: 0.1}
org:
  units:
    - {id: ceo, title: Chief Executive Officer, function: executive, name: Ada King}
    - {id: cs, title: Customer Success Managers, function: customer_success, reports_to: ceo,
       headcount: 2.5, open_headcount: 0.5}
"""


def _html_lines(html: str, unit_id: str) -> list[str]:
    group = re.search(rf'<g class="unit" data-id="{unit_id}".*?</g>', html, flags=re.S)
    assert group, f"no box for {unit_id}"
    return [unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", group.group(0))]


def test_a_unit_with_half_heads_reads_the_same_in_the_static_and_the_html_chart():
    graph = OrgGraph.from_scenario(load_text(ORG))
    static = {t.get_text() for t in chart_figure(graph).axes[0].texts}
    html = str(org_chart_html(graph, "chart"))
    for unit_id in ("ceo", "cs"):
        lines = _html_lines(html, unit_id)
        assert "\n".join(lines) in static, f"{unit_id}: {lines} is not a static box's text"
    assert _html_lines(html, "cs")[-1] == "team of 2.5, 0.5 to hire"
