// UI smoke of the harness itself: opens a real file of the fixture workspace, and proves the
// Workbench helpers (palette command, ::after text, hover, quick fix) against a fixture extension
// whose decorations are known. Tracefix's own UI checks live in sibling *.ui.mjs files.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const options = {
  extraExtensions: [join(dirname(fileURLToPath(import.meta.url)), 'fixture-extension')],
};

/** Whitespace-insensitive line comparison: Monaco renders tabs and spaces as runs of U+00A0. */
const squash = (s) => s.replace(/\s+/g, ' ').trim();

function firstPythonFile(root) {
  const rel = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter(
      (f) =>
        f.endsWith('.py') && !f.split(sep).some((p) => p.startsWith('.') || p === '__pycache__'),
    )
    .sort((a, b) => a.split(sep).length - b.split(sep).length || a.localeCompare(b))[0];
  assert.ok(rel, `no .py file in ${root}`);
  return rel.split(sep).join('/');
}

export const checks = [
  {
    name: 'Quick Open shows a workspace .py file in the editor',
    async run(wb) {
      const rel = firstPythonFile(wb.workspace);
      await wb.quickOpen(rel);
      const expected = readFileSync(join(wb.workspace, rel), 'utf8')
        .split('\n')
        .slice(0, 15)
        .map(squash);
      const rendered = (await wb.editorText()).split('\n').map(squash);
      assert.ok(rendered.length > 1, 'the editor rendered lines');
      const n = Math.min(expected.length, rendered.length);
      assert.deepEqual(rendered.slice(0, n), expected.slice(0, n), `first ${n} lines of ${rel}`);
      await wb.screenshot('quick-open');
    },
  },
  {
    name: 'a palette command paints an ::after decoration that the helper reads',
    async run(wb) {
      await wb.runCommand('Tracefix UI Fixture: Open Decorated Sample');
      await wb.waitForEditor('Untitled-1');
      assert.deepEqual(await wb.waitForAfterText(2, /total = 42/), ['total = 42']);
      assert.deepEqual(await wb.afterText(3), [], 'line 3 is not decorated');
      await wb.screenshot('decorated');
    },
  },
  {
    name: 'hovering the decorated line shows its hover message',
    async run(wb) {
      const text = await wb.hoverLine(2);
      assert.match(text, /fixture hover: total was 42/);
      await wb.screenshot('hover');
    },
  },
  {
    name: 'Ctrl+. lists and applies the quick fix',
    async run(wb) {
      const labels = await wb.quickFix(3, { choose: 'Fixture fix' });
      assert.ok(labels.includes('Fixture fix: append comment'), JSON.stringify(labels));
      await wb.page.waitForTimeout(300);
      const lines = (await wb.editorText()).split('\n');
      assert.equal(lines[2], 'print(total)  # fixed');
      await wb.screenshot('quick-fix-applied');
    },
  },
];
