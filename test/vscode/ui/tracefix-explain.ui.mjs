// The whole Explain & Fix flow in the real workbench (1400×900), with a scripted OpenAI-compatible
// server on 127.0.0.1 streaming slowly enough to watch: recording, round 1 and round 2 streaming,
// the verdict, round 2's step link opening the patched run, the QuickFix menu, the preview, after
// apply, Save and Re-run, Explain & Fix on the now passing test, and the warning before applying an
// unverified fix. Layout is measured: the code keeps ≥ 800 px and its inline values are not clipped;
// the result toast does not cover the verdict. Screenshots: test-output/vscode-ui/tracefix-explain-<n>-<step>.png.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { tracefixReady } from './tracefix-smoke.ui.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const TIMEOUT = { timeout: 60_000 };

/** test/support/openaiServer.ts, bundled for this Node process (the same server the suites use). */
async function openAIServerModule() {
  const outfile = join(tmpdir(), `tracefix-ui-openai-server-${process.pid}.mjs`);
  await build({
    entryPoints: [join(repo, 'test/support/openaiServer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
  });
  return import(pathToFileURL(outfile).href);
}

function answer(rationale, lowInit, summary) {
  return `${rationale}\n\nSummary: ${summary}\n\n\`\`\`python\n# stats.py\ndef spread(values):\n    low = ${lowInit}\n    high = values[0]\n    for v in values:\n        if v < low:\n            low = v\n        if v > high:\n            high = v\n    return high - low\n\`\`\`\n`;
}
const WRONG = answer(
  'The test expects `spread([3, 5, 8]) == 5`. At (2) `low=0`, **below every value**, so:\n\n- the loop never lowers `low`\n- `spread` returns 8 - 0 = 8',
  '1',
  'start low at 1',
);
const GOOD = answer(
  'With the previous fix, (2) low=1 is still below 3, so `spread` returns 7. `low` must start at a value of the list.',
  'values[0]',
  'start low at the first value instead of 0',
);
const SLOW = { chunkSize: 4, chunkDelayMs: 45 };

let server;

function writeSettings(workspace, extra = {}) {
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  const settings = {
    'tracefix.pythonPath': '/usr/bin/python3',
    'python.defaultInterpreterPath': '/usr/bin/python3',
    'tracefix.provider': 'openai',
    'tracefix.baseUrl': server.url,
    'tracefix.model': 'test-model',
    // What is saved when is the flow's business here (code-server saves after a delay by default).
    'files.autoSave': 'off',
    ...extra,
  };
  writeFileSync(join(workspace, '.vscode/settings.json'), JSON.stringify(settings, null, 2));
}

export const options = {
  async prepare(run) {
    const { startOpenAIServer } = await openAIServerModule();
    server = await startOpenAIServer([]);
    writeSettings(run.workspace);
  },
};

/** The Explanation view's document. */
const explanation = (wb) => wb.webviewFrame('#banner');

async function bannerText(wb) {
  return (await (await explanation(wb)).locator('#banner').innerText()).replace(/\s+/g, ' ').trim();
}

async function waitForBanner(wb, pattern, ms = 90_000) {
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    last = await bannerText(wb).catch(() => '');
    if (pattern.test(last)) return last;
    await wb.page.waitForTimeout(150);
  }
  throw new Error(`banner never matched ${pattern}: ${last}`);
}

/**
 * Opens a workspace file with Quick Open, never the read-only patched copy of the same name that a
 * round-2 link opened (Quick Open's history lists it too).
 */
async function openFile(wb, rel) {
  await wb.page.keyboard.press('Escape');
  await wb.page.keyboard.press('Control+P');
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(rel);
  const rows = wb.page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
  await wb.page.waitForTimeout(300); // file search results join the history ones
  const texts = await rows.allInnerTexts();
  // A file search result is always the workspace file; a "recently opened" one may be the copy.
  const fromSearch = texts.findIndex((t) => t.includes(rel) && !t.includes('recently opened'));
  const index = fromSearch >= 0 ? fromSearch : texts.findIndex((t) => t.includes(rel));
  assert.ok(index >= 0, `${rel} in Quick Open: ${JSON.stringify(texts)}`);
  for (let i = 0; i < index; i++) await wb.page.keyboard.press('ArrowDown');
  await wb.page.keyboard.press('Enter');
  await wb.waitForEditor(rel);
}

function overlaps(a, b) {
  return (
    a &&
    b &&
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}

export const checks = [
  {
    name: 'recording: Explain & Fix records the failing test; the code keeps the editor area',
    async run(wb) {
      server.push(
        { kind: 'answer', text: WRONG, ...SLOW },
        { kind: 'answer', text: GOOD, ...SLOW },
      );
      await tracefixReady(wb, 'test_calc.py');
      await wb.goToLine(9, 5);
      await wb.runCommand('Tracefix: Explain & Fix');
      await wb.page
        .locator('.notification-toast', {
          hasText: 'Tracefix: recording test_calc.py::test_spread',
        })
        .waitFor({ state: 'visible', timeout: 30_000 });
      await wb.screenshot('1-recording');
      await wb.waitForAfterText(9, /data = \[3, 5, 8\]/, TIMEOUT);
    },
  },
  {
    name: 'streaming: the Explanation opens beside the code when the model is asked and streams round 1',
    async run(wb) {
      const frame = await explanation(wb);
      await frame
        .locator('section.round.state-running[data-round="1"] .rationale p')
        .first()
        .waitFor({ timeout: 60_000 });
      assert.match(await bannerText(wb), /Round 1 of up to 3: asking the model…/);
      await wb.screenshot('2-streaming-round-1');
      // Layout: one editor column of at least 800 px, and the inline values end inside it.
      const layout = await wb.editorLayout(9);
      assert.ok(layout.width >= 800, `the code column is ${layout.width} px`);
      assert.ok(
        layout.afterRights.length > 0 &&
          layout.afterRights.every((r) => r <= layout.visibleRight + 1),
        JSON.stringify(layout),
      );
      assert.equal(
        await wb.page.locator('.editor-group-container').count(),
        1,
        'no editor column was added',
      );
    },
  },
  {
    name: 'streaming: round 2 streams too, after round 1 is settled (folded once round 2 wins)',
    async run(wb) {
      const frame = await explanation(wb);
      await frame
        .locator('section.round.state-running[data-round="2"] .rationale p')
        .first()
        .waitFor({ timeout: 90_000 });
      assert.match(
        await frame.locator('section.round[data-round="1"] .chip').innerText(),
        /not verified/,
      );
      await wb.screenshot('3-streaming-round-2');
    },
  },
  {
    name: 'verdict: the banner names round 2, the view shows it, the toast does not cover it',
    async run(wb) {
      const text = await waitForBanner(wb, /Verified fix · round 2 of 2/);
      assert.match(text, /test_spread passes with it: start low at the first value instead of 0/);
      const frame = await explanation(wb);
      const banner = await frame.locator('#banner').boundingBox();
      const round2 = await frame.locator('section.round[data-round="2"] .round-head').boundingBox();
      const viewport = wb.page.viewportSize();
      assert.ok(
        round2 &&
          round2.y >= (banner?.y ?? 0) + (banner?.height ?? 0) - 2 &&
          round2.y < viewport.height,
        `round 2 on screen: ${JSON.stringify({ banner, round2 })}`,
      );
      assert.equal(
        await frame.locator('section.round[data-round="1"] details').getAttribute('open'),
        null,
        'round 1 folded',
      );
      assert.ok(await frame.locator('svg.icon-ok').first().isVisible(), 'a check icon');
      const toast = wb.page.locator('.notification-toast', { hasText: 'verified fix' });
      await toast.waitFor({ state: 'visible', timeout: 10_000 });
      assert.ok(!overlaps(await toast.boundingBox(), banner), 'the toast is not over the verdict');
      assert.ok(!overlaps(await toast.boundingBox(), round2), 'nor over the verified round');
      await wb.screenshot('4-verdict-round-2');
    },
  },
  {
    name: 'round-2 link: opens the patched run it cites; the timeline names the recording',
    async run(wb) {
      const frame = await explanation(wb);
      await frame
        .locator('section.round[data-round="2"] a.step', { hasText: '(2)' })
        .first()
        .click();
      const timeline = await wb.webviewFrame('#recording');
      await timeline
        .locator('#note', { hasText: "round 1's fix" })
        .waitFor({ state: 'visible', timeout: 15_000 });
      const picked = await timeline
        .locator('#recording')
        .evaluate((s) => s.options[s.selectedIndex]?.textContent ?? '');
      assert.match(
        picked,
        /^Round 2: with round 1's fix — test_calc\.py::test_spread · fails: AssertionError/,
      );
      assert.match(await timeline.locator('.row.selected').innerText(), /stats\.py:12.*low=1/s);
      assert.deepEqual(
        await wb.waitForAfterText(12, /low = 1/, TIMEOUT),
        ['low = 1'],
        'the patched run on the patched file',
      );
      await wb.screenshot('5-round-2-link-patched-run');
      // Back to the failing run for what follows.
      await timeline.locator('#recording').selectOption({
        label: (await timeline.locator('#recording option').allInnerTexts()).find((l) =>
          l.startsWith('Explain & Fix: the failing run'),
        ),
      });
      await timeline.locator('#note').waitFor({ state: 'hidden', timeout: 10_000 });
    },
  },
  {
    name: 'QuickFix menu and preview: the verified fix is offered on the changed line',
    async run(wb) {
      await openFile(wb, 'stats.py');
      await wb.goToLine(12, 5);
      await wb.page.keyboard.press('Control+.');
      const rows = wb.page.locator('.action-widget .monaco-list-row.action');
      await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
      const labels = (await rows.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').trim());
      assert.ok(
        labels.some((l) =>
          l.includes('Tracefix: apply fix — start low at the first value instead of 0 (verified)'),
        ),
        JSON.stringify(labels),
      );
      await wb.screenshot('6-quickfix-menu');
      const preview = labels.findIndex((l) => l.includes('Tracefix: preview fix'));
      for (let i = 0; i < preview; i++) await wb.page.keyboard.press('ArrowDown');
      await wb.page.keyboard.press('Enter');
      await wb.page
        .locator('.editor-group-container.active .tab.active', { hasText: 'Tracefix fix (round 2' })
        .waitFor({ timeout: 15_000 });
      await wb.page.locator('.monaco-diff-editor').first().waitFor({ timeout: 15_000 });
      await wb.screenshot('7-preview-diff');
    },
  },
  {
    name: 'after apply: the view says applied with Undo and Re-run, the values are marked stale',
    async run(wb) {
      const frame = await explanation(wb);
      await frame.locator('#banner-actions button', { hasText: 'Apply Fix' }).click();
      await waitForBanner(wb, /Round 2's fix applied to stats\.py \(not saved yet\)/);
      assert.deepEqual(await frame.locator('#banner-actions button').allInnerTexts(), [
        'Save and Re-run Test',
        'Undo',
      ]);
      await openFile(wb, 'stats.py');
      const timeline = await wb.webviewFrame('#stale');
      await timeline
        .locator('#stale', { hasText: 'Recorded before stats.py changed' })
        .waitFor({ state: 'visible', timeout: 10_000 });
      await wb.screenshot('8-after-apply');
    },
  },
  {
    name: 'Save and Re-run: one click records the test again and the verdict follows',
    async run(wb) {
      const frame = await explanation(wb);
      await frame.locator('#banner-actions button', { hasText: 'Save and Re-run Test' }).click();
      await waitForBanner(wb, /test_spread passes with round 2's fix applied/);
      await wb.page
        .locator('.notification-toast', { hasText: 'test_spread passes.' })
        .waitFor({ state: 'visible', timeout: 30_000 });
      await openFile(wb, 'test_calc.py');
      await wb.waitForAfterText(9, /data = \[3, 5, 8\]/, TIMEOUT);
      assert.ok(
        !(await wb.afterText(10)).some((t) => t.includes('AssertionError')),
        'no failure painted on the assert any more',
      );
      await wb.screenshot('9-rerun-passes');
    },
  },
  {
    name: 'passing test: Explain & Fix says so as information and keeps the explanation',
    async run(wb) {
      await wb.goToLine(9, 5);
      await wb.runCommand('Tracefix: Explain & Fix');
      const toast = wb.page.locator('.notification-toast', {
        hasText: 'test_spread passes — nothing to fix.',
      });
      await toast.waitFor({ state: 'visible', timeout: 60_000 });
      assert.ok(
        await toast.locator('.codicon-info').first().isVisible(),
        'an information, not an error',
      );
      assert.equal(
        await (await explanation(wb)).locator('section.round').count(),
        2,
        'the last explanation is still there',
      );
      await wb.page.waitForTimeout(600); // the toast slides in
      await wb.screenshot('10-passing-test');
    },
  },
  {
    name: 'an unverified fix: applying it from the QuickFix asks first',
    async run(wb) {
      // Take the fix out (and save that), then ask again with one round and a wrong answer.
      const frame = await explanation(wb);
      await frame.locator('#banner-actions button', { hasText: 'Undo Fix' }).click();
      await waitForBanner(wb, /Verified fix · round 2 of 2/);
      await openFile(wb, 'stats.py');
      await wb.page.keyboard.press('Control+S');
      writeSettings(wb.workspace, { 'tracefix.maxRounds': 1 });
      await wb.page.waitForTimeout(1500);
      server.push({ kind: 'answer', text: WRONG, chunkSize: 40 });
      await openFile(wb, 'test_calc.py');
      await wb.goToLine(9, 5);
      await wb.runCommand('Tracefix: Explain & Fix');
      await waitForBanner(wb, /No verified fix after 1 round/);
      await openFile(wb, 'stats.py');
      await wb.quickFix(12, { column: 5, choose: 'Tracefix: apply fix — start low at 1' });
      const dialog = wb.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ state: 'visible', timeout: 15_000 });
      assert.match(await dialog.innerText(), /Apply round 1's unverified fix\?/);
      await wb.screenshot('11-unverified-warning');
      await dialog.locator('.monaco-button', { hasText: 'Apply Unverified Fix' }).click();
      await waitForBanner(wb, /Round 1's fix applied to stats\.py/);
      assert.match(
        readFileSync(join(wb.workspace, 'stats.py'), 'utf8'),
        /low = 0/,
        'applied in the editor, not saved',
      );
      await wb.screenshot('12-unverified-applied');
      await server.close();
    },
  },
];
