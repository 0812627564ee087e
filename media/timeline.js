// Tracefix timeline webview. Renders what the extension posts; every selection goes back to the
// extension, which highlights the editor line and answers with the step's full locals.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is injected by VS Code.
  const vscode = acquireVsCodeApi();
  const list = /** @type {HTMLElement} */ (document.getElementById('steps'));
  const detail = /** @type {HTMLElement} */ (document.getElementById('detail'));
  const summary = /** @type {HTMLElement} */ (document.getElementById('summary'));
  const recordedWith = /** @type {HTMLElement} */ (document.getElementById('recorded-with'));
  const replay = /** @type {HTMLButtonElement} */ (document.getElementById('replay'));
  /** @type {{i:number,k:number|null,kind:string,file:string,line:number,fn:string,call:number,depth:number,text:string}[]} */
  let rows = [];
  /** @type {number|undefined} */
  let selected;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  function render() {
    list.textContent = '';
    const frag = document.createDocumentFragment();
    for (const r of rows) {
      const row = el('div', `row kind-${r.kind}`);
      row.setAttribute('role', 'option');
      row.dataset.index = String(r.i);
      row.title = `${r.file}:${r.line} ${r.fn} — ${r.text}`;
      row.id = `row-${r.i}`;
      row.append(
        el('span', 'k', r.k === null ? '·' : r.k),
        el('span', 'where', `${r.file}:${r.line}`),
        el('span', 'fn', `${'  '.repeat(Math.min(r.depth, 12))}${r.fn}${r.call > 1 ? ` #${r.call}` : ''}`),
        el('span', 'text', r.text),
      );
      frag.append(row);
    }
    list.append(frag);
    highlight();
  }

  function highlight() {
    for (const old of list.querySelectorAll('.row.selected')) {
      old.classList.remove('selected');
      old.removeAttribute('aria-selected');
    }
    if (selected === undefined) return;
    const row = document.getElementById(`row-${selected}`);
    if (!row) return;
    row.classList.add('selected');
    row.setAttribute('aria-selected', 'true');
    list.setAttribute('aria-activedescendant', row.id);
    // After layout: right after a render the list may not have its size yet.
    requestAnimationFrame(() => row.scrollIntoView({ block: 'nearest' }));
  }

  function select(index) {
    if (index < 0 || index >= rows.length) return;
    selected = rows[index].i;
    highlight();
    vscode.postMessage({ type: 'select', index: selected });
  }

  function position() {
    return selected === undefined ? -1 : rows.findIndex((r) => r.i === selected);
  }

  function table(title, values) {
    const box = el('div', 'vars');
    box.append(el('h3', '', title));
    const names = Object.keys(values || {});
    if (names.length === 0) {
      box.append(el('p', 'empty', 'none'));
      return box;
    }
    const t = el('table');
    for (const n of names) {
      const tr = el('tr');
      tr.append(el('th', '', n), el('td', '', values[n]));
      t.append(tr);
    }
    box.append(t);
    return box;
  }

  function showDetail(d) {
    detail.textContent = '';
    const head = el('h2', '', `${d.k === null ? 'event' : `step ${d.k}`} · ${d.file}:${d.line}`);
    const meta = el('p', 'meta', `${d.kind} in ${d.fn} #${d.call} · depth ${d.depth}${d.caller ? ` · called from ${d.caller}` : ''}`);
    detail.append(head, meta);
    if (d.exception) detail.append(el('p', 'exception', `✗ ${d.exception}`));
    if (d.value !== undefined) detail.append(el('p', 'value', `${d.kind === 'yield' ? 'yielded' : 'returned'} ${d.value}`));
    detail.append(table('Changed', d.changed), table('Locals', d.locals));
  }

  list.addEventListener('click', (ev) => {
    const row = /** @type {HTMLElement|null} */ (ev.target instanceof HTMLElement ? ev.target.closest('.row') : null);
    if (!row) return;
    const i = rows.findIndex((r) => String(r.i) === row.dataset.index);
    select(i);
    list.focus();
  });

  replay.addEventListener('click', () => vscode.postMessage({ type: 'replay' }));

  list.addEventListener('keydown', (ev) => {
    const p = position();
    const moves = { ArrowLeft: p - 1, ArrowUp: p - 1, ArrowRight: p + 1, ArrowDown: p + 1, Home: 0, End: rows.length - 1 };
    if (!(ev.key in moves)) return;
    ev.preventDefault();
    select(p < 0 && ev.key !== 'End' ? 0 : moves[ev.key]);
  });

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.type === 'trace') {
      rows = m.rows;
      selected = m.selected;
      summary.textContent = m.summary;
      recordedWith.textContent = m.recordedWith;
      detail.textContent = '';
      replay.disabled = rows.length === 0;
      render();
    } else if (m.type === 'select') {
      selected = m.index;
      highlight();
      showDetail(m.detail);
    } else if (m.type === 'clear') {
      rows = [];
      selected = undefined;
      summary.textContent = 'No trace recorded yet.';
      recordedWith.textContent = '';
      detail.textContent = '';
      replay.disabled = true;
      render();
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
