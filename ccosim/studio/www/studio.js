// ccosim studio: org charts drawn from the server's data; drag a box onto another to move it.
// Own code, no library, nothing fetched: boxes are HTML elements (HTML5 drag and drop), only
// unfolded branches are in the page, so a 5,000-person org opens and unfolds quickly.
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
    const tree = chart.element.querySelector('.studio-tree');
    tree.textContent = '';
    const root = chart.byId[chart.view.root];
    if (!root) return;
    const top = el('div', 'studio-top');
    top.appendChild(box(chart, root));
    tree.appendChild(top);
    if (!chart.open.has(root.id)) return;
    const row = el('ul', 'studio-columns');
    if (root.open > 0 && !root.vacant) row.appendChild(placeholder(root));
    root.children.forEach(k => {
      const col = branch(chart, k);
      col.classList.add('studio-column');
      row.appendChild(col);
    });
    tree.appendChild(row);
  }

  function redrawBranch(chart, id) {
    const old = chart.element.querySelector(`li.studio-node[data-id="${CSS.escape(id)}"]`);
    if (!old || id === chart.view.root) { draw(chart); return; }
    const fresh = branch(chart, id);
    fresh.className = old.className;
    old.replaceWith(fresh);
  }

  function toggle(chart, id) {
    if (chart.open.has(id)) chart.open.delete(id); else chart.open.add(id);
    redrawBranch(chart, id);
  }

  function search(chart, text) {
    const q = text.trim().toLowerCase();
    chart.matches = new Set();
    if (q) {
      for (const u of chart.view.units) {
        if (u.title.toLowerCase().includes(q) || u.name.toLowerCase().includes(q)) {
          chart.matches.add(u.id);
          for (let p = u.parent; p; p = chart.byId[p] ? chart.byId[p].parent : null) chart.open.add(p);
        }
      }
    }
    draw(chart);
    const first = chart.element.querySelector('.studio-box.match');
    if (first) first.scrollIntoView({block: 'nearest', inline: 'nearest'});
    return chart.matches.size;
  }

  function show(index, view) {
    const element = document.querySelector(`.studio-chart[data-index="${index}"]`);
    if (!element) return;
    let chart = charts[index];
    const fresh = !chart;
    if (fresh) {
      chart = {index, element, open: new Set(), matches: new Set(), selected: null, dragging: null};
      charts[index] = chart;
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
    chart.byId = Object.fromEntries(view.units.map(u => [u.id, u]));
    chart.changed = new Set(view.changed);
    if (fresh) {
      // Small orgs open whole; large ones with the top two layers only.
      view.units.forEach(u => {
        if (u.children.length && (!view.folded || u.id === view.root)) chart.open.add(u.id);
      });
    }
    draw(chart);
  }

  window.ccosimStudioApi = {
    toggle: (i, id) => toggle(charts[i], id),
    search: (i, q) => search(charts[i], q),
  };

  const ready = () => Shiny.addCustomMessageHandler('studio-org', msg => show(msg.index, msg.view));
  if (window.Shiny && Shiny.addCustomMessageHandler) ready();
  else document.addEventListener('DOMContentLoaded', ready);
})();
