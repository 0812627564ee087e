// Tracefix timeline webview. Renders what the extension posts; every selection goes back to the
// extension, which highlights the editor line and answers with the step's full locals. The header
// switches between the recordings the extension keeps and says when the code changed since.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is injected by VS Code.
  const vscode = acquireVsCodeApi();
  const list = /** @type {HTMLElement} */ (document.getElementById('steps'));
  const detail = /** @type {HTMLElement} */ (document.getElementById('detail'));
  const recording = /** @type {HTMLSelectElement} */ (document.getElementById('recording'));
  const recordedWith = /** @type {HTMLElement} */ (document.getElementById('recorded-with'));
  const note = /** @type {HTMLElement} */ (document.getElementById('note'));
  const stale = /** @type {HTMLElement} */ (document.getElementById('stale'));
  const staleText = /** @type {HTMLElement} */ (document.getElementById('stale-text'));
  const replay = /** @type {HTMLButtonElement} */ (document.getElementById('replay'));
  const rerun = /** @type {HTMLButtonElement} */ (document.getElementById('rerun'));
  /** @type {{i:number,k:number|null,kind:string,file:string,line:number,fn:string,call:number,depth:number,text:string}[]} */
  let rows = [];
  /** @type {{at:number,text:string,title:string}|null} */
  let elision = null;
  /** @type {number|undefined} */
  let selected;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  // Only the rows in view (and a margin) are in the DOM, each placed at its offset inside a spacer as
  // tall as the whole list: a recording keeps up to tracefix.maxSteps events (20,000 by default), and
  // building a row for each took seconds and blocked the view.
  const OVERSCAN = 30;
  const spacer = el('div', 'spacer');
  /** Item index of the elision row (-1: none); items are the rows with that row inserted. */
  let gapAt = -1;
  let rowH = 20; // px, measured from a rendered row (fractional, so offsets never drift)
  let gapH = 24;
  let shown = { first: -1, last: -1 };
  /** An item to scroll to once the list has a size (the view may be hidden when a trace arrives). */
  let pendingScroll = -1;
  let frameRequest = 0;

  const itemCount = () => rows.length + (gapAt >= 0 ? 1 : 0);
  const itemOf = (p) => p + (gapAt >= 0 && p >= gapAt ? 1 : 0);
  const offsetOf = (j) => j * rowH + (gapAt >= 0 && j > gapAt ? gapH - rowH : 0);

  function itemAt(y) {
    if (gapAt < 0 || y < gapAt * rowH) return Math.floor(y / rowH);
    if (y < gapAt * rowH + gapH) return gapAt;
    return gapAt + 1 + Math.floor((y - gapAt * rowH - gapH) / rowH);
  }

  function rowEl(p) {
    const r = rows[p];
    const row = el('div', `row kind-${r.kind}`);
    row.setAttribute('role', 'option');
    row.setAttribute('aria-setsize', String(rows.length));
    row.setAttribute('aria-posinset', String(p + 1));
    row.dataset.index = String(r.i);
    row.title = `${r.file}:${r.line} ${r.fn} — ${r.text}`;
    row.id = `row-${r.i}`;
    row.append(
      el('span', 'k', r.k === null ? '·' : r.k),
      el('span', 'where', `${r.file}:${r.line}`),
      el(
        'span',
        'fn',
        `${'  '.repeat(Math.min(r.depth, 12))}${r.fn}${r.call > 1 ? ` #${r.call}` : ''}`,
      ),
      el('span', 'text', r.text),
    );
    return row;
  }

  function gapEl() {
    const gap = el('div', 'row elision', elision ? elision.text : '');
    gap.title = elision ? `${elision.text}\n${elision.title}` : '';
    gap.setAttribute('role', 'separator');
    return gap;
  }

  /** Builds the rows from `first` to `last` item in view; `force` rebuilds them even if unchanged. */
  function renderWindow(force) {
    const n = itemCount();
    if (n === 0) return;
    const h = list.clientHeight || 400;
    const first = Math.max(0, itemAt(list.scrollTop) - OVERSCAN);
    const last = Math.min(n - 1, itemAt(list.scrollTop + h) + OVERSCAN);
    if (!force && first === shown.first && last === shown.last) return;
    shown = { first, last };
    const frag = document.createDocumentFragment();
    for (let j = first; j <= last; j++) {
      const item = j === gapAt ? gapEl() : rowEl(j - (gapAt >= 0 && j > gapAt ? 1 : 0));
      item.style.top = `${offsetOf(j)}px`;
      frag.append(item);
    }
    spacer.replaceChildren(frag);
    markSelected();
    // Heights follow the editor font: measure them from what was just built.
    const sample = spacer.querySelector('.row:not(.elision)');
    const gap = spacer.querySelector('.row.elision');
    const rh = sample ? sample.getBoundingClientRect().height : 0;
    const gh = gap ? gap.getBoundingClientRect().height : 0;
    if ((rh > 0 && Math.abs(rh - rowH) > 0.01) || (gh > 0 && Math.abs(gh - gapH) > 0.01)) {
      if (rh > 0) rowH = rh;
      if (gh > 0) gapH = gh;
      spacer.style.height = `${offsetOf(n)}px`;
      if (pendingScroll < 0 && position() >= 0) pendingScroll = itemOf(position());
      scrollToPending();
      renderWindow(true);
    }
  }

  function scheduleWindow() {
    if (frameRequest) return;
    frameRequest = requestAnimationFrame(() => {
      frameRequest = 0;
      scrollToPending();
      renderWindow(false);
    });
  }

  /** Scrolls the pending item into view, as scrollIntoView({ block: 'nearest' }) would. */
  function scrollToPending() {
    const h = list.clientHeight;
    if (pendingScroll < 0 || h === 0) return;
    const top = offsetOf(pendingScroll);
    const bottom = top + (pendingScroll === gapAt ? gapH : rowH);
    if (top < list.scrollTop) list.scrollTop = top;
    else if (bottom > list.scrollTop + h) list.scrollTop = Math.max(0, bottom - h);
    pendingScroll = -1;
  }

  function render() {
    list.textContent = '';
    shown = { first: -1, last: -1 };
    pendingScroll = -1;
    if (rows.length === 0) return;
    gapAt = elision ? rows.findIndex((r) => r.i === elision.at) : -1;
    spacer.style.height = `${offsetOf(itemCount())}px`;
    list.append(spacer);
    list.scrollTop = 0;
    highlight();
  }

  function markSelected() {
    for (const old of spacer.querySelectorAll('.row.selected')) {
      old.classList.remove('selected');
      old.removeAttribute('aria-selected');
    }
    const row = selected === undefined ? null : document.getElementById(`row-${selected}`);
    if (!row) {
      list.removeAttribute('aria-activedescendant');
      return;
    }
    row.classList.add('selected');
    row.setAttribute('aria-selected', 'true');
    list.setAttribute('aria-activedescendant', row.id);
  }

  /** Shows the selected step: scrolled into view, built and marked. */
  function highlight() {
    const p = position();
    if (p >= 0) pendingScroll = itemOf(p);
    scrollToPending();
    renderWindow(true);
    // After layout: right after a trace arrives the list may not have its size yet.
    if (pendingScroll >= 0) scheduleWindow();
  }

  list.addEventListener('scroll', scheduleWindow, { passive: true });
  new ResizeObserver(scheduleWindow).observe(list);

  function select(index) {
    if (index < 0 || index >= rows.length) return;
    selected = rows[index].i;
    highlight();
    vscode.postMessage({ type: 'select', index: selected });
  }

  function position() {
    return selected === undefined ? -1 : rows.findIndex((r) => r.i === selected);
  }

  function table(title, values, extra) {
    const box = el('div', 'vars');
    box.append(el('h3', '', title));
    const names = Object.keys(values || {});
    if (names.length === 0 && !(extra && extra.length)) {
      box.append(el('p', 'empty', 'none'));
      return box;
    }
    const t = el('table');
    for (const n of names) {
      const tr = el('tr');
      tr.append(el('th', '', n), el('td', '', values[n]));
      t.append(tr);
    }
    for (const d of extra || []) {
      const tr = el('tr', 'delta');
      tr.append(el('th', '', 'inside'), el('td', '', d));
      t.append(tr);
    }
    box.append(t);
    return box;
  }

  function showDetail(d) {
    detail.textContent = '';
    const head = el('h2', '', `${d.k === null ? 'event' : `step ${d.k}`} · ${d.file}:${d.line}`);
    const meta = el(
      'p',
      'meta',
      `${d.kind} in ${d.fn} #${d.call} · depth ${d.depth}${d.caller ? ` · called from ${d.caller}` : ''}`,
    );
    detail.append(head, meta);
    if (d.exception) detail.append(el('p', 'exception', `✗ ${d.exception}`));
    if (d.value !== undefined)
      detail.append(el('p', 'value', `${d.kind === 'yield' ? 'yielded' : 'returned'} ${d.value}`));
    detail.append(table('Changed', d.changed, d.deltas), table('Locals', d.locals));
  }

  function showRecordings(entries, current) {
    recording.textContent = '';
    if (current === undefined && entries.length) {
      const none = el('option', '', 'Nothing on screen: pick a recording');
      none.disabled = true;
      none.selected = true;
      recording.append(none);
    }
    for (const r of entries) {
      const o = el('option', r.kind, r.label);
      o.value = String(r.id);
      o.selected = r.id === current;
      recording.append(o);
    }
    if (entries.length === 0) recording.append(el('option', '', 'No trace recorded yet'));
    recording.disabled =
      entries.length === 0 || (entries.length === 1 && entries[0].id === current);
    recording.title = entries.find((r) => r.id === current)?.label ?? 'No trace recorded yet';
  }

  function showStale(files) {
    stale.hidden = !files || files.length === 0;
    staleText.textContent =
      files && files.length
        ? `⚠ Recorded before ${files.join(', ')} changed: the values are from the code as it was.`
        : '';
    document.body.classList.toggle('is-stale', !stale.hidden);
  }

  list.addEventListener('click', (ev) => {
    const row = /** @type {HTMLElement|null} */ (
      ev.target instanceof HTMLElement ? ev.target.closest('.row[data-index]') : null
    );
    if (!row) return;
    const i = rows.findIndex((r) => String(r.i) === row.dataset.index);
    select(i);
    list.focus();
  });

  replay.addEventListener('click', () => vscode.postMessage({ type: 'replay' }));
  rerun.addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
  recording.addEventListener('change', () =>
    vscode.postMessage({ type: 'recording', id: Number(recording.value) }),
  );

  list.addEventListener('keydown', (ev) => {
    const p = position();
    const page = Math.max(1, Math.floor(list.clientHeight / rowH) - 1);
    const moves = {
      ArrowLeft: p - 1,
      ArrowUp: p - 1,
      ArrowRight: p + 1,
      ArrowDown: p + 1,
      PageUp: Math.max(0, p - page),
      PageDown: Math.min(rows.length - 1, p + page),
      Home: 0,
      End: rows.length - 1,
    };
    if (!(ev.key in moves)) return;
    ev.preventDefault();
    select(p < 0 && ev.key !== 'End' ? 0 : moves[ev.key]);
  });

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.type === 'trace') {
      rows = m.rows;
      elision = m.elision;
      selected = m.selected;
      showRecordings(m.recordings, m.current);
      recordedWith.textContent = m.recordedWith;
      note.hidden = !m.note;
      note.textContent = m.note;
      document.body.classList.toggle('is-patched', Boolean(m.note));
      showStale(m.stale);
      detail.textContent = '';
      replay.disabled = rows.length === 0;
      render();
    } else if (m.type === 'select') {
      selected = m.index;
      highlight();
      showDetail(m.detail);
    } else if (m.type === 'stale') {
      showStale(m.files);
    } else if (m.type === 'clear') {
      rows = [];
      elision = null;
      selected = undefined;
      showRecordings(m.recordings, undefined);
      recordedWith.textContent = '';
      note.hidden = true;
      showStale([]);
      detail.textContent = '';
      replay.disabled = true;
      render();
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
