// @vitest-environment happy-dom
// The Timeline webview's script in a DOM: the page the view serves, the messages the extension
// posts, and what the script posts back for clicks, keys and the header's controls. (Layout — which
// rows are built where while scrolling — is checked in headless Chromium: test/integration/extension.)
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  FromTimelineWebview,
  TimelineRow,
  ToTimelineWebview,
} from '../../../src/extension/timeline/protocol';
import { TIMELINE_PAGE } from '../../../src/extension/timeline/timelinePage';
import { TimelinePage } from '../../../src/webview/timeline/view';

const rows: TimelineRow[] = Array.from({ length: 1000 }, (_, i) => ({
  i,
  k: i === 0 ? null : i,
  kind: i === 0 ? 'call' : 'line',
  file: 'stats.py',
  line: 10 + (i % 5),
  fn: 'spread',
  call: 1 + Math.floor(i / 5),
  depth: 1,
  text: i === 0 ? 'call values=[3, 5, 8]' : `low=${i}`,
}));

function trace(extra: Partial<Extract<ToTimelineWebview, { type: 'trace' }>> = {}) {
  return {
    type: 'trace',
    recordings: [
      { id: 1, kind: 'run', label: 'test_calc.py::test_spread · fails' },
      { id: 2, kind: 'patched', label: "Round 2: with round 1's fix" },
    ],
    current: 1,
    summary: 'test_calc.py::test_spread · fails',
    recordedWith: 'Python 3.11.7 · debugpy 1.8.22 · fast engine',
    note: '',
    stale: [],
    rows,
    elision: null,
    selected: undefined,
    ...extra,
  } satisfies ToTimelineWebview;
}

let posted: FromTimelineWebview[];
let page: TimelinePage;
const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const built = () => [...document.querySelectorAll<HTMLElement>('#steps .row[data-index]')];

beforeEach(() => {
  document.body.innerHTML = TIMELINE_PAGE.body;
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe(): void {}
      disconnect(): void {}
    },
  );
  const sink: FromTimelineWebview[] = [];
  posted = sink;
  page = new TimelinePage({ postMessage: (m) => sink.push(m) });
});

