// The timeline's step list in a real browser (headless Chromium, as the VS Code layer uses): the page
// the view serves, under its CSP, with src/webview/timeline bundled as the product build bundles it.
// Only the rows in view are built, whatever the length of the recording, and scrolling, the
// keyboard, clicks and the long-run gap behave as with every row present.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webviewEntry } from '../../../scripts/esbuild-options.mjs';
import { TIMELINE_PAGE } from '../../../src/extension/timeline/timelinePage';
import { webviewHtml } from '../../../src/extension/webview/page';

const CHROMIUM = process.env.TRACEFIX_CHROMIUM || '/usr/bin/chromium';
const REPO = path.resolve(__dirname, '../../..');
const N = 20_000;

interface Row {
  i: number;
  k: number | null;
  kind: string;
  file: string;
  line: number;
  fn: string;
  call: number;
  depth: number;
  text: string;
}

const rows: Row[] = Array.from({ length: N }, (_, i) => ({
  i,
  k: i,
  kind: i === N - 1 ? 'exception' : 'line',
  file: 'stats.py',
  line: 10 + (i % 7),
  fn: 'spread',
  call: 1 + Math.floor(i / 7),
  depth: 1,
  text: `v=${i}`,
}));

let dir = '';
let browser: Browser;
let page: Page;

/** Posts a message to the page as the extension would. */
async function post(message: unknown): Promise<void> {
  await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
}

function trace(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'trace',
    rows,
    elision: null,
    selected: N - 1,
    recordings: [{ id: 1, kind: 'original', label: 'test_spread · fails' }],
    current: 1,
    recordedWith: 'Python 3.11',
    note: '',
    stale: [],
    ...extra,
  };
}

/** Layout of the list and of the rows the page built: offsets relative to the list's viewport. */
async function layout(): Promise<{
  built: number;
  height: number;
  scrollTop: number;
  rows: {
    index: string | undefined;
    text: string;
    top: number;
    bottom: number;
    selected: boolean;
  }[];
}> {
  return page.evaluate<Awaited<ReturnType<typeof layout>>>(LAYOUT);
}

// Run in the page (plain JavaScript: this project's TypeScript has no DOM types).
const LAYOUT = `(() => {
  const list = document.getElementById('steps');
  const box = list.getBoundingClientRect();
  const els = [...list.querySelectorAll('.row')];
  return {
    built: els.length,
    height: list.clientHeight,
    scrollTop: list.scrollTop,
    rows: els.map((e) => {
      const r = e.getBoundingClientRect();
      return {
        index: e.dataset.index,
        text: e.textContent ?? '',
        top: r.top - box.top,
        bottom: r.bottom - box.top,
        selected: e.classList.contains('selected'),
      };
    }),
  };
})()`;

const frameDone = () =>
  page.evaluate('new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');

const scrollList = (to: 'middle' | 'end') =>
  page.evaluate(
    `(() => { const e = document.getElementById('steps'); e.scrollTop = e.scrollHeight${to === 'middle' ? ' / 2' : ''}; })()`,
  );

async function posted(): Promise<unknown[]> {
  return page.evaluate<unknown[]>('window.posted');
}

