// Tracefix Explanation webview. Renders what the extension posts (a whole view, or streamed rationale
// deltas); step references such as "(7)" become links; buttons post actions back. After each render
// it reports what it shows, so the extension (and its tests) know the panel really displays it.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is injected by VS Code.
  const vscode = acquireVsCodeApi();
  const roundsEl = /** @type {HTMLElement} */ (document.getElementById('rounds'));
  const titleEl = /** @type {HTMLElement} */ (document.getElementById('title'));
  const statusEl = /** @type {HTMLElement} */ (document.getElementById('status'));
  const errorEl = /** @type {HTMLElement} */ (document.getElementById('error'));
  /** @type {any} */
  let view;
  /** @type {Map<number, string>} streamed text of rounds not yet in a view */
  const streamed = new Map();

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  const STEP = /\((\d{1,6})\)|\bsteps?\s+\(?(\d{1,6})\)?/gi;

  /** Text with step references as links (only steps the trace has). */
  function linkify(parent, text, maxStep) {
    let last = 0;
    for (const m of text.matchAll(STEP)) {
      const step = Number(m[1] ?? m[2]);
      if (!(step >= 1 && step <= maxStep)) continue;
      parent.append(document.createTextNode(text.slice(last, m.index)));
      const a = el('a', 'step', m[0]);
      a.href = '#';
      a.dataset.step = String(step);
      a.title = `Show step ${step} in the timeline and its line in the editor`;
      parent.append(a);
      last = (m.index ?? 0) + m[0].length;
    }
    parent.append(document.createTextNode(text.slice(last)));
  }

  function diffBlock(diff) {
    const pre = el('pre', 'diff');
    for (const line of diff.replace(/\n$/, '').split('\n')) {
      const cls = line.startsWith('+++') || line.startsWith('---') ? 'meta' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
      pre.append(el('span', `line ${cls}`, `${line}\n`));
    }
    return pre;
  }

  function button(label, type, round, primary) {
    const b = el('button', primary ? 'primary' : 'secondary', label);
    b.dataset.action = type;
    b.dataset.round = String(round);
    return b;
  }

  function render() {
    if (!view) return;
    titleEl.textContent = `Explain & Fix · ${view.title}`;
    statusEl.textContent = view.statusText;
    statusEl.className = `status-${view.status}`;
    errorEl.hidden = !view.error;
    errorEl.textContent = view.error ?? '';
    roundsEl.textContent = '';
    for (const r of view.rounds) {
      const sec = el('section', `round phase-${r.phase}`);
      sec.dataset.round = String(r.index);
      const h = el('h2', undefined, `Round ${r.index}`);
      if (r.phase !== 'done') h.append(el('span', 'phase', ` — ${{ asking: 'asking the model…', verifying: 'verifying the fix…', tracing: 'tracing the patched program…' }[r.phase] ?? r.phase}`));
      sec.append(h);
      const rat = el('div', 'rationale');
      linkify(rat, r.phase === 'done' ? r.rationale : (streamed.get(r.index) ?? r.rationale), view.maxStep);
      sec.append(rat);
      if (r.phase === 'done') {
        if (r.summary && r.hasPatch) sec.append(el('p', 'summary', `Fix: ${r.summary}`));
        sec.append(el('p', `verdict ${r.verified ? 'ok' : 'fail'}`, r.verdict));
        for (const n of r.notes) sec.append(el('p', 'note', n));
        if (r.diff) sec.append(diffBlock(r.diff));
        const bar = el('div', 'buttons');
        if (r.hasPatch) bar.append(button('Apply fix', 'apply', r.index, r.verified), button('Preview fix', 'preview', r.index, false));
        bar.append(button('Show prompt', 'prompt', r.index, false));
        sec.append(bar);
      }
      roundsEl.append(sec);
    }
    report();
  }

  function report() {
    const rounds = [...roundsEl.querySelectorAll('section.round')].map((sec) => ({
      index: Number(/** @type {HTMLElement} */ (sec).dataset.round),
      text: sec.querySelector('.rationale')?.textContent ?? '',
      links: [...sec.querySelectorAll('a.step')].map((a) => Number(/** @type {HTMLElement} */ (a).dataset.step)),
      verdict: sec.querySelector('.verdict')?.textContent ?? '',
    }));
    vscode.postMessage({ type: 'rendered', session: view.session, rounds });
  }

  roundsEl.addEventListener('click', (ev) => {
    const t = /** @type {HTMLElement} */ (ev.target);
    const link = t.closest('a.step');
    if (link) {
      ev.preventDefault();
      vscode.postMessage({ type: 'step', step: Number(/** @type {HTMLElement} */ (link).dataset.step) });
      return;
    }
    const b = /** @type {HTMLElement | null} */ (t.closest('button[data-action]'));
    if (b) vscode.postMessage({ type: b.dataset.action, round: Number(b.dataset.round) });
  });

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.type === 'view') {
      if (view && view.session !== m.view.session) streamed.clear();
      view = m.view;
      for (const r of view.rounds) if (r.phase === 'done') streamed.delete(r.index);
      render();
    } else if (m.type === 'delta' && view && m.session === view.session) {
      streamed.set(m.round, (streamed.get(m.round) ?? '') + m.text);
      const sec = roundsEl.querySelector(`section.round[data-round="${m.round}"] .rationale`);
      if (sec) {
        sec.textContent = '';
        linkify(sec, streamed.get(m.round) ?? '', view.maxStep);
        report();
      }
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
