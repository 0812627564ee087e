// Tracefix Explanation webview. Renders the view model the extension posts (banner, rounds with
// their Markdown as a tree of plain data, diff, verdict, buttons) with DOM nodes and textContent
// only: no HTML from the model is ever parsed. Buttons and step links post actions back. After each
// render it reports what it shows, so the extension (and its tests) know what the view displays.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is injected by VS Code.
  const vscode = acquireVsCodeApi();
  // The DOM builders (explainDom.js, loaded first).
  const { el, icon, inlines, block, diffBlock, buttons } = /** @type {any} */ (window).tracefixDom;
  const roundsEl = /** @type {HTMLElement} */ (document.getElementById('rounds'));
  const titleEl = /** @type {HTMLElement} */ (document.getElementById('title'));
  const bannerEl = /** @type {HTMLElement} */ (document.getElementById('banner'));
  const bannerTitle = /** @type {HTMLElement} */ (document.getElementById('banner-title'));
  const bannerDetail = /** @type {HTMLElement} */ (document.getElementById('banner-detail'));
  const bannerActions = /** @type {HTMLElement} */ (document.getElementById('banner-actions'));
  /** @type {any} */
  let view;
  /** @type {number|null} */
  let scrolledTo = null;
  /** @type {number|undefined} */
  let shownSession;
  /** Rounds the user folded or unfolded themselves (their choice wins over the default). */
  const userFolded = new Map();
  /** Tool calls the user opened or closed ("round:index" → folded). */
  const userFoldedCalls = new Map();

  const STATE_ICON = {
    verified: 'ok',
    unverified: 'warn',
    tests: 'warn',
    'no-patch': 'error',
    running: 'running',
  };
  const PHASE_TEXT = {
    asking: 'asking the model…',
    verifying: 'verifying the fix…',
    tracing: 'tracing the program with the previous fix…',
  };

  function roundHeader(r) {
    const h = el('h2', 'round-head');
    h.append(
      icon(r.applied ? 'ok' : STATE_ICON[r.state]),
      el('span', 'round-no', `Round ${r.index}`),
    );
    if (r.state === 'running') h.append(el('span', 'phase', PHASE_TEXT[r.phase] || r.phase));
    else
      h.append(
        el(
          'span',
          `chip chip-${r.state}`,
          r.applied
            ? 'applied'
            : r.state === 'verified'
              ? 'verified'
              : r.state === 'no-patch'
                ? 'no fix'
                : r.state === 'tests'
                  ? 'changes the tests'
                  : 'not verified',
        ),
      );
    return h;
  }

  /** The trace tool calls of a round: each call's question, folded answer with step links. */
  function renderToolCalls(r) {
    const box = el('div', 'tool-calls');
    box.append(
      el(
        'p',
        'tool-calls-head',
        `Asked the recording ${r.toolCalls.length === 1 ? 'once' : `${r.toolCalls.length} times`}:`,
      ),
    );
    r.toolCalls.forEach((c, i) => {
      const key = `${r.index}:${i}`;
      const d = el('details', `tool-call${c.error ? ' error' : ''}`);
      d.open = userFoldedCalls.has(key) ? !userFoldedCalls.get(key) : false;
      d.addEventListener('toggle', () => userFoldedCalls.set(key, !d.open));
      const s = el('summary');
      s.append(el('code', 'tool-name', `${c.name}(${c.args})`));
      const first = c.lines[0] || [];
      const gist = first.map((x) => (typeof x === 'string' ? x : x.text)).join('');
      if (gist) s.append(el('span', 'tool-gist', ` — ${gist}`));
      if (c.truncated) s.append(el('span', 'chip chip-cut', 'more on request'));
      d.append(s);
      if (c.said) d.append(el('p', 'tool-said', c.said));
      const pre = el('pre', 'tool-answer');
      for (const line of c.lines) {
        inlines(pre, line);
        pre.append(document.createTextNode('\n'));
      }
      d.append(pre);
      box.append(d);
    });
    return box;
  }

  function renderRound(r) {
    const sec = el('section', `round state-${r.state}${r.applied ? ' applied' : ''}`);
    sec.dataset.round = String(r.index);
    const folded = userFolded.has(r.index) ? userFolded.get(r.index) : r.collapsed;
    const details = el('details');
    details.open = !folded;
    const summary = el('summary');
    summary.append(roundHeader(r));
    if (r.state !== 'running') summary.append(el('span', 'round-verdict', r.verdict));
    details.append(summary);
    // Also fires (later) for the state set here: only a change away from the default is the user's.
    details.addEventListener('toggle', () => {
      if (details.open === !r.collapsed) userFolded.delete(r.index);
      else userFolded.set(r.index, !details.open);
    });
    const body = el('div', 'round-body');
    if (r.read) body.append(el('p', 'read', `Read ${r.read}.`));
    if (r.toolCalls && r.toolCalls.length) body.append(renderToolCalls(r));
    const rat = el('div', 'rationale');
    for (const b of r.blocks) rat.append(block(b));
    body.append(rat);
    if (r.thinking) body.append(el('p', 'thinking', 'The model is reasoning…'));
    if (r.state === 'running' && !r.thinking) rat.append(el('span', 'cursor', '▍'));
    if (r.state !== 'running') {
      body.append(el('p', `verdict ${r.verified ? 'ok' : 'fail'}`, r.verdict));
      for (const n of r.notes) body.append(el('p', 'note', n));
      if (r.diff) body.append(diffBlock(r.diff));
      if (r.confirm) {
        const box = el('div', 'confirm');
        box.append(icon('warn'), el('span', '', r.confirm));
        body.append(box);
      }
      body.append(buttons(r.actions));
    }
    details.append(body);
    sec.append(details);
    return sec;
  }

  function renderBanner(b) {
    bannerEl.className = `banner kind-${b.kind}`;
    const head = /** @type {HTMLElement} */ (bannerEl.querySelector('.banner-head'));
    head.textContent = '';
    head.append(icon(b.kind), bannerTitle);
    bannerTitle.textContent = b.title;
    bannerDetail.textContent = b.detail;
    bannerActions.textContent = '';
    bannerActions.append(...buttons(b.actions).childNodes);
  }

  function render() {
    if (!view) return;
    const nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 24;
    if (shownSession !== view.session) {
      userFolded.clear();
      userFoldedCalls.clear();
      scrolledTo = null;
      shownSession = view.session;
    }
    renderBanner(view.banner);
    titleEl.textContent = `Explain & Fix · ${view.title}`;
    roundsEl.textContent = '';
    for (const r of view.rounds) roundsEl.append(renderRound(r));
    const offset = bannerEl.getBoundingClientRect().height + 4;
    for (const s of roundsEl.querySelectorAll('section.round'))
      /** @type {HTMLElement} */ (s).style.scrollMarginTop = `${offset}px`;
    const running = view.status === 'running';
    if (view.focusRound !== null && (view.focusRound !== scrolledTo || running)) {
      const target = roundsEl.querySelector(`section.round[data-round="${view.focusRound}"]`);
      if (target && (!running || view.focusRound !== scrolledTo))
        target.scrollIntoView({ block: 'start' });
      else if (running && nearBottom) window.scrollTo(0, document.body.scrollHeight);
      scrolledTo = view.focusRound;
    }
    report();
  }

  /** Rounds whose heading is on screen (below the sticky banner). */
  function inView() {
    const top = bannerEl.getBoundingClientRect().bottom;
    const shown = [];
    for (const s of roundsEl.querySelectorAll('section.round')) {
      const r = s.getBoundingClientRect();
      if (r.top >= top - 2 && r.top < window.innerHeight - 16)
        shown.push(Number(/** @type {HTMLElement} */ (s).dataset.round));
    }
    return shown;
  }

  function report() {
    const rounds = [...roundsEl.querySelectorAll('section.round')].map((sec) => {
      const index = Number(/** @type {HTMLElement} */ (sec).dataset.round);
      const r = view.rounds.find((x) => x.index === index);
      const rat = sec.querySelector('.rationale');
      const links = [...sec.querySelectorAll('.rationale a.step')].map(
        (a) => /** @type {HTMLElement} */ (a).dataset,
      );
      return {
        index,
        text: rat
          ? [...rat.childNodes]
              .filter((n) => !(n instanceof HTMLElement && n.classList.contains('cursor')))
              .map((n) => n.textContent)
              .join('\n')
          : '',
        links: links.map((d) => Number(d.step)),
        linkTargets: links.map((d) => ({ step: Number(d.step), rec: Number(d.rec) })),
        verdict: sec.querySelector('.verdict')?.textContent ?? '',
        streaming: r ? r.state === 'running' : false,
        buttons: [...sec.querySelectorAll('.round-body > .buttons button')].map(
          (b) => b.textContent ?? '',
        ),
        confirm: sec.querySelector('.confirm')?.textContent ?? '',
        collapsed: !(/** @type {HTMLDetailsElement} */ (sec.querySelector('details')).open),
        tags: [
          ...new Set([...(rat?.querySelectorAll('*') ?? [])].map((e) => e.tagName.toLowerCase())),
        ],
        toolCalls: [...sec.querySelectorAll('.tool-call')].map((d) => ({
          name: d.querySelector('.tool-name')?.textContent ?? '',
          text: d.querySelector('.tool-answer')?.textContent ?? '',
          links: [...d.querySelectorAll('.tool-answer a.step')].map((a) =>
            Number(/** @type {HTMLElement} */ (a).dataset.step),
          ),
          error: d.classList.contains('error'),
        })),
      };
    });
    const banner = {
      kind: view.banner.kind,
      title: bannerTitle.textContent ?? '',
      detail: bannerDetail.textContent ?? '',
      buttons: [...bannerActions.querySelectorAll('button')].map((b) => b.textContent ?? ''),
    };
    vscode.postMessage({
      type: 'rendered',
      session: view.session,
      banner,
      rounds,
      inView: inView(),
    });
  }

  document.body.addEventListener('click', (ev) => {
    const t = /** @type {HTMLElement} */ (ev.target);
    const link = /** @type {HTMLElement | null} */ (t.closest('a.step'));
    if (link) {
      ev.preventDefault();
      vscode.postMessage({
        type: 'step',
        step: Number(link.dataset.step),
        rec: Number(link.dataset.rec),
      });
      return;
    }
    const ext = /** @type {HTMLElement | null} */ (t.closest('a.external'));
    if (ext) {
      ev.preventDefault();
      vscode.postMessage({ type: 'open', href: ext.dataset.href });
      return;
    }
    const b = /** @type {HTMLElement | null} */ (t.closest('button[data-action]'));
    if (b) {
      const m = { type: b.dataset.action, round: Number(b.dataset.round) };
      if (b.dataset.confirmed) m.confirmed = true;
      vscode.postMessage(m);
    }
  });

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.type === 'view') {
      view = m.view;
      render();
    }
  });

  // A scroll changes which round is in view: say so (debounced) for checks of where the view is.
  let scrollTimer;
  window.addEventListener('scroll', () => {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => view && report(), 150);
  });

  vscode.postMessage({ type: 'ready' });
})();
