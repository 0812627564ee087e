// Restricted Mode (Workspace Trust on, folder not trusted): Tracefix runs nothing and says why.
import assert from 'node:assert/strict';
import { tracefixReady } from './tracefix-smoke.ui.mjs';

export const options = { workspaceTrust: true };

export const checks = [
  {
    name: 'Trace Only in an untrusted workspace explains that nothing runs',
    async run(wb) {
      await tracefixReady(wb, 'collatz.py');
      await wb.runCommand('Tracefix: Trace Only');
      const toast = wb.page.locator('.notification-toast', { hasText: 'Restricted Mode' });
      await toast.waitFor({ state: 'visible', timeout: 30_000 });
      const text = (await wb.notifications()).join('\n');
      assert.match(text, /Tracefix runs your program to record it/);
      assert.match(text, /Trust the workspace to trace/);
      assert.ok(
        await toast.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).isVisible(),
      );
      assert.deepEqual(await wb.afterText(2), [], 'nothing painted');
      await wb.screenshot('restricted');
    },
  },
];