describe('timeline webview', () => {
  it('builds only a window of a long recording, each row with its step, place, call and change', () => {
    page.receive(trace());
    const shown = built();
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(200);
    const first = shown[0]!;
    expect(first.id).toBe('row-0');
    expect([...first.children].map((c) => c.textContent)).toEqual([
      '·',
      'stats.py:10',
      '  spread',
      'call values=[3, 5, 8]',
    ]);
    expect(first.className).toBe('row kind-call');
    expect(shown[6]!.querySelector('.fn')!.textContent).toBe('  spread #2');
    expect(first.getAttribute('aria-setsize')).toBe('1000');
    expect($<HTMLButtonElement>('#replay').disabled).toBe(false);
    expect($('#recorded-with').textContent).toContain('debugpy 1.8.22');
  });

  it('marks the selected step, whether the extension or the user chose it', () => {
    page.receive(trace({ selected: 3 }));
    expect($('#steps').getAttribute('aria-activedescendant')).toBe('row-3');
    page.receive({ type: 'select', index: 5, detail: detail() });
    expect(
      built()
        .filter((r) => r.classList.contains('selected'))
        .map((r) => r.id),
    ).toEqual(['row-5']);
    expect(posted).toEqual([]);
    $('#row-7 .text').click();
    expect(posted).toEqual([{ type: 'select', index: 7 }]);
    expect($('#row-7').getAttribute('aria-selected')).toBe('true');
  });

  it('the arrows, Home and End move the selection and tell the extension', () => {
    page.receive(trace({ selected: 3 }));
    const key = (k: string) =>
      $('#steps').dispatchEvent(new KeyboardEvent('keydown', { key: k, cancelable: true }));
    expect(key('ArrowDown')).toBe(false);
    key('ArrowRight');
    key('ArrowUp');
    key('Home');
    key('End');
    expect(key('x')).toBe(true);
    expect(posted).toEqual([4, 5, 4, 0, 999].map((index) => ({ type: 'select', index })));
  });

  it('shows the long-run gap as a row of its own before the event it precedes', () => {
    const elision = { at: 2, text: '⋯ 90,000 events not kept here', title: 'Long runs…' };
    page.receive(trace({ elision }));
    const items = [...document.querySelectorAll<HTMLElement>('#steps .row')].slice(0, 4);
    expect(items.map((r) => r.dataset.index ?? r.textContent)).toEqual([
      '0',
      '1',
      '⋯ 90,000 events not kept here',
      '2',
    ]);
    expect(items[2]!.getAttribute('role')).toBe('separator');
    expect(items[2]!.title).toContain('Long runs…');
  });

  it("shows a step's detail: where, what it changed (also inside cut values), what it raised, its locals", () => {
    page.receive(trace());
    page.receive({ type: 'select', index: 5, detail: detail() });
    const d = $('#detail');
    expect(d.querySelector('h2')!.textContent).toBe('step 5 · stats.py:12');
    expect(d.querySelector('.meta')!.textContent).toBe(
      'line in spread #2 · depth 1 · called from test_spread (test_calc.py)',
    );
    expect(d.querySelector('.exception')!.textContent).toBe('✗ ValueError: bad');
    const tables = [...d.querySelectorAll('.vars')].map((v) => ({
      title: v.querySelector('h3')!.textContent,
      rows: [...v.querySelectorAll('tr')].map((tr) => tr.textContent),
    }));
    expect(tables).toEqual([
      { title: 'Changed', rows: ['low0', 'insideout[7]=1'] },
      { title: 'Locals', rows: ['low0', 'values[3, 5, 8]'] },
    ]);
    // Values are text, never markup.
    page.receive({
      type: 'select',
      index: 5,
      detail: { ...detail(), locals: { s: '<img src=x onerror=alert(1)>' } },
    });
    expect(d.querySelector('img')).toBeNull();
    expect(d.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('the header switches recordings, says when the code changed, and its buttons ask the extension', () => {
    page.receive(trace());
    const select = $<HTMLSelectElement>('#recording');
    expect([...select.options].map((o) => [o.value, o.className, o.selected])).toEqual([
      ['1', 'run', true],
      ['2', 'patched', false],
    ]);
    expect(select.disabled).toBe(false);
    select.value = '2';
    select.dispatchEvent(new Event('change'));
    expect($('#stale').hidden).toBe(true);
    page.receive({ type: 'stale', files: ['stats.py'] });
    expect($('#stale').hidden).toBe(false);
    expect($('#stale-text').textContent).toBe(
      '⚠ Recorded before stats.py changed: the values are from the code as it was.',
    );
    expect(document.body.classList.contains('is-stale')).toBe(true);
    $('#rerun').click();
    $('#replay').click();
    expect(posted).toEqual([{ type: 'recording', id: 2 }, { type: 'rerun' }, { type: 'replay' }]);
  });

  it('a patched recording carries its note; clearing empties the list and disables Replay', () => {
    page.receive(trace({ note: 'What round 2 read: the program with round 1’s fix.' }));
    expect($('#note').hidden).toBe(false);
    expect(document.body.classList.contains('is-patched')).toBe(true);
    page.receive({ type: 'clear', recordings: [] });
    expect(built()).toEqual([]);
    expect($<HTMLButtonElement>('#replay').disabled).toBe(true);
    expect($('#note').hidden).toBe(true);
    const select = $<HTMLSelectElement>('#recording');
    expect([...select.options].map((o) => o.textContent)).toEqual(['No trace recorded yet']);
    expect(select.disabled).toBe(true);
  });
});

describe('timeline webview: a why-chain', () => {
  const chain = {
    title: 'why high = 8 at (19)',
    events: [18, 12, 4],
    detail: '3 steps',
  };
  const marked = () =>
    built()
      .filter((r) => r.classList.contains('on-chain'))
      .map((r) => Number(r.dataset.index));
  const select = (index: number) =>
    page.receive({ type: 'select', index, detail: { ...detail(), i: index, k: index } });

  it('marks the rows of the chain and heads the list with the question', () => {
    page.receive(trace());
    expect($('#why').hidden).toBe(true);
    page.receive({ type: 'why', why: chain, report: false });
    expect($('#why').hidden).toBe(false);
    expect($('#why-text').textContent).toBe('why high = 8 at (19) — 3 steps');
    expect(marked().sort((a, b) => a - b)).toEqual([4, 12, 18]);
    expect($('#row-12').getAttribute('aria-description')).toBe('on the why chain');
    expect($('#row-13').classList.contains('on-chain')).toBe(false);
    expect(document.body.classList.contains('has-why')).toBe(true);
    // Marks survive scrolling: rows built again carry them.
    page.receive({ type: 'select', index: 900, detail: detail() });
    page.receive({ type: 'select', index: 12, detail: detail() });
    expect(marked()).toContain(12);
    expect(posted).toEqual([]);
  });

  it('Back and Forward walk the chain (further back first), Clear asks the extension', () => {
    page.receive(trace());
    page.receive({ type: 'why', why: chain, report: false });
    const back = $<HTMLButtonElement>('#why-back');
    const forward = $<HTMLButtonElement>('#why-forward');
    // Nothing of the chain selected yet: Back starts where the value was made.
    back.click();
    expect(posted).toEqual([{ type: 'select', index: 18 }]);
    select(18);
    expect(forward.disabled).toBe(true);
    back.click();
    select(12);
    back.click();
    select(4);
    expect(back.disabled).toBe(true);
    forward.click();
    expect(posted.slice(1)).toEqual([
      { type: 'select', index: 12 },
      { type: 'select', index: 4 },
      { type: 'select', index: 12 },
    ]);
    $('#why-clear').click();
    expect(posted.at(-1)).toEqual({ type: 'clearWhy' });
  });

  it('is removed by the extension, by a new recording and by clearing', () => {
    page.receive(trace());
    page.receive({ type: 'why', why: chain, report: false });
    page.receive({ type: 'why', why: null, report: false });
    expect($('#why').hidden).toBe(true);
    expect(marked()).toEqual([]);
    page.receive({ type: 'why', why: chain, report: false });
    page.receive(trace());
    expect($('#why').hidden).toBe(true);
    expect(marked()).toEqual([]);
    page.receive({ type: 'why', why: chain, report: false });
    page.receive({ type: 'clear', recordings: [] });
    expect($('#why').hidden).toBe(true);
    expect(document.body.classList.contains('has-why')).toBe(false);
  });

  it('says what it shows only when the extension asks (its tests)', () => {
    page.receive(trace());
    page.receive({ type: 'why', why: chain, report: true });
    select(18);
    const reports = posted.filter((m) => m.type === 'whyShown');
    expect(reports).toHaveLength(2);
    expect(reports[1]).toMatchObject({ header: 'why high = 8 at (19) — 3 steps' });
    expect((reports[1] as { marked: number[] }).marked.sort((a, b) => a - b)).toEqual([4, 12, 18]);
  });
});

function detail() {
  return {
    i: 5,
    k: 5,
    kind: 'line' as const,
    file: 'stats.py',
    line: 12,
    fn: 'spread',
    call: 2,
    depth: 1,
    caller: 'test_spread (test_calc.py)',
    changed: { low: '0' },
    deltas: ['out[7]=1'],
    locals: { low: '0', values: '[3, 5, 8]' },
    exception: 'ValueError: bad',
  };
}

describe('timeline webview compared with a passing run', () => {
  const compared: TimelineRow[] = [
    { ...rows[0]!, mark: 'value', b: 'call values=[0, 4]', first: true },
    { ...rows[1]!, b: 'low=0', mark: 'value' },
    { ...rows[2]!, mark: 'only-a' },
    { ...rows[3]!, i: -5, k: 4, mark: 'only-b', text: 'high=4' },
    rows[4]!,
  ];
  const header = {
    title: 'Compared with the same test at HEAD (3f2a91c), where it passes',
    bShort: 'at HEAD',
    summary: 'First divergence: step (0) … — 3 divergent steps at 3 places',
    first: 0,
  };

  it('shows the compare bar, the passing run beside ours, and the marks', () => {
    expect($('#compare').hidden).toBe(true);
    page.receive(trace({ rows: compared, compare: header }));
    expect($('#compare').hidden).toBe(false);
    expect($('#compare-title').textContent).toBe(header.title);
    expect(document.body.classList.contains('is-compared')).toBe(true);
    const shown = built();
    expect(shown.map((r) => r.className)).toEqual([
      'row kind-call mark-value first has-b',
      'row kind-line mark-value has-b',
      'row kind-line mark-only-a',
      'row kind-line mark-only-b',
      'row kind-line',
    ]);
    expect(shown[1]!.querySelector('.theirs')!.textContent).toBe('≠ low=0');
    expect(shown[1]!.title).toMatch(/\nat HEAD: low=0\nA value differs at HEAD\.$/);
    // A step only the passing run took: no step number of ours, named as the passing run's.
    expect(shown[3]!.querySelector('.k')!.textContent).toBe('');
    expect(shown[3]!.querySelector('.text')!.textContent).toBe('at HEAD only: high=4');
    shown[3]!.click();
    expect(posted.at(-1)).toEqual({ type: 'select', index: -5 });
  });

  it('posts the bar buttons, and hides the bar when the rows are the recording alone', () => {
    page.receive(trace({ rows: compared, compare: header }));
    $('#compare-first').click();
    $('#compare-stop').click();
    $('#compare-with').click();
    expect(posted.slice(-3)).toEqual([
      { type: 'compare-first' },
      { type: 'compare-stop' },
      { type: 'compare-with' },
    ]);
    page.receive(trace());
    expect($('#compare').hidden).toBe(true);
    expect(document.body.classList.contains('is-compared')).toBe(false);
  });
});
