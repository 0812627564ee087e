// The comparison from the command line, as real processes: `tracefix diff` (text, --json, exit
// codes; two runs that differ only in object numbers and clock readings do not diverge) and
// `tracefix fix --prompt-only` with a passing run at HEAD (the prompt's First divergence section and
// the compare_runs tool), automatic by default in a git repository with uncommitted work.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../cliRun';
import { edit, makeRepo, withRegression } from './gitRepo';

let cli: { cli: string; dispose: () => void };
let tmp: string;

beforeAll(async () => {
  cli = await buildCli();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-compare-'));
});
afterAll(() => {
  cli.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

const STAMP = `import datetime
import time
import uuid


class Node:
    def __init__(self, v):
        self.v = v


def stamp(items):
    made = time.time()
    when = datetime.datetime.now()
    at = when.isoformat()
    key = uuid.uuid4()
    nodes = [Node(i) for i in items]
    return {"made": made, "at": at, "key": key, "n": len(nodes), "first": nodes[0]}


def test_stamp():
    r = stamp([1, 2])
    assert r["n"] == 2
`;

const trace = (cwd: string, out: string, ...target: string[]) =>
  runCli(cli.cli, ['trace', ...target, '--format', 'json', '--out', out], cwd, {});

describe('tracefix diff', () => {
  it('finds no divergence between runs that differ only in object numbers and clock readings', async () => {
    const dir = path.join(tmp, 'stamp');
    makeRepo(dir);
    writeFileSync(path.join(dir, 'test_stamp.py'), STAMP);
    const a = path.join(tmp, 'stamp-a.json');
    const b = path.join(tmp, 'stamp-b.json');
    expect((await trace(dir, a, '--test', 'test_stamp.py::test_stamp')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await trace(dir, b, '--test', 'test_stamp.py::test_stamp')).code).toBe(0);
    // As if another object had been shown first in run B: every object number shifts by 4.
    const shifted = readFileSync(b, 'utf8').replace(
      /Node#(\d+)/g,
      (_m, n: string) => `Node#${Number(n) + 4}`,
    );
    expect(shifted).not.toBe(readFileSync(b, 'utf8'));
    writeFileSync(b, shifted);
    const r = await runCli(cli.cli, ['diff', a, b], tmp, {});
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'No divergence: the two runs took the same steps with the same values.',
    );
    expect(r.stdout).toMatch(
      /Ignored as differences every two runs have: .*object numbers \(#n\).*clock readings/,
    );
    expect(r.stdout).toMatch(/random UUIDs/);
    expect(r.code).toBe(0);
  });

  it('names the first divergence and the changed lines, as text and as JSON', async () => {
    const dir = path.join(tmp, 'fmt');
    makeRepo(dir);
    const good = path.join(tmp, 'good.json');
    const bad = path.join(tmp, 'bad.json');
    expect((await trace(dir, good, '--test', 'test_fmt.py::test_format')).code).toBe(0);
    edit(dir, 'fmt.py', withRegression);
    expect((await trace(dir, bad, '--test', 'test_fmt.py::test_format')).code).toBe(0);
    const text = await runCli(cli.cli, ['diff', bad, good, '--next', '2'], tmp, {});
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'step (5) at fmt.py:3 in _afterpoint#1 `i = i + 1` — only run A (bad.json) took it',
    );
    expect(text.stdout).toContain('__return__: 2 (A) vs 3 (B)');
    expect(text.stdout).toContain(
      'call path (both): test_format#1 → format_number#1 → width#1 → _afterpoint#1',
    );
    expect(text.stdout).toContain('+    i = i + 1');
    const json = await runCli(cli.cli, ['diff', bad, good, '--json'], tmp, {});
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as {
      divergences: { kind: string; a?: { line: number; path: string[] }; values: unknown[] }[];
      files: { a: string; b: string };
      a: { passed: boolean };
      b: { passed: boolean };
      changes: { path: string }[];
    };
    expect(out.files).toEqual({ a: bad, b: good });
    expect([out.a.passed, out.b.passed]).toEqual([false, true]);
    expect(out.divergences[0]).toMatchObject({ kind: 'flow', a: { line: 3 } });
    expect(out.divergences[1]).toMatchObject({
      kind: 'value',
      values: [{ name: '__return__', a: '2', b: '3' }],
    });
    expect(out.changes.map((c) => c.path)).toEqual(['fmt.py']);
    const usage = await runCli(cli.cli, ['diff', bad], tmp, {});
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
    // Its numbers follow the CLI's one rule (args.ts).
    const range = await runCli(cli.cli, ['diff', bad, good, '--next', '51'], tmp, {});
    expect(range.code).toBe(2);
    expect(range.stderr).toBe(
      'tracefix: --next must be a whole number of divergences from 0 to 50 (got 51).\n',
    );
    const step = await runCli(cli.cli, ['diff', bad, good, '--from-step', '-1'], tmp, {});
    expect(step.stderr).toBe(
      'tracefix: --from-step must be a whole number of steps from 0 to 100000000 (got -1).\n',
    );
  });
});

describe('tracefix fix with a passing run', () => {
  it('puts the first divergence from HEAD in the prompt, automatically for uncommitted work', async () => {
    const dir = path.join(tmp, 'wip');
    makeRepo(dir);
    edit(dir, 'fmt.py', withRegression);
    const r = await runCli(
      cli.cli,
      ['fix', '--test', 'test_fmt.py::test_format', '--prompt-only'],
      dir,
      {},
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /tracefix: recording test_fmt.py::test_format at HEAD \([0-9a-f]{7}\)…/,
    );
    expect(r.stderr).toMatch(
      /tracefix: compared with the same test at HEAD \([0-9a-f]{7}\), where it passes: first divergence at step \(5\)/,
    );
    const section = r.stdout.slice(r.stdout.indexOf('## First divergence from a passing run'));
    expect(section).toContain('## First divergence from a passing run');
    expect(section).toMatch(
      /The failing run was compared with the same test at HEAD \([0-9a-f]{7}\), where it passes\./,
    );
    expect(section).toContain('__return__: 2 (now) vs 3 (at HEAD)');
    expect(section).toContain(
      'call path (both): test_format#1 → format_number#1 → width#1 → _afterpoint#1',
    );
    expect(section).toContain('+    i = i + 1');
    expect(r.stdout).toMatch(/tools offered with it: .*compare_runs/);
    // The section comes after the trace, before the closing request.
    expect(r.stdout.indexOf('## Execution trace of the failing run')).toBeLessThan(
      r.stdout.indexOf('## First divergence'),
    );

    const none = await runCli(
      cli.cli,
      ['fix', '--test', 'test_fmt.py::test_format', '--prompt-only', '--no-baseline'],
      dir,
      {},
    );
    expect(none.stdout).not.toContain('## First divergence');
    expect(none.stdout).not.toContain('compare_runs');
    const bad = await runCli(
      cli.cli,
      ['fix', '--test', 'test_fmt.py::test_format', '--prompt-only', '--baseline', 'yesterday'],
      dir,
      {},
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'tracefix: --baseline must be one of auto, none, git, git:REF, last-pass, last-pass:REF, sibling, test:NODEID or trace:FILE (got yesterday).\n',
    );
    const missing = await runCli(
      cli.cli,
      ['fix', '--test', 'test_fmt.py::test_format', '--prompt-only', '--baseline', 'git:nope'],
      dir,
      {},
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/tracefix: No commit nope in the git repository at .*\n$/);
  });
});
