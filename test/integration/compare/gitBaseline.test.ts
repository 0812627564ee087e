// The passing run at another commit, with the real recorder and real git: a regression two calls
// deep in uncommitted (and staged) work against HEAD, the last commit where the test passed found by
// running it, lines added between the commits, and every way there is no passing run to compare
// against. Nothing in the user's repository may change: files, index, stash, worktrees, refs.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obtainBaseline, type BaselineSpec } from '../../../src/core/compare/baseline';
import { compareRuns } from '../../../src/core/compare/compare';
import { UserError } from '../../../src/core/errors';
import type { Trace } from '../../../src/core/trace/model';
import type { RecordOptions } from '../../../src/core/trace/options';
import { recordTrace } from '../../../src/core/trace/record';
import { commitAll, edit, git, makeRepo, snapshot, withHeader, withRegression } from './gitRepo';

const PYTHON = '/usr/bin/python3';
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'tfx-gitbase-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function rec(dir: string, nodeId = 'test_fmt.py::test_format'): RecordOptions {
  return { target: { kind: 'pytest', nodeId }, cwd: dir, python: PYTHON };
}

async function failingRun(dir: string, nodeId?: string): Promise<{ o: RecordOptions; t: Trace }> {
  const o = rec(dir, nodeId);
  return { o, t: await recordTrace(o) };
}

async function baseline(dir: string, spec: BaselineSpec, nodeId?: string) {
  const { o, t } = await failingRun(dir, nodeId);
  const log: string[] = [];
  const got = await obtainBaseline(spec, { rec: o, failing: t, log: (l) => log.push(l) });
  return { failing: t, got, log };
}

/** The one-line error of `spec`; `failing` (recorded elsewhere) when the error comes before it matters. */
async function noBaseline(
  dir: string,
  spec: BaselineSpec,
  nodeId?: string,
  failing?: Trace,
): Promise<string> {
  try {
    if (failing) await obtainBaseline(spec, { rec: rec(dir, nodeId), failing });
    else await baseline(dir, spec, nodeId);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('no-baseline');
    const message = (e as UserError).message;
    expect(message).not.toContain('\n');
    return `${message} ${(e as UserError).hint ?? ''}`.trim();
  }
  throw new Error('expected no baseline');
}

