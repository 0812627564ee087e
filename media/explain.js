// Tracefix Explanation webview. Renders the view model the extension posts (banner, rounds with
// their Markdown as a tree of plain data, diff, verdict, buttons) with DOM nodes and textContent
// only: no HTML from the model is ever parsed. Buttons and step links post actions back. After each
// render it reports what it shows, so the extension (and its tests) know what the view displays.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is injected by VS Code.
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
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

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  // 16×16 icons drawn here (no icon font, nothing loaded).
  const ICONS = {
    ok: [
      'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm3.35 5.15-4 4.5a.5.5 0 0 1-.72.02l-2-2a.5.5 0 1 1 .7-.7l1.63 1.62 3.64-4.1a.5.5 0 1 1 .75.66z',
    ],
    warn: [
      'M8.57 1.5a.65.65 0 0 0-1.14 0L.6 13.6a.65.65 0 0 0 .57.97h13.66a.65.65 0 0 0 .57-.97L8.57 1.5zM8.75 12.5h-1.5V11h1.5v1.5zm0-2.75h-1.5V5.5h1.5v4.25z',
    ],
    error: [
      'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm2.85 9.15a.5.5 0 0 1-.7.7L8 8.71l-2.15 2.14a.5.5 0 0 1-.7-.7L7.29 8 5.15 5.85a.5.5 0 1 1 .7-.7L8 7.29l2.15-2.14a.5.5 0 0 1 .7.7L8.71 8l2.14 2.15z',
    ],
    info: [
      'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm.75 10.5h-1.5V7h1.5v4.5zM8 6a.9.9 0 1 1 0-1.8A.9.9 0 0 1 8 6z',
    ],
    running: ['M8 2a6 6 0 1 0 6 6h-1.5A4.5 4.5 0 1 1 8 3.5V2z'],
  };

  function icon(kind) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 16 16');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    svg.setAttribute('class', `icon icon-${kind}`);
    svg.setAttribute('aria-hidden', 'true');
    for (const d of ICONS[kind] || ICONS.info) {
      const p = document.createElementNS(SVG, 'path');
      p.setAttribute('d', d);
      svg.append(p);
    }
    return svg;
  }

  // ---- Markdown tree → DOM ----

  function inlines(parent, list) {
    for (const x of list) {
      if (typeof x === 'string') {
        parent.append(document.createTextNode(x));
      } else if (x.t === 'code') {
        parent.append(el('code', '', x.text));
      } else if (x.t === 'b' || x.t === 'i' || x.t === 's') {
        const e = el({ b: 'strong', i: 'em', s: 'del' }[x.t]);
        inlines(e, x.c);
        parent.append(e);
      } else if (x.t === 'link') {
        const a = el('a', 'external');
        a.href = '#';
        a.title = x.href;
        a.dataset.href = x.href;
        inlines(a, x.c);
        parent.append(a);
      } else if (x.t === 'step') {
        const a = el('a', 'step', x.text);
        a.href = '#';
        a.dataset.step = String(x.step);
        a.dataset.rec = String(x.rec);
        a.title = x.title;
        parent.append(a);
      }
    }
  }

  function block(b) {
    switch (b.t) {
      case 'p': {
        const p = el('p');
        inlines(p, b.c);
        return p;
      }
      case 'h': {
        const h = el(`h${Math.min(6, b.level + 2)}`, 'md-heading');
        inlines(h, b.c);
        return h;
      }
      case 'summary': {
        const p = el('p', 'summary');
        p.append(el('span', 'summary-label', 'Summary: '));
        inlines(p, b.c);
        return p;
      }
      case 'ul':
      case 'ol': {
        const list = el(b.t);
        if (b.start) list.setAttribute('start', String(b.start));
        for (const it of b.items) {
          const li = el('li');
          inlines(li, it.c);
          if (it.sub) li.append(block(it.sub));
          list.append(li);
        }
        return list;
      }
      case 'quote': {
        const q = el('blockquote');
        for (const c of b.c) q.append(block(c));
        return q;
      }
      case 'code': {
        const pre = el('pre', 'code');
        pre.append(el('code', b.lang ? `lang-${b.lang}` : '', b.text));
        return pre;
      }
      case 'table': {
        const t = el('table', 'md-table');
        const tr = el('tr');
        for (const c of b.head) {
          const th = el('th');
          inlines(th, c);
          tr.append(th);
        }
        t.append(tr);
        for (const row of b.rows) {
          const r = el('tr');
          for (const c of row) {
            const td = el('td');
            inlines(td, c);
            r.append(td);
          }
          t.append(r);
        }
        return t;
      }
      case 'hr':
        return el('hr');
      default:
        return el('p', '', '');
    }
  }

  function diffBlock(diff) {
    const pre = el('pre', 'diff');
    for (const line of diff.replace(/\n$/, '').split('\n')) {
      const cls =
        line.startsWith('+++') || line.startsWith('---')
          ? 'meta'
          : line.startsWith('+')
            ? 'add'
            : line.startsWith('-')
              ? 'del'
              : line.startsWith('@@')
                ? 'hunk'
                : '';
      pre.append(el('span', `line ${cls}`, `${line}\n`));
    }
    return pre;
  }

  function buttons(actions) {
    const bar = el('div', 'buttons');
    for (const a of actions) {
      const b = el('button', a.primary ? 'primary' : 'secondary', a.label);
      b.dataset.action = a.type;
      b.dataset.round = String(a.round);
      if (a.confirmed) b.dataset.confirmed = 'true';
      if (a.title) b.title = a.title;
      bar.append(b);
    }
    return bar;
  }

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
