// Compare with… in the real workbench: the workspace is made a git repository whose HEAD has the
// right `spread` (the bug is uncommitted); Trace Only records the failing test, "Tracefix: Compare
// with…" → HEAD records the passing run, and the timeline shows both runs aligned (the passing run's
// values beside ours, the first divergence outlined) while the editor marks the divergent line with
// the passing run's value. Screenshots land in test-output/vscode-ui/tracefix-compare-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tracefixReady } from './tracefix-smoke.ui.mjs';

const TIMEOUT = { timeout: 90_000 };

export const options = {
  prepare(run) {
    const dir = run.workspace;
    const git = (...args) =>
      execFileSync('git', args, {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
        },
      });
    const stats = join(dir, 'stats.py');
    const buggy = readFileSync(stats, 'utf8');
    writeFileSync(stats, buggy.replace('    low = 0\n', '    low = values[0]\n'));
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'spread works');
    writeFileSync(stats, buggy);
  },
};

export const checks = [
  {
    name: 'Compare with… HEAD shows both runs aligned in the timeline and marks the divergent line',
    async run(wb) {
      await tracefixReady(wb, 'test_calc.py');
      await wb.goToLine(9, 5);
      await wb.runCommand('Tracefix: Trace Only');
      await wb.waitForAfterText(10, /✗ AssertionError/, TIMEOUT);
      await wb.runCommand('Tracefix: Compare with…');
      const head = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'HEAD' });
      await head.first().waitFor({ state: 'visible', timeout: 15_000 });
      await wb.page.keyboard.press('Enter');
      const frame = await wb.webviewFrame('#compare', TIMEOUT);
      const bar = frame.locator('#compare');
      await bar.waitFor({ state: 'visible', timeout: 90_000 });
      assert.match(
        await bar.innerText(),
        /Compared with the same test at HEAD \([0-9a-f]{7}\), where it passes/,
      );
      assert.match(
        await bar.innerText(),
        /First divergence: step \(\d+\) at stats\.py:12 in spread#1 `low = 0`/,
      );
      // The first divergence is selected; the passing run's value stands beside ours.
      const first = frame.locator('.row.first');
      await first.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await first.innerText(), /stats\.py:12[\s\S]*low=0[\s\S]*≠ low=3/);
      assert.match((await first.getAttribute('title')) ?? '', /at HEAD: low=3/);
      assert.ok((await frame.locator('.row.mark-value').count()) >= 2);
      assert.ok((await frame.locator('.row.mark-only-b').count()) >= 1);
      // The editor: the passing run's value after our own on the divergent line.
      await wb.quickOpen('stats.py');
      const after = await wb.waitForAfterText(12, /≠ at HEAD: low=3/, TIMEOUT);
      // Our own value first, then the passing run's.
      assert.deepEqual(after, ['low = 0    ≠ at HEAD: low=3']);
      await wb.screenshot('aligned-timeline');
      // The timeline alone, with room: the two runs aligned row by row.
      await wb.runCommand('View: Toggle Maximized Panel');
      await first.waitFor({ state: 'visible', timeout: 10_000 });
      await wb.screenshot('aligned-timeline-maximized');
      await wb.runCommand('View: Toggle Maximized Panel');
    },
  },
];