describe('a passing run at another commit', () => {
  it('compares uncommitted and staged work with HEAD, touching nothing', async () => {
    const dir = path.join(tmp, 'wip');
    makeRepo(dir);
    // Staged: the test file gains a comment; unstaged: the regression in the helper.
    edit(dir, 'test_fmt.py', (t) => `# formatting tests\n${t}`);
    git(dir, 'add', 'test_fmt.py');
    edit(dir, 'fmt.py', withRegression);
    writeFileSync(path.join(dir, 'notes.txt'), 'untracked\n');
    git(dir, 'stash', 'list');
    const before = snapshot(dir);
    // The export goes to a temporary folder of its own, removed afterwards.
    const temp = mkdtempSync(path.join(tmp, 'tmpdir-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    let result;
    try {
      result = await baseline(dir, { kind: 'git', ref: 'HEAD' });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    const { failing, got } = result;
    expect(readdirSync(temp).filter((n) => n.startsWith('tfx-base-'))).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
    const b = got.baseline;
    expect(b?.description).toMatch(/^the same test at HEAD \([0-9a-f]{7}\), where it passes$/);
    expect(b?.labels.bShort).toBe('at HEAD');
    const cmp = compareRuns(failing, b!.trace);
    const [first, ...next] = cmp.divergences;
    // The added line runs only now; then the helper returns another value, up to the test.
    expect(first).toMatchObject({
      kind: 'flow',
      a: { file: 'fmt.py', line: 3, source: 'i = i + 1', call: '_afterpoint#1' },
      onlyA: 1,
      onlyB: 0,
      cause: { kind: 'changed-line' },
    });
    expect(first?.a?.path).toEqual([
      'test_format#1',
      'format_number#1',
      'width#1',
      '_afterpoint#1',
    ]);
    expect(next[0]).toMatchObject({
      kind: 'value',
      a: { line: 4, call: '_afterpoint#1' },
      b: { line: 3 },
      values: [{ name: '__return__', a: '2', b: '3' }],
      cause: { kind: 'after-change', function: '_afterpoint' },
    });
    expect(next[1]).toMatchObject({ values: [{ name: 'w', a: '2', b: '3' }] });
    expect(cmp.changes).toMatchObject([
      { path: 'fmt.py', added: 1, removed: 0 },
      { path: 'test_fmt.py', added: 1, removed: 0 },
    ]);
    // The staged comment in the test file moved its lines: the test's steps still align.
    const inTest = cmp.divergences.filter((d) => d.kind === 'flow' && d.a?.file === 'test_fmt.py');
    expect(inTest.map((d) => d.a?.kind)).toEqual(['exception']);
  });

  it('finds the last commit where the test passed, across lines added since', async () => {
    const dir = path.join(tmp, 'history');
    makeRepo(dir);
    edit(dir, 'fmt.py', withHeader);
    commitAll(dir, 'two: a header');
    edit(dir, 'fmt.py', withRegression);
    commitAll(dir, 'three: the regression');
    for (let k = 0; k < 4; k++) {
      edit(dir, 'test_fmt.py', (t) => `${t}\n# pad ${k}\n`);
      commitAll(dir, `pad ${k}`);
    }
    const before = snapshot(dir);
    const { failing, got, log } = await baseline(dir, { kind: 'last-pass', ref: 'HEAD' });
    expect(snapshot(dir)).toEqual(before);
    const two = git(dir, 'rev-parse', '--short=7', 'HEAD~5').trim();
    expect(got.baseline?.description).toContain(
      `at ${two} (the last commit where it passed, 5 before HEAD`,
    );
    // HEAD, then 1, 2, 4 and 6 commits back (the oldest: it passes), then 5 back by bisection.
    expect(log.filter((l) => l.startsWith('running'))).toHaveLength(6);
    const cmp = compareRuns(failing, got.baseline!.trace);
    expect(cmp.divergences[0]).toMatchObject({
      kind: 'flow',
      a: { line: 9, source: 'i = i + 1' },
    });
    // The header's six lines did not break the alignment: every other step of the helper matched.
    expect(cmp.divergences[1]).toMatchObject({ a: { line: 10 }, b: { line: 9 } });
  });

  it('says so in one line when there is no passing run at a commit', async () => {
    const repo = path.join(tmp, 'errors');
    makeRepo(repo);
    edit(repo, 'fmt.py', withRegression);
    const { t } = await failingRun(repo);
    expect(await noBaseline(repo, { kind: 'git', ref: 'v9.9' }, undefined, t)).toMatch(
      /^No commit v9.9 in the git repository/,
    );
    const plain = path.join(tmp, 'plain');
    makeRepo(plain);
    rmSync(path.join(plain, '.git'), { recursive: true, force: true });
    expect(await noBaseline(plain, { kind: 'git', ref: 'HEAD' }, undefined, t)).toMatch(
      /is not in a git repository/,
    );
    // A test only the working tree has.
    edit(
      repo,
      'test_fmt.py',
      (t) => `${t}\n\ndef test_new():\n    assert format_number(1.25) == "1.25 (2)"\n`,
    );
    expect(await noBaseline(repo, { kind: 'git', ref: 'HEAD' }, 'test_fmt.py::test_new')).toMatch(
      /^test_fmt.py::test_new does not exist at HEAD \([0-9a-f]{7}\): no passing run to compare against\.$/,
    );
    // Committed: it fails at HEAD as well.
    commitAll(repo, 'regression');
    expect(await noBaseline(repo, { kind: 'git', ref: 'HEAD' })).toMatch(
      /^test_fmt.py::test_format at HEAD \([0-9a-f]{7}\) fails too: no passing run to compare against\.$/,
    );

    const shallow = path.join(tmp, 'shallow');
    git(tmp, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow);
    expect(await noBaseline(shallow, { kind: 'git', ref: 'HEAD~1' }, undefined, t)).toMatch(
      /^No commit HEAD~1 in this shallow clone .* git fetch --unshallow/,
    );
    expect(await noBaseline(shallow, { kind: 'last-pass', ref: 'HEAD' })).toMatch(
      /fails at HEAD \([0-9a-f]{7}\), the oldest commit there is: no passing run to compare against\. This is a shallow clone/,
    );
  });

  it('leaves the choice empty, with its reasons, when nothing applies automatically', async () => {
    const dir = path.join(tmp, 'auto');
    makeRepo(dir);
    edit(dir, 'fmt.py', withRegression);
    commitAll(dir, 'regression');
    const { got } = await baseline(dir, { kind: 'auto' });
    expect(got.baseline).toBeUndefined();
    expect(got.notes[0]).toMatch(/^the code that ran is unchanged since HEAD/);
  });
});
