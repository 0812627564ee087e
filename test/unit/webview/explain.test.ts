// @vitest-environment happy-dom
// The Explanation webview's script in a DOM: the page the view serves and the view model the
// extension posts. Markdown arrives as a tree and becomes elements with text only (nothing the model
// wrote is parsed as HTML); clicks post actions; folding is the user's; and it reports what it
// rendered only when the extension asks (under its tests), never otherwise.
import { beforeEach, describe, expect, it } from 'vitest';
import { EXPLANATION_PAGE } from '../../../src/extension/explain/explanationPage';
import type {
  FromExplanationWebview,
  PanelView,
  RenderedView,
  RoundView,
} from '../../../src/extension/explain/protocol';
import { ExplanationPage } from '../../../src/webview/explain/view';

function round(index: number, extra: Partial<RoundView> = {}): RoundView {
  return {
    index,
    phase: 'done',
    rationale: '',
    summary: 'start low at the first value',
    diff: '--- a/stats.py\n+++ b/stats.py\n@@ -1,2 +1,2 @@\n-    low = 0\n+    low = values[0]\n',
    hasPatch: true,
    verified: true,
    verdict: 'Verified: test_spread passes with this fix.',
    notes: [],
    state: 'verified',
    blocks: [
      {
        t: 'p',
        c: [
          'At ',
          { t: 'step', step: 2, rec: 7, text: '(2)', title: 'Step 2 of the failing run' },
          ' ',
          { t: 'code', text: 'low=0' },
          ', ',
          { t: 'b', c: ['below every value'] },
          ' <img src=x onerror=alert(1)>',
        ],
      },
      { t: 'ul', items: [{ c: ['the loop never lowers ', { t: 'i', c: ['low'] }] }] },
      { t: 'code', lang: 'python', text: 'low = values[0]' },
      { t: 'summary', c: ['start low at the first value'] },
      {
        t: 'p',
        c: [{ t: 'link', href: 'https://docs.python.org/3/', c: ['the docs'] }],
      },
    ],
    thinking: false,
    read: 'the failing run',
    applied: false,
    confirm: null,
    actions: [
      { type: 'apply', round: index, label: 'Apply Fix', primary: true },
      { type: 'preview', round: index, label: 'Preview Fix' },
    ],
    collapsed: false,
    toolCalls: [],
    ...extra,
  };
}

function view(extra: Partial<PanelView> = {}): PanelView {
  return {
    session: 1,
    title: 'test_calc.py::test_spread · test-model',
    status: 'fixed',
    statusText: 'Verified fix found in round 1.',
    maxStep: 12,
    offered: 1,
    error: null,
    rounds: [round(1)],
    banner: {
      kind: 'ok',
      title: 'Verified fix · round 1',
      detail: 'test_spread passes with it',
      actions: [{ type: 'apply', round: 1, label: 'Apply Fix', primary: true }],
    },
    focusRound: 1,
    ...extra,
  };
}

let posted: FromExplanationWebview[];
let page: ExplanationPage;
const $ = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document) =>
  root.querySelector<T>(sel)!;
const reports = () =>
  posted.filter((m): m is { type: 'rendered' } & RenderedView => m.type === 'rendered');

beforeEach(() => {
  // A fresh page: a new body (the script listens on it) and a channel of its own.
  const body = document.createElement('body');
  body.innerHTML = EXPLANATION_PAGE.body;
  document.body.replaceWith(body);
  const sink: FromExplanationWebview[] = [];
  posted = sink;
  page = new ExplanationPage({ postMessage: (m) => sink.push(m) });
});

