// Tracefix in the real workbench UI: Explain & Fix from the palette, inline text read from the DOM,
// the hover, the timeline webview driven with the keyboard, and Cancel on the progress notification.
// Screenshots land in test-output/vscode-ui/tracefix-smoke-*.png.
import assert from 'node:assert/strict';

const TIMEOUT = { timeout: 60_000 };

/** The timeline webview's document (a view in the panel; VS Code nests it in two iframes). */
function timelineFrame(wb) {
  return wb.webviewFrame('#steps');
}

/**
 * Opens a Python file and waits for Tracefix's Explain & Fix button in the editor title: proof that
 * the workbench knows the extension's contributions (the palette lists only what it knew when typed).
 */
export async function tracefixReady(wb, file = 'collatz.py') {
  await wb.quickOpen(file);
  await wb.page
    .locator('.editor-actions .action-label[aria-label^="Explain & Fix"]')
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
}

export const checks = [
  {
    name: 'Explain & Fix from the palette paints the failing test',
    async run(wb) {
      await tracefixReady(wb, 'test_calc.py');
      await wb.goToLine(9, 5);
      await wb.runCommand('Tracefix: Explain & Fix');
      assert.deepEqual(await wb.waitForAfterText(9, /data = \[3, 5, 8\]/, TIMEOUT), [
        'data = [3, 5, 8]',
      ]);
      const exc = await wb.waitForAfterText(10, /✗ AssertionError/, TIMEOUT);
      assert.match(exc.join(' '), /^✗ AssertionError: assert 8 == 5/);
      await wb.screenshot('explain-and-fix');
    },
  },
  {
    name: 'the module under test shows loop values inline and in the hover',
    async run(wb) {
      await wb.quickOpen('stats.py');
      assert.deepEqual(await wb.waitForAfterText(14, /v = 3 → 5 → 8/, TIMEOUT), ['v = 3 → 5 → 8']);
      assert.deepEqual(await wb.afterText(18), ['high = 5 → 8']);
      assert.deepEqual(await wb.afterText(19), ['__return__ = 8']);
      assert.deepEqual(await wb.afterText(16), [], '`low = v` never ran: no text');
      const hover = await wb.hoverLine(14);
      assert.match(hover, /Tracefix · line 14 · ran 4× in spread/);
      for (const v of ['v = 3', 'v = 5', 'v = 8']) assert.ok(hover.includes(v), `${v} in ${hover}`);
      assert.match(hover, /Show step in timeline/);
      assert.match(hover, /Replay from this step/);
      await wb.screenshot('hover');
      await wb.page.keyboard.press('Escape');
    },
  },
  {
    name: 'the timeline lists the steps and follows the arrow keys',
    async run(wb) {
      await wb.runCommand('Tracefix: Show Timeline');
      const frame = await timelineFrame(wb);
      const selected = frame.locator('.row.selected');
      await selected.waitFor({ state: 'visible', timeout: 30_000 });
      assert.match(await selected.innerText(), /test_calc\.py:10/);
      // The selected step is scrolled into the list's view.
      const [rowBox, listBox] = [
        await selected.boundingBox(),
        await frame.locator('#steps').boundingBox(),
      ];
      assert.ok(
        rowBox &&
          listBox &&
          rowBox.y >= listBox.y &&
          rowBox.y + rowBox.height <= listBox.y + listBox.height + 1,
        JSON.stringify({ rowBox, listBox }),
      );
      assert.match(await frame.locator('#detail').innerText(), /AssertionError/);
      // Click the first step of the loop, then walk with → .
      await frame.locator('.row', { hasText: 'v=3' }).first().click();
      assert.match(await frame.locator('.row.selected').innerText(), /stats\.py:14.*v=3/s);
      await wb.page.keyboard.press('ArrowRight');
      await frame.locator('.row.selected', { hasText: 'stats.py:15' }).waitFor({ timeout: 10_000 });
      // The row moves at once; the step's locals come back from the extension.
      await frame.locator('#detail h2', { hasText: 'stats.py:15' }).waitFor({ timeout: 10_000 });
      const detail = await frame.locator('#detail').innerText();
      assert.match(detail, /Locals/);
      assert.match(detail, /values\s+\[3, 5, 8\]/);
      assert.match(detail, /low\s+0/);
      await wb.screenshot('timeline');
    },
  },
  {
    name: 'Choose Target… pins the test at the cursor for runs from any file',
    async run(wb) {
      await wb.quickOpen('test_calc.py');
      await wb.goToLine(5, 5);
      await wb.runCommand('Tracefix: Choose Target…');
      const rows = wb.page.locator('.quick-input-widget .monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
      const labels = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      assert.match(labels[0] ?? '', /Automatic/);
      assert.ok(
        labels.some((l) => l.includes('test_calc.py::test_mean')),
        JSON.stringify(labels),
      );
      assert.ok(
        labels.some((l) => l.includes('Report script')),
        'launch.json configurations are offered',
      );
      await wb.screenshot('choose-target');
      await wb.page.keyboard.press('ArrowDown');
      await wb.page.keyboard.press('Enter');
      const status = wb.page.locator('.statusbar-item', { hasText: 'test_calc.py::test_mean' });
      await status.waitFor({ state: 'visible', timeout: 10_000 });
      // From another file, Trace Only now runs the pinned test.
      await wb.quickOpen('collatz.py');
      await wb.runCommand('Tracefix: Trace Only');
      await wb.page
        .locator('.statusbar', { hasText: /Tracefix: \d+ events · test passed/ })
        .waitFor({ timeout: 60_000 });
      await wb.quickOpen('stats.py');
      assert.deepEqual(
        await wb.waitForAfterText(7, /total = 2 → 6 → 12/, TIMEOUT),
        ['total = 2 → 6 → 12'],
        'mean() ran for test_mean',
      );
      // Back to automatic.
      await wb.runCommand('Tracefix: Choose Target…');
      await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
      await wb.page.keyboard.press('Enter');
      await status.waitFor({ state: 'hidden', timeout: 10_000 });
    },
  },
  {
    name: 'Set Model API Key stores the key from a password box',
    async run(wb) {
      await tracefixReady(wb);
      await wb.runCommand('Tracefix: Set Model API Key');
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      assert.equal(await input.getAttribute('type'), 'password');
      await input.fill('sk-test-not-a-real-key');
      await wb.page.keyboard.press('Enter');
      await wb.page
        .locator('.notification-toast', { hasText: 'model API key is stored in secret storage' })
        .waitFor({ timeout: 10_000 });
    },
  },
  {
    name: 'Cancel on the progress notification stops a recording',
    async run(wb) {
      await tracefixReady(wb, 'spin_forever.py');
      await wb.runCommand('Tracefix: Trace Only');
      const toast = wb.page.locator('.notification-toast', {
        hasText: 'Tracefix: recording spin_forever.py',
      });
      await toast.waitFor({ state: 'visible', timeout: 30_000 });
      await wb.screenshot('recording');
      await toast.hover();
      await toast
        .locator(
          '.codicon-notifications-clear, a.action-label[aria-label*="Cancel"], .monaco-button',
          { hasText: /Cancel/ },
        )
        .first()
        .click();
      await toast.waitFor({ state: 'hidden', timeout: 30_000 });
      await wb.page
        .locator('.statusbar', { hasText: 'Tracefix: recording cancelled' })
        .waitFor({ timeout: 10_000 });
      assert.equal((await wb.notifications()).filter((n) => /failed|error/i.test(n)).length, 0);
      await wb.screenshot('cancelled');
    },
  },
];
