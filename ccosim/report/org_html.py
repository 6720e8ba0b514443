"""Interactive org charts for the HTML report: pan, zoom, collapse and search, offline.

Each chart is an inline SVG of :func:`ccosim.charting.interactive.interactive_chart`'s boxes
and lines (laid out and written like the static charts) inside a small toolbar. One inline
script, written once per page, makes every chart interactive: drag to pan, the mouse wheel or
the + and - buttons to zoom, click a manager to fold or unfold the units below it, type in the
search box to find units by title or incumbent's name (matches are highlighted, folded
ancestors open, and the view moves to the first). Nothing is loaded from the network.
``window.ccosimOrgCharts`` exposes each chart's controls (``search``, ``zoom``, ``toggle``,
``fit``, ``view``) for tests and keyboard users.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ccosim.charting.interactive import interactive_chart
from ccosim.org.graph import OrgGraph

__all__ = ["ORG_CHART_SCRIPT", "ORG_CHART_STYLE", "org_chart_html"]

BOLD = ' font-weight="bold"'

ORG_CHART_STYLE = """
 .orgchart { border: 1px solid #ccc; margin: 1em 0; break-inside: avoid; }
 .orgchart .bar { display: flex; gap: .4em; align-items: center; padding: .3em .5em;
   background: #f6f6f6; border-bottom: 1px solid #ddd; font-size: .85em; }
 .orgchart .bar input { flex: 0 1 16em; padding: .2em .4em; }
 .orgchart .bar button { padding: .1em .6em; }
 .orgchart .bar .found { color: #555; }
 .orgchart svg.org { display: block; width: 100%; height: 520px; cursor: grab;
   touch-action: none; background: #fff; }
 .orgchart g.unit { cursor: pointer; }
 .orgchart g.unit.match rect { stroke: #CC0000; stroke-width: 4; }
 .orgchart g.unit.folded rect { stroke-dasharray: 6 3; stroke-width: 2.5; }
 .orgchart .hidden { display: none; }
 @media print { .orgchart .bar { display: none; } .orgchart svg.org { height: 18cm; } }
"""

ORG_CHART_SCRIPT = """
(() => {
  const charts = {};
  window.ccosimOrgCharts = charts;
  document.querySelectorAll('.orgchart').forEach(root => {
    const svg = root.querySelector('svg.org');
    const full = svg.getAttribute('viewBox').split(' ').map(Number);
    const units = [...svg.querySelectorAll('g.unit')];
    const byId = Object.fromEntries(units.map(u => [u.dataset.id, u]));
    const edges = [...svg.querySelectorAll('path.edge')];
    const folded = new Set();
    let view = svg.dataset.start.split(' ').map(Number);
    const show = () => svg.setAttribute('viewBox', view.join(' '));
    const parentsOf = id => {
      const out = [];
      for (let p = byId[id].dataset.parent; p; p = byId[p] ? byId[p].dataset.parent : '') {
        out.push(p);
      }
      return out;
    };
    const refresh = () => {
      units.forEach(u => {
        const hide = parentsOf(u.dataset.id).some(p => folded.has(p));
        u.classList.toggle('hidden', hide);
        u.classList.toggle('folded', folded.has(u.dataset.id));
      });
      edges.forEach(e => {
        e.classList.toggle('hidden', byId[e.dataset.child].classList.contains('hidden'));
      });
    };
    const zoom = (factor, cx, cy) => {
      const [x, y, w, h] = view;
      const nw = Math.min(Math.max(w / factor, 150), full[2] * 4);
      const nh = nw * h / w;
      cx = cx === undefined ? x + w / 2 : cx;
      cy = cy === undefined ? y + h / 2 : cy;
      view = [cx - (cx - x) * nw / w, cy - (cy - y) * nh / h, nw, nh];
      show();
      return view[2];
    };
    const centre = unit => {
      const r = unit.querySelector('rect');
      const x = +r.getAttribute('x') + +r.getAttribute('width') / 2;
      const y = +r.getAttribute('y') + +r.getAttribute('height') / 2;
      view = [x - view[2] / 2, y - view[3] / 2, view[2], view[3]];
      show();
    };
    const search = text => {
      const q = text.trim().toLowerCase();
      const hits = q ? units.filter(u => u.dataset.search.includes(q)) : [];
      units.forEach(u => u.classList.toggle('match', hits.includes(u)));
      hits.forEach(u => parentsOf(u.dataset.id).forEach(p => folded.delete(p)));
      refresh();
      if (hits.length) { if (view[2] > 1400) { zoom(view[2] / 1100); } centre(hits[0]); }
      root.querySelector('.found').textContent = q ? hits.length + ' found' : '';
      return hits.map(u => u.dataset.id);
    };
    const toggle = id => {
      if (!byId[id] || byId[id].dataset.kids === '0') return false;
      folded.has(id) ? folded.delete(id) : folded.add(id);
      refresh();
      return folded.has(id);
    };
    const fit = () => { view = full.slice(); show(); };
    units.forEach(u => u.addEventListener('click', e => {
      e.stopPropagation();
      toggle(u.dataset.id);
    }));
    root.querySelector('input').addEventListener('input', e => search(e.target.value));
    root.querySelector('.zin').addEventListener('click', () => zoom(1.4));
    root.querySelector('.zout').addEventListener('click', () => zoom(1 / 1.4));
    root.querySelector('.fit').addEventListener('click', fit);
    root.querySelector('.unfold').addEventListener('click', () => { folded.clear(); refresh(); });
    svg.addEventListener('wheel', e => {
      e.preventDefault();
      const box = svg.getBoundingClientRect();
      const cx = view[0] + (e.clientX - box.left) / box.width * view[2];
      const cy = view[1] + (e.clientY - box.top) / box.height * view[3];
      zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, cx, cy);
    }, {passive: false});
    let drag = null;
    svg.addEventListener('pointerdown', e => { drag = [e.clientX, e.clientY, view[0], view[1]]; });
    window.addEventListener('pointerup', () => { drag = null; });
    svg.addEventListener('pointermove', e => {
      if (!drag) return;
      const box = svg.getBoundingClientRect();
      view[0] = drag[2] - (e.clientX - drag[0]) * view[2] / box.width;
      view[1] = drag[3] - (e.clientY - drag[1]) * view[3] / box.height;
      show();
    });
    const pan = (dx, dy) => { view[0] += dx; view[1] += dy; show(); };
    show();
    charts[root.id] = {search, zoom, toggle, fit, pan, view: () => view.slice(),
                       visible: () => units.filter(u => !u.classList.contains('hidden')).length};
  });
})();
"""


def org_chart_html(graph: OrgGraph, chart_id: str, *, title: str = "") -> Markup:
    """One interactive chart (toolbar and SVG); add :data:`ORG_CHART_SCRIPT` once per page.

    Args:
        graph: The org.
        chart_id: A page-unique id (letters, digits, ``-``).
        title: Accessible name of the chart.
    """
    chart = interactive_chart(graph)
    edges = [
        f'<path class="edge" data-child="{escape(line.child)}" d="{line.path}"/>'
        for line in chart.lines
    ]
    nodes = []
    for box in chart.boxes:
        x, y = box.x, box.y
        texts = "".join(
            f'<text x="{x + 8}" y="{y + 20 + 17 * i}" fill="{box.ink}" font-size="13"'
            f"{BOLD if i == 0 else ''}>{escape(line)}</text>"
            for i, line in enumerate(box.lines)
        )
        dash = ' stroke-dasharray="8 4"' if box.to_hire else ""
        nodes.append(
            f'<g class="unit" data-id="{escape(box.unit_id)}" data-parent="{escape(box.parent)}" '
            f'data-kids="{box.reports}" data-search="{escape(box.search)}">'
            f"<title>{escape(box.tooltip)}</title>"
            f'<rect x="{x}" y="{y}" width="{chart.box_width:.0f}" height="{chart.box_height:.0f}" '
            f'rx="8" fill="{box.color}" stroke="#333" stroke-width="1"{dash}/>{texts}</g>'
        )
    start = " ".join(f"{v:.0f}" for v in chart.start)
    return Markup(
        f'<div class="orgchart" id="{escape(chart_id)}">'
        '<div class="bar"><input type="search" placeholder="Find a title or name" '
        f'aria-label="Find a unit in {escape(title)}"><span class="found"></span>'
        '<button class="zin" title="Zoom in">+</button>'
        '<button class="zout" title="Zoom out">-</button>'
        '<button class="fit" title="Show the whole org">whole org</button>'
        '<button class="unfold" title="Unfold every team">unfold all</button></div>'
        f'<svg class="org" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" '
        f'data-start="{start}" preserveAspectRatio="xMidYMin meet">'
        '<g fill="none" stroke="#888" stroke-width="1.5">'
        + "".join(edges)
        + "</g>"
        + "".join(nodes)
        + "</svg></div>"
    )