describe('explanation webview', () => {
  it('renders the banner, the title and a round: state, what it read, rationale, verdict, diff, buttons', () => {
    page.receive({ type: 'view', view: view(), report: false });
    expect($('#banner').className).toBe('banner kind-ok');
    expect($('#banner .icon-ok')).not.toBeNull();
    expect($('#banner-title').textContent).toBe('Verified fix · round 1');
    expect($('#banner-detail').textContent).toBe('test_spread passes with it');
    expect(
      [...document.querySelectorAll('#banner-actions button')].map((b) => b.className),
    ).toEqual(['primary']);
    expect($('#title').textContent).toBe('Explain & Fix · test_calc.py::test_spread · test-model');
    const sec = $('section.round[data-round="1"]');
    expect($('.chip', sec).textContent).toBe('verified');
    expect($('.read', sec).textContent).toBe('Read the failing run.');
    expect($('.verdict', sec).className).toBe('verdict ok');
    expect([...sec.querySelectorAll('.diff .line')].map((l) => l.className)).toEqual([
      'line meta',
      'line meta',
      'line hunk',
      'line del',
      'line add',
    ]);
    expect(
      [...sec.querySelectorAll('.round-body > .buttons button')].map((b) => b.textContent),
    ).toEqual(['Apply Fix', 'Preview Fix']);
  });

  it('builds the Markdown tree as elements with text only: what the model wrote is never HTML', () => {
    page.receive({ type: 'view', view: view(), report: false });
    const rat = $('.rationale');
    expect(rat.querySelector('img')).toBeNull();
    expect(rat.textContent).toContain('<img src=x onerror=alert(1)>');
    expect($('code', rat).textContent).toBe('low=0');
    expect($('strong', rat).textContent).toBe('below every value');
    expect($('ul > li > em', rat).textContent).toBe('low');
    expect($('pre.code > code.lang-python', rat).textContent).toBe('low = values[0]');
    expect($('.summary', rat).textContent).toBe('Summary: start low at the first value');
    const step = $<HTMLAnchorElement>('a.step', rat);
    expect([step.textContent, step.dataset.step, step.dataset.rec, step.title]).toEqual([
      '(2)',
      '2',
      '7',
      'Step 2 of the failing run',
    ]);
    // A link is not followed by the page: its address is only data for the click.
    const ext = $<HTMLAnchorElement>('a.external', rat);
    expect(ext.getAttribute('href')).toBe('#');
    expect(ext.dataset.href).toBe('https://docs.python.org/3/');
  });

  it('posts what a click asks for: a step, a link to open, a button with its round', () => {
    page.receive({
      type: 'view',
      view: view({
        rounds: [
          round(1, {
            state: 'unverified',
            verified: false,
            confirm: 'Apply it anyway?',
            actions: [
              { type: 'apply', round: 1, label: 'Apply Unverified Fix', confirmed: true },
              { type: 'cancel-confirm', round: 1, label: 'Cancel' },
            ],
          }),
        ],
      }),
      report: false,
    });
    $('a.step').click();
    $('a.external').click();
    const [apply, cancel] = [...document.querySelectorAll<HTMLElement>('.round-body button')];
    apply!.click();
    cancel!.click();
    expect(posted).toEqual([
      { type: 'step', step: 2, rec: 7 },
      { type: 'open', href: 'https://docs.python.org/3/' },
      { type: 'apply', round: 1, confirmed: true },
      { type: 'cancel-confirm', round: 1 },
    ]);
    expect($('.confirm').textContent).toBe('Apply it anyway?');
  });

  it('a streaming round shows its phase and a cursor, no verdict or buttons yet', () => {
    const running = round(2, {
      state: 'running',
      phase: 'verifying',
      verified: null,
      verdict: '',
      actions: [],
    });
    page.receive({
      type: 'view',
      view: view({ status: 'running', rounds: [running], focusRound: 2 }),
      report: false,
    });
    expect($('.phase').textContent).toBe('verifying the fix…');
    expect($('.rationale .cursor')).not.toBeNull();
    expect(document.querySelector('.verdict')).toBeNull();
    expect(document.querySelector('.round-body > .buttons')).toBeNull();
    page.receive({
      type: 'view',
      view: view({ status: 'running', rounds: [{ ...running, thinking: true }], focusRound: 2 }),
      report: false,
    });
    expect($('.thinking').textContent).toBe('The model is reasoning…');
    expect(document.querySelector('.rationale .cursor')).toBeNull();
  });

  it('shows the tool calls a round made, folded, with their answers and step links', () => {
    const toolCalls = [
      {
        name: 'tracefix_history',
        args: 'name="low"',
        lines: [
          ['low: (2) 0, then '],
          [{ t: 'step' as const, step: 5, rec: 7, text: '(5)', title: 't' }],
        ],
        error: false,
        truncated: true,
        said: 'Let me look at low.',
      },
    ];
    page.receive({
      type: 'view',
      view: view({ rounds: [round(1, { toolCalls })] }),
      report: false,
    });
    expect($('.tool-calls-head').textContent).toBe('Asked the recording once:');
    const call = $<HTMLDetailsElement>('details.tool-call');
    expect(call.open).toBe(false);
    expect($('.tool-name', call).textContent).toBe('tracefix_history(name="low")');
    expect($('.tool-gist', call).textContent).toBe(' — low: (2) 0, then ');
    expect($('.chip-cut', call).textContent).toBe('more on request');
    expect($('.tool-said', call).textContent).toBe('Let me look at low.');
    expect($('.tool-answer', call).textContent).toBe('low: (2) 0, then \n(5)\n');
    expect($<HTMLElement>('.tool-answer a.step', call).dataset.step).toBe('5');
  });

  it("keeps a round the user folded folded across updates, until another session's view", () => {
    const two = view({ rounds: [round(1, { collapsed: true }), round(2)], focusRound: 2 });
    page.receive({ type: 'view', view: two, report: false });
    const details = () =>
      [...document.querySelectorAll<HTMLDetailsElement>('section.round > details')].map(
        (d) => d.open,
      );
    expect(details()).toEqual([false, true]);
    const second = document.querySelectorAll<HTMLDetailsElement>('section.round > details')[1]!;
    second.open = false;
    second.dispatchEvent(new Event('toggle'));
    page.receive({ type: 'view', view: two, report: false });
    expect(details()).toEqual([false, false]);
    page.receive({ type: 'view', view: { ...two, session: 2 }, report: false });
    expect(details()).toEqual([false, true]);
  });

  it('reports what it rendered only when the extension asks (its tests), never otherwise', () => {
    page.receive({ type: 'view', view: view(), report: false });
    window.dispatchEvent(new Event('scroll'));
    expect(reports()).toEqual([]);
    page.receive({ type: 'view', view: view(), report: true });
    const [r] = reports();
    expect(r?.session).toBe(1);
    expect(r?.banner).toEqual({
      kind: 'ok',
      title: 'Verified fix · round 1',
      detail: 'test_spread passes with it',
      buttons: ['Apply Fix'],
    });
    const r1 = r!.rounds[0]!;
    expect(r1).toMatchObject({
      index: 1,
      links: [2],
      linkTargets: [{ step: 2, rec: 7 }],
      verdict: 'Verified: test_spread passes with this fix.',
      streaming: false,
      buttons: ['Apply Fix', 'Preview Fix'],
      confirm: '',
      collapsed: false,
      toolCalls: [],
    });
    expect(r1.text).toContain('At (2) low=0, below every value');
    expect(r1.tags).toEqual(expect.arrayContaining(['code', 'strong', 'ul', 'li', 'em', 'a']));
  });
});
