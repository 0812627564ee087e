// No process of a traced program survives its recording: children started in a new session, a
// daemon that double-forks out of its parent, one whose environment was wiped — after a normal end,
// a timeout and a cancel.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/core/errors';
import { processesOf } from '../../../src/core/dap/processTree';
import { recordTrace } from '../../../src/core/trace/record';
import { processesMentioning } from '../../support/python';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tfx-leftovers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A program that starts three long-lived escapees tagged `tag`, then does `tail`. */
function program(tag: string, tail: string): string {
  const daemon = `import os, sys, time\\nif os.fork() == 0:\\n    os.setsid()\\n    time.sleep(120)\\n`;
  return `import os, subprocess, sys, time
SLEEP = "import time; time.sleep(120)"
# A child in its own session and process group.
subprocess.Popen([sys.executable, "-c", SLEEP, "${tag}-session"], start_new_session=True)
# A daemon: its parent exits at once, the grandchild (new session) is orphaned.
subprocess.run([sys.executable, "-c", "${daemon}", "${tag}-daemon"])
# The same with a wiped environment (no marker: only the subreaper keeps it).
subprocess.run([sys.executable, "-c", "${daemon}", "${tag}-bare"], env={"PATH": os.environ.get("PATH", "")})
x = 1
${tail}
`;
}

async function noneLeft(tag: string): Promise<void> {
  for (let i = 0; i < 30 && processesMentioning(tag).length > 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect(processesMentioning(tag)).toEqual([]);
}

describe('no process of a traced program survives the trace', () => {
  it('after the program ends', async () => {
    writeFileSync(path.join(dir, 'ends.py'), program('tfx-left-ends', 'print("done")'));
    const t = await recordTrace({ target: { kind: 'script', path: 'ends.py' }, cwd: dir });
    expect(t.outcome.status).toBe('completed');
    expect(t.output.map((o) => o.text).join('')).toContain('done');
    await noneLeft('tfx-left-ends');
  });

  it('after a timeout', async () => {
    writeFileSync(path.join(dir, 'hangs.py'), program('tfx-left-hangs', 'time.sleep(60)'));
    const t = await recordTrace({
      target: { kind: 'script', path: 'hangs.py' },
      cwd: dir,
      limits: { timeoutMs: 8000 },
    });
    expect(t.outcome.status).toBe('timeout');
    await noneLeft('tfx-left-hangs');
  });

  it('after a cancel', async () => {
    writeFileSync(path.join(dir, 'cancel.py'), program('tfx-left-cancel', 'time.sleep(60)'));
    const ac = new AbortController();
    const p = recordTrace({
      target: { kind: 'script', path: 'cancel.py' },
      cwd: dir,
      limits: { timeoutMs: 30_000 },
      signal: ac.signal,
    });
    // Cancel once the escapees exist.
    for (let i = 0; i < 200 && processesMentioning('tfx-left-cancel-bare').length === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    await noneLeft('tfx-left-cancel');
  });

  it('the scan never finds this process or its parent', () => {
    const own = processesOf(process.ppid, undefined);
    expect(own).not.toContain(process.pid);
    expect(own).not.toContain(process.ppid);
  });
});
