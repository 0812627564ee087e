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

  function render() {
    list.textContent = '';
    const frag = document.createDocumentFragment();
    for (const r of rows) {
      if (elision && r.i === elision.at) {
        const gap = el('div', 'row elision', elision.text);
        gap.title = elision.title;
        gap.setAttribute('role', 'separator');
        frag.append(gap);
      }
      const row = el('div', `row kind-${r.kind}`);
      row.setAttribute('role', 'option');
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
    const moves = {
      ArrowLeft: p - 1,
      ArrowUp: p - 1,
      ArrowRight: p + 1,
      ArrowDown: p + 1,
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
