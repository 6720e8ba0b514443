// ccosim studio: org charts drawn from the server's data; drag a box onto another to move it.
// Own code, no library, nothing fetched: boxes are HTML elements (HTML5 drag and drop), only
// unfolded branches are in the page, so a 5,000-person org opens and unfolds quickly.
// Pan by dragging the background (or scrolling), zoom with the buttons or Ctrl + wheel; dotted
// lines are drawn as dashed curves between boxes that are both unfolded.
(() => {
  'use strict';
  const charts = {};            // index -> {view, byId, open: Set, root element, query}
  window.ccosimStudio = charts;
  let moveCount = 0;

  const money = v => {
    const a = Math.abs(v);
    if (a >= 1e9) return '$' + (v / 1e9).toFixed(2) + 'B';
    if (a >= 1e6) return '$' + (v / 1e6).toFixed(2) + 'M';
    if (a >= 1e3) return '$' + Math.round(v / 1e3) + 'k';
    return '$' + Math.round(v);
  };
  const count = v => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function isBelow(chart, id, ancestor) {
    for (let p = id; p; p = chart.byId[p] ? chart.byId[p].parent : null) {
      if (p === ancestor) return true;
    }
    return false;
  }

  function box(chart, unit) {
    const b = el('div', 'studio-box');
    b.dataset.id = unit.id;
    b.setAttribute('role', 'treeitem');
    b.style.borderLeftColor = unit.color;
    if (unit.vacant) b.classList.add('vacant');
    if (chart.changed.has(unit.id)) b.classList.add('changed');
    if (chart.selected === unit.id) b.classList.add('selected');
    if (chart.matches.has(unit.id)) b.classList.add('match');
    const head = el('div', 'studio-box-head');
    if (unit.children.length) {
      const open = chart.open.has(unit.id);
      const t = el('button', 'studio-toggle', open ? '\u25BE' : '\u25B8');
      t.type = 'button';
      t.title = open ? 'Fold' : 'Unfold';
      t.setAttribute('aria-expanded', String(open));
      t.addEventListener('click', ev => { ev.stopPropagation(); toggle(chart, unit.id); });
      head.appendChild(t);
    }
    head.appendChild(el('span', 'studio-title', (unit.vacant ? 'Vacant: ' : '') + unit.title));
    b.appendChild(head);
    if (unit.name) b.appendChild(el('div', 'studio-name', unit.name));
    const inPost = unit.heads - unit.open;
    let facts = `${count(inPost)} in post`;
    if (unit.open > 0) facts += ` \u00B7 ${count(unit.open)} open`;
    if (unit.span !== null) facts += ` \u00B7 span ${unit.span.toFixed(1)}`;
    b.appendChild(el('div', 'studio-facts', facts));
    const roll = unit.children.length
      ? `${money(unit.rollup_cost)} a year, ${count(unit.rollup_heads)} people in all`
      : `${money(unit.rollup_cost)} a year`;
    b.appendChild(el('div', 'studio-cost', roll));
    if (unit.dotted.length) {
      const names = unit.dotted.map(d => (chart.byId[d] ? chart.byId[d].title : d));
      b.appendChild(el('div', 'studio-dotted', '\u2504 dotted line to ' + names.join(', ')));
    }
    if (unit.id !== chart.view.root) {
      b.draggable = true;
      b.addEventListener('dragstart', ev => {
        ev.dataTransfer.setData('text/plain', unit.id);
        ev.dataTransfer.effectAllowed = 'move';
        chart.dragging = unit.id;
        b.classList.add('dragging');
      });
      b.addEventListener('dragend', () => { chart.dragging = null; b.classList.remove('dragging'); });
    }
    b.addEventListener('dragover', ev => {
      const from = chart.dragging;
      if (!from || from === unit.id || isBelow(chart, unit.id, from)) return;
      if (chart.byId[from].parent === unit.id) return;
      ev.preventDefault();
      ev.dataTransfer.dropEffect = 'move';
      b.classList.add('drop');
    });
    b.addEventListener('dragleave', () => b.classList.remove('drop'));
    b.addEventListener('drop', ev => {
      ev.preventDefault();
      b.classList.remove('drop');
      const from = chart.dragging || ev.dataTransfer.getData('text/plain');
      chart.dragging = null;
      if (!from || from === unit.id || isBelow(chart, unit.id, from)) return;
      moveCount += 1;
      Shiny.setInputValue('studio_move', {index: chart.index, unit: from, to: unit.id, n: moveCount},
                          {priority: 'event'});
    });
    b.addEventListener('click', () => {
      chart.selected = unit.id;
      chart.element.querySelectorAll('.studio-box.selected').forEach(x => x.classList.remove('selected'));
      b.classList.add('selected');
      Shiny.setInputValue('studio_select', {index: chart.index, unit: unit.id}, {priority: 'event'});
    });
    return b;
  }

  function placeholder(unit) {
    const p = el('div', 'studio-box placeholder',
                 `${count(unit.open)} open position${unit.open === 1 ? '' : 's'} to hire`);
    p.dataset.placeholderOf = unit.id;
    return p;
  }

  // A branch: the unit's box, then (when unfolded) its reports as a nested list.
  function branch(chart, id) {
    const unit = chart.byId[id];
    const li = el('li', 'studio-node');
    li.dataset.id = id;
    li.appendChild(box(chart, unit));
    if (unit.children.length && chart.open.has(id)) li.appendChild(list(chart, unit));
    return li;
  }

  function list(chart, unit) {
    const ul = el('ul', 'studio-list');
    ul.setAttribute('role', 'group');
    if (unit.open > 0 && !unit.vacant) {
      const li = el('li', 'studio-node');
      li.appendChild(placeholder(unit));
      ul.appendChild(li);
    }
    unit.children.forEach(k => ul.appendChild(branch(chart, k)));
    return ul;
  }

  // The top: the root's box, its direct reports side by side, each with its branch below.
  function draw(chart) {
    const tree = chart.canvas;
    tree.textContent = '';
    const root = chart.byId[chart.view.root];
    if (!root) return;
    const top = el('div', 'studio-top');
    top.appendChild(box(chart, root));
    tree.appendChild(top);
    if (!chart.open.has(root.id)) { settle(chart); return; }
    const row = el('ul', 'studio-columns');
    if (root.open > 0 && !root.vacant) row.appendChild(placeholder(root));
    root.children.forEach(k => {
      const col = branch(chart, k);
      col.classList.add('studio-column');
      row.appendChild(col);
    });
    tree.appendChild(row);
    settle(chart);
  }

  // After a (re)draw: the dotted lines and the zoomed size of the canvas.
  function settle(chart) {
    dotted(chart);
    zoomTo(chart, chart.zoom);
  }

  // Position of a box inside the canvas (layout pixels, before the zoom transform).
  function offset(chart, e) {
    let x = 0, y = 0;
    for (let n = e; n && n !== chart.canvas; n = n.offsetParent) { x += n.offsetLeft; y += n.offsetTop; }
    return {x, y, w: e.offsetWidth, h: e.offsetHeight};
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function dotted(chart) {
    const old = chart.canvas.querySelector('svg.studio-lines');
    if (old) old.remove();
    const boxes = {};
    chart.canvas.querySelectorAll('.studio-box[data-id]').forEach(b => { boxes[b.dataset.id] = b; });
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'studio-lines');
    svg.setAttribute('width', chart.canvas.scrollWidth);
    svg.setAttribute('height', chart.canvas.scrollHeight);
    let n = 0;
    for (const id of Object.keys(boxes)) {
      const unit = chart.byId[id];
      if (!unit || !unit.dotted.length) continue;
      for (const to of unit.dotted) {
        if (!boxes[to]) continue;
        // From the top of the box to the top of its dotted-line manager, arching above both
        // (the gap above a row of boxes), so the curve crosses no box's text.
        const a = offset(chart, boxes[id]), b = offset(chart, boxes[to]);
        const x1 = a.x + a.w / 2, y1 = a.y, x2 = b.x + b.w / 2, y2 = b.y;
        const lift = Math.min(y1, y2) - 14 - Math.min(30, Math.abs(x2 - x1) / 20);
        const path = document.createElementNS(SVG, 'path');
        path.setAttribute('d', `M${x1},${y1} C${x1},${lift} ${x2},${lift} ${x2},${y2}`);
        path.setAttribute('class', 'studio-dotted-line');
        path.dataset.from = id;
        path.dataset.to = to;
        const title = document.createElementNS(SVG, 'title');
        title.textContent = `${unit.title} (dotted line) to ${chart.byId[to] ? chart.byId[to].title : to}`;
        path.appendChild(title);
        svg.appendChild(path);
        const dot = document.createElementNS(SVG, 'circle');
        dot.setAttribute('cx', x2);
        dot.setAttribute('cy', y2);
        dot.setAttribute('r', 3);
        dot.setAttribute('class', 'studio-dotted-end');
        svg.appendChild(dot);
        n += 1;
      }
    }
    if (n) chart.canvas.appendChild(svg);
  }

  // Zoom: the canvas is scaled; the sizer around it takes the scaled size so that the
  // viewport scrolls (pans) over the whole chart.
  function zoomTo(chart, z, cx, cy) {
    z = Math.min(2, Math.max(0.25, z));
    const port = chart.element.querySelector('.studio-tree');
    const before = chart.zoom;
    // Keep the point under (cx, cy) (viewport pixels) where it is.
    const ax = cx === undefined ? 0 : (port.scrollLeft + cx) / before;
    const ay = cy === undefined ? 0 : (port.scrollTop + cy) / before;
    chart.zoom = z;
    chart.canvas.style.transform = z === 1 ? '' : `scale(${z})`;
    chart.sizer.style.width = `${chart.canvas.offsetWidth * z}px`;
    chart.sizer.style.height = `${chart.canvas.offsetHeight * z}px`;
    if (cx !== undefined) {
      port.scrollLeft = ax * z - cx;
      port.scrollTop = ay * z - cy;
    }
    const label = chart.element.querySelector('.studio-zoom-level');
    if (label) label.textContent = `${Math.round(z * 100)}%`;
  }

  function panning(chart, port) {
    let start = null;
    port.addEventListener('pointerdown', ev => {
      if (ev.button !== 0 || ev.target.closest('.studio-box, button, input')) return;
      start = {x: ev.clientX, y: ev.clientY, left: port.scrollLeft, top: port.scrollTop};
      port.classList.add('panning');
      port.setPointerCapture(ev.pointerId);
    });
    port.addEventListener('pointermove', ev => {
      if (!start) return;
      port.scrollLeft = start.left - (ev.clientX - start.x);
      port.scrollTop = start.top - (ev.clientY - start.y);
    });
    const stop = () => { start = null; port.classList.remove('panning'); };
    port.addEventListener('pointerup', stop);
    port.addEventListener('pointercancel', stop);
    port.addEventListener('wheel', ev => {
      if (!ev.ctrlKey) return;
      ev.preventDefault();
      const r = port.getBoundingClientRect();
      zoomTo(chart, chart.zoom * (ev.deltaY < 0 ? 1.1 : 1 / 1.1), ev.clientX - r.left, ev.clientY - r.top);
    }, {passive: false});
  }

  function redrawBranch(chart, id) {
    const old = chart.element.querySelector(`li.studio-node[data-id="${CSS.escape(id)}"]`);
    if (!old || id === chart.view.root) { draw(chart); return; }
    const fresh = branch(chart, id);
    fresh.className = old.className;
    old.replaceWith(fresh);
    settle(chart);
  }

  function toggle(chart, id) {
    if (chart.open.has(id)) chart.open.delete(id); else chart.open.add(id);
    redrawBranch(chart, id);
  }

  // Highlight the boxes whose title or name holds the text, unfolding the branches that hide
  // them; when every match is already in the page only the highlights change (no redraw).
  function search(chart, text) {
    const q = text.trim().toLowerCase();
    chart.matches = new Set();
    let opened = false;
    if (q) {
      for (const u of chart.view.units) {
        if (u.title.toLowerCase().includes(q) || u.name.toLowerCase().includes(q)) {
          chart.matches.add(u.id);
          for (let p = u.parent; p; p = chart.byId[p] ? chart.byId[p].parent : null) {
            if (!chart.open.has(p)) { chart.open.add(p); opened = true; }
          }
        }
      }
    }
    if (opened) draw(chart);
    else {
      chart.canvas.querySelectorAll('.studio-box[data-id]').forEach(b => {
        b.classList.toggle('match', chart.matches.has(b.dataset.id));
      });
    }
    const first = chart.element.querySelector('.studio-box.match');
    if (first) first.scrollIntoView({block: 'nearest', inline: 'nearest'});
    return chart.matches.size;
  }

  const button = (cls, text, title) => {
    const b = el('button', 'btn btn-sm ' + cls, text);
    b.type = 'button';
    if (title) b.title = title;
    return b;
  };

  // A design's section: its title bar (search, zoom, fold) and the panning viewport.
  function section(index, label) {
    const host = document.querySelector('.studio-charts');
    const s = el('section', 'studio-chart');
    s.dataset.index = String(index);
    const bar = el('div', 'studio-chart-bar');
    bar.appendChild(el('h3', 'studio-design-title', label));
    const search = el('input', 'studio-search');
    search.type = 'search';
    search.placeholder = 'Find a title or name';
    bar.appendChild(search);
    bar.appendChild(button('studio-zoom-out', '\u2212', 'Zoom out (or Ctrl + wheel)'));
    bar.appendChild(button('studio-zoom-level', '100%', 'Back to 100%'));
    bar.appendChild(button('studio-zoom-in', '+', 'Zoom in (or Ctrl + wheel)'));
    bar.appendChild(button('studio-expand', 'Expand all'));
    bar.appendChild(button('studio-fold', 'Fold all'));
    s.appendChild(bar);
    const port = el('div', 'studio-tree');
    port.setAttribute('role', 'tree');
    port.setAttribute('aria-label', `Org chart of ${label}`);
    const sizer = el('div', 'studio-sizer');
    sizer.appendChild(el('div', 'studio-canvas'));
    port.appendChild(sizer);
    s.appendChild(port);
    const next = [...host.querySelectorAll('.studio-chart')].find(c => Number(c.dataset.index) > index);
    host.insertBefore(s, next || null);
    return s;
  }

  function show(index, view, select) {
    let element = document.querySelector(`.studio-chart[data-index="${index}"]`);
    if (!element) element = section(index, view.label);
    if (!element.querySelector('.studio-canvas')) return;
    let chart = charts[index];
    const fresh = !chart;
    if (fresh) {
      chart = {index, element, open: new Set(), matches: new Set(), selected: null, dragging: null,
               zoom: 1, canvas: element.querySelector('.studio-canvas'),
               sizer: element.querySelector('.studio-sizer')};
      charts[index] = chart;
      panning(chart, element.querySelector('.studio-tree'));
      element.querySelector('.studio-zoom-in').addEventListener('click', () => zoomTo(chart, chart.zoom * 1.25));
      element.querySelector('.studio-zoom-out').addEventListener('click', () => zoomTo(chart, chart.zoom / 1.25));
      element.querySelector('.studio-zoom-level').addEventListener('click', () => zoomTo(chart, 1));
      element.querySelector('.studio-search').addEventListener('input', ev => search(chart, ev.target.value));
      element.querySelector('.studio-expand').addEventListener('click', () => {
        chart.view.units.forEach(u => { if (u.children.length) chart.open.add(u.id); });
        draw(chart);
      });
      element.querySelector('.studio-fold').addEventListener('click', () => {
        chart.open = new Set([chart.view.root]);
        draw(chart);
      });
    }
    chart.view = view;
    chart.canvas.classList.toggle('big', Boolean(view.folded));
    chart.byId = Object.fromEntries(view.units.map(u => [u.id, u]));
    chart.changed = new Set(view.changed);
    if (fresh) {
      // Small orgs open whole; large ones with the top two layers only.
      view.units.forEach(u => {
        if (u.children.length && (!view.folded || u.id === view.root)) chart.open.add(u.id);
      });
    }
    if (select !== undefined) {
      chart.selected = select;
      for (let p = select && chart.byId[select] ? chart.byId[select].parent : null; p;
           p = chart.byId[p] ? chart.byId[p].parent : null) chart.open.add(p);
    }
    draw(chart);
  }

  window.ccosimStudioApi = {
    toggle: (i, id) => toggle(charts[i], id),
    search: (i, q) => search(charts[i], q),
    zoom: (i, z) => zoomTo(charts[i], z),
  };

  const ready = () => Shiny.addCustomMessageHandler('studio-org', msg => show(msg.index, msg.view, msg.select));
  if (window.Shiny && Shiny.addCustomMessageHandler) ready();
  else document.addEventListener('DOMContentLoaded', ready);
})();