describe.skipIf(!existsSync(CHROMIUM))('timeline step list (headless Chromium)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tfx-timeline-'));
    const entry = webviewEntry(TIMELINE_PAGE.script);
    const script = path.join(dir, entry.outfile);
    mkdirSync(path.dirname(script), { recursive: true });
    await esbuild.build({ ...entry, absWorkingDir: REPO, outfile: script, sourcemap: false });
    const html = webviewHtml(TIMELINE_PAGE, {
      cspSource: 'file:',
      nonce: 'dGVzdA==',
      // The stylesheet from the repository, the script as just bundled.
      uri: (rel) =>
        pathToFileURL(rel.startsWith('media/') ? path.join(REPO, rel) : path.join(dir, rel)).href,
    });
    writeFileSync(path.join(dir, 'timeline.html'), html);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1000, height: 400 } });
    // What VS Code injects into a webview: the channel to the extension (here, a list to read back).
    await page.addInitScript(
      'window.posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.posted.push(m) });',
    );
    await page.goto(pathToFileURL(path.join(dir, 'timeline.html')).href);
    await page.waitForFunction('window.posted.length > 0');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds only the rows in view of a 20,000-step recording, the selected last step shown', async () => {
    await post(trace());
    await frameDone();
    const l = await layout();
    expect(l.height).toBeGreaterThan(100);
    expect(l.built).toBeLessThan(150);
    const sel = l.rows.filter((r) => r.selected);
    expect(sel.map((r) => r.index)).toEqual([String(N - 1)]);
    expect(sel[0]!.top).toBeGreaterThanOrEqual(-0.5);
    expect(sel[0]!.bottom).toBeLessThanOrEqual(l.height + 0.5);
    expect(await page.locator('#steps').getAttribute('aria-activedescendant')).toBe(`row-${N - 1}`);
    expect(await page.locator('.row.selected').getAttribute('aria-posinset')).toBe(String(N));
  });

  it('Home, PageDown and the arrows move the selection, build its row and tell the extension', async () => {
    await page.locator('#steps').focus();
    await page.keyboard.press('Home');
    await frameDone();
    let l = await layout();
    expect(l.scrollTop).toBe(0);
    expect(l.rows.find((r) => r.selected)?.index).toBe('0');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('ArrowDown');
    await frameDone();
    l = await layout();
    const sel = l.rows.find((r) => r.selected)!;
    expect(Number(sel.index)).toBeGreaterThan(5);
    expect(sel.bottom).toBeLessThanOrEqual(l.height + 0.5);
    const last = (await posted()).at(-1);
    expect(last).toEqual({ type: 'select', index: Number(sel.index) });
  });

  it('scrolled to the middle, the rows in view are built, in order, edge to edge, and clickable', async () => {
    await scrollList('middle');
    await frameDone();
    const l = await layout();
    const visible = l.rows.filter((r) => r.bottom > 0 && r.top < l.height);
    expect(visible.length).toBeGreaterThan(5);
    expect(visible[0]!.top).toBeLessThanOrEqual(0);
    expect(visible.at(-1)!.bottom).toBeGreaterThanOrEqual(l.height);
    for (let j = 1; j < visible.length; j++) {
      expect(Number(visible[j]!.index)).toBe(Number(visible[j - 1]!.index) + 1);
      expect(Math.abs(visible[j]!.top - visible[j - 1]!.bottom)).toBeLessThan(0.5);
    }
    const middle = Number(visible[0]!.index);
    expect(middle).toBeGreaterThan(N / 2 - 200);
    expect(middle).toBeLessThan(N / 2 + 200);
    const target = visible[3]!;
    await page.locator(`#row-${target.index}`).click();
    expect((await posted()).at(-1)).toEqual({ type: 'select', index: Number(target.index) });
    expect(await page.locator('.row.selected').getAttribute('data-index')).toBe(target.index);
  });

  it('places the long-run gap between the rows it separates, without overlap', async () => {
    const at = 5000;
    await post(
      trace({
        elision: { at, text: '⋯ 90,000 events not kept here (80,000 steps)', title: 'Long runs…' },
        selected: at,
      }),
    );
    await frameDone();
    const l = await layout();
    const gap = l.rows.findIndex((r) => r.index === undefined);
    expect(gap).toBeGreaterThan(0);
    expect(l.rows[gap]!.text).toContain('90,000 events not kept here');
    expect(l.rows[gap - 1]!.index).toBe(String(at - 1));
    expect(l.rows[gap + 1]!.index).toBe(String(at));
    expect(Math.abs(l.rows[gap]!.top - l.rows[gap - 1]!.bottom)).toBeLessThan(0.5);
    expect(Math.abs(l.rows[gap + 1]!.top - l.rows[gap]!.bottom)).toBeLessThan(0.5);
    expect(l.rows[gap + 1]!.selected).toBe(true);
    // The end of the list is reachable: the last row ends at the spacer's end.
    await scrollList('end');
    await frameDone();
    const end = await layout();
    const lastRow = end.rows.find((r) => r.index === String(N - 1))!;
    expect(Math.abs(lastRow.bottom - end.height)).toBeLessThan(1);
  });

  it('an empty recording list clears the rows', async () => {
    await post({ type: 'clear', recordings: [] });
    await frameDone();
    expect((await layout()).built).toBe(0);
  });
});
