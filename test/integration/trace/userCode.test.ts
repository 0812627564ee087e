// What is the user's code, whatever the root: never the interpreter's standard library (a pyenv
// Python lives under the home folder), installed libraries, debugpy (wherever it is loaded from) or
// Tracefix's own folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findInterpreter } from '../../../src/core/dap/python';
import { recordTrace } from '../../../src/core/trace/record';
import { matrixPythons } from '../../../scripts/setup/pythons.mjs';

const REPO = path.resolve(__dirname, '../../..');
const BUNDLED = path.join(REPO, 'bundled', 'libs');
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const SCRIPT = [
  'import queue',
  'import textwrap',
  'import threading',
  '',
  '',
  'def work(q):',
  '    q.put(textwrap.shorten("a few words to shorten here", width=12))',
  '',
  '',
  'q = queue.Queue()',
  't = threading.Thread(target=work, args=(q,))',
  't.start()',
  't.join()',
  'got = q.get()',
  '',
].join('\n');

/** The interpreter the tests record with when its stdlib lies under the home folder (a pyenv
 * Python: the case of the issue), else a pyenv Python of the matrix, else the default. */
async function homeInterpreter(): Promise<{ python?: string; debugpyPath?: string }> {
  const given = process.env.TRACEFIX_TEST_PYTHON;
  if (given?.startsWith(homedir())) return { python: given, debugpyPath: BUNDLED };
  const pyenv = matrixPythons().find((p) => p.python.startsWith(homedir()));
  if (pyenv) return { python: pyenv.python, debugpyPath: BUNDLED };
  const found = await findInterpreter({});
  return { python: found.python };
}

describe('user code, whatever the root', () => {
  it('a script under the home folder, recorded with the home folder as root: no stdlib, debugpy or Tracefix file is recorded', async () => {
    const base = path.join(homedir(), '.cache', 'tracefix');
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(path.join(base, 'home-root-'));
    made.push(dir);
    writeFileSync(path.join(dir, 'worker.py'), SCRIPT);
    const interp = await homeInterpreter();
    const t = await recordTrace({
      target: { kind: 'script', path: path.join(dir, 'worker.py') },
      cwd: dir,
      root: homedir(),
      ...interp,
    });
    expect(t.outcome.status).toBe('completed');
    const rel = path.relative(homedir(), path.join(dir, 'worker.py'));
    expect(t.sources.map((s) => s.path)).toEqual([rel]);
    const functions = new Set(t.events.map((e) => `${e.file}:${e.function}`));
    expect([...functions].sort()).toEqual([`${rel}:<module>`, `${rel}:work`]);
    expect(t.events.find((e) => e.function === '<module>' && e.changed.got)?.changed.got).toBe(
      "'a few [...]'",
    );
  });

  it('recorded from inside a checkout that holds a bundled debugpy: debugpy is not user code', async () => {
    mkdirSync(path.join(REPO, 'test-output'), { recursive: true });
    const dir = mkdtempSync(path.join(REPO, 'test-output', 'user-code-'));
    made.push(dir);
    writeFileSync(
      path.join(dir, 'tiny.py'),
      'def add(a, b):\n    return a + b\n\n\nx = add(1, 2)\n',
    );
    // An interpreter without a debugpy of its own: the bundled one (under the root) is loaded.
    const interp = await homeInterpreter();
    const t = await recordTrace({
      target: { kind: 'script', path: path.join(dir, 'tiny.py') },
      cwd: REPO,
      root: REPO,
      ...interp,
    });
    expect(t.outcome.status).toBe('completed');
    expect(t.sources.map((s) => s.path)).toEqual([path.relative(REPO, path.join(dir, 'tiny.py'))]);
  });
});
