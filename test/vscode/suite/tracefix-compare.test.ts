// Where the failing run parts from a passing one, in a real VS Code: the workspace becomes a git
// repository at test time whose HEAD has the right `spread` (the working tree has the bug, not
// committed). Compare with… HEAD records the passing run in a temporary export; the timeline shows
// both runs aligned with the first divergence selected, the editor marks the divergent lines with
// the passing run's values, compare_runs answers chat, Stop Comparing ends it; Explain & Fix with
// `tracefix.baseline: git` puts the First divergence section in the prompt and the comparison on screen.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';
import {
  assertOk,
  closeAll,
  openAt,
  run,
  setSetting,
  spreadAnswer,
  tracefix,
  waitFor,
  workspaceDir,
  wsUri,
} from './tracefixApi';

const git = (...args: string[]): string =>
  execFileSync('git', args, {
    cwd: workspaceDir(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });

/** HEAD: `spread` right; the working tree: the fixture's bug (`low = 0`), uncommitted. */
function makeRepo(): void {
  const stats = path.join(workspaceDir(), 'stats.py');
  const buggy = readFileSync(stats, 'utf8');
  writeFileSync(stats, buggy.replace('    low = 0\n', '    low = values[0]\n'));
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'spread works');
  writeFileSync(stats, buggy);
}

describe('tracefix: compare with a passing run', function () {
  this.timeout(180_000);
  const stats = () => wsUri('stats.py');

  before(async () => {
    await closeAll();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    makeRepo();
  });
  after(async () => {
    await closeAll();
    await vscode.commands.executeCommand('tracefix.stopComparing');
    await vscode.commands.executeCommand('tracefix.clearTrace');
    // Other suites run Explain & Fix here: not a repository for them.
    rmSync(path.join(workspaceDir(), '.git'), { recursive: true, force: true });
  });

  it('Compare with… HEAD shows both runs aligned and the divergent lines marked', async () => {
    const api = await tracefix();
    await openAt('test_calc.py', 9);
    assertOk(await run('tracefix.traceOnly'));
    const status = git('status', '--porcelain');
    await vscode.commands.executeCommand('tracefix.compareWith', { baseline: 'git' });
    // The repository is as it was: the bug still uncommitted, nothing staged.
    assert.equal(git('status', '--porcelain'), status);
    const t = api.timeline();
    assert.ok(t.compare, 'the timeline is in compare mode');
    assert.match(
      t.compare.title,
      /^Compared with the same test at HEAD \([0-9a-f]{7}\), where it passes$/,
    );
    assert.match(
      t.compare.summary,
      /^First divergence: step \(\d+\) at stats\.py:12 in spread#1 `low = 0` — in the run at HEAD \([0-9a-f]{7}\): its step \d+ \(this line changed between the two runs\)/,
    );
    // `low` (0 here, 3 at HEAD) and the value spread returns (8, 5).
    assert.equal(t.compare.marks.value, 2, JSON.stringify(t.compare.marks));
    // The test raised where the passing run returned: a step each only one run took.
    assert.ok(
      t.compare.marks.onlyA >= 1 && t.compare.marks.onlyB >= 1,
      JSON.stringify(t.compare.marks),
    );
    assert.ok(t.compare.withTheirs >= 2);
    // The first divergence is selected and its line highlighted.
    assert.equal(t.selected, t.compare.first);
    const highlight = await waitFor(() => api.stepHighlight(), 'the step highlight');
    assert.equal(highlight.uri, stats().toString());
    assert.equal(highlight.line, 12);
    // The editor: what the run at HEAD had on the divergent lines.
    await openAt('stats.py', 1);
    const marks = await waitFor(() => {
      const c = api.lastDecorations(stats())?.compare ?? [];
      return c.length ? c : undefined;
    }, 'the compare marks on stats.py');
    assert.deepEqual(
      marks.find((m) => m.line === 12),
      { line: 12, text: '≠ at HEAD: low=3', kind: 'compare' },
    );
    assert.ok(
      marks.some((m) => m.line === 19 && m.text === '≠ at HEAD: __return__=5'),
      JSON.stringify(marks),
    );
    // A step only the passing run took can be selected: its detail, no line of this run to reveal.
    const onlyB = t.compare.passingOnly[0];
    assert.ok(onlyB !== undefined && onlyB < 0, JSON.stringify(t.compare.passingOnly));
    await api.selectStep(onlyB);
    assert.equal(api.timeline().selected, onlyB);
    assert.equal(api.stepHighlight(), undefined);
  });

  it('compare_runs answers chat over the comparison', async () => {
    const api = await tracefix();
    const r = await api.lmToolInvoke('tracefix_compare_runs', { limit: 2 });
    assert.equal(r.error, undefined);
    assert.match(
      r.text ?? '',
      /^Compared: test_calc\.py::test_spread \(failing\) with the same test at HEAD/,
    );
    assert.match(r.text ?? '', /low: 0 \(failing\) vs 3 \(passing\)/);
    assert.match(r.text ?? '', /- {4}low = values\[0\]\n\+ {4}low = 0/);
  });

  it('Stop Comparing shows the recording alone again', async () => {
    const api = await tracefix();
    await vscode.commands.executeCommand('tracefix.stopComparing');
    assert.equal(api.timeline().compare, undefined);
    await openAt('stats.py', 1);
    await waitFor(
      () => (api.lastDecorations(stats())?.compare.length ?? 1) === 0,
      'the compare marks to go',
    );
    const r = await api.lmToolInvoke('tracefix_compare_runs', {});
    assert.match(
      r.error ?? '',
      /No comparison is open: ask the user to run "Tracefix: Compare with…"/,
    );
  });
});

describe('tracefix: Explain & Fix compared with HEAD', function () {
  this.timeout(180_000);
  let server: OpenAIServer;

  before(async () => {
    await closeAll();
    makeRepoIfMissing();
    server = await startOpenAIServer([
      steps.answer(
        spreadAnswer(
          'At (2) low is 0 where HEAD had 3.',
          'values[0]',
          'start low at the first value',
        ),
      ),
    ]);
    await setSetting('provider', 'openai');
    await setSetting('baseUrl', server.url);
    await setSetting('model', 'test-model');
    await setSetting('maxRounds', 1);
    await setSetting('maxToolCalls', 0);
    await setSetting('baseline', 'git');
  });
  after(async () => {
    await closeAll();
    for (const key of ['provider', 'baseUrl', 'model', 'maxRounds', 'maxToolCalls', 'baseline'])
      await setSetting(key, undefined);
    await server.close();
    await vscode.commands.executeCommand('tracefix.stopComparing');
    rmSync(path.join(workspaceDir(), '.git'), { recursive: true, force: true });
  });

  it('puts the first divergence in the prompt and the comparison on screen', async () => {
    const api = await tracefix();
    await openAt('test_calc.py', 9);
    assertOk(await run('tracefix.explainAndFix'));
    const body = server.completions()[0]?.body as { messages: { role: string; content: string }[] };
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    assert.match(
      user,
      /## First divergence from a passing run\nThe failing run was compared with the same test at HEAD/,
    );
    assert.match(user, /low: 0 \(now\) vs 3 \(at HEAD\)/);
    const compare = await waitFor(() => api.timeline().compare, 'the comparison on screen');
    assert.match(compare.title, /at HEAD/);
  });
});

/** The second describe may run alone (--grep): the repository is made once. */
function makeRepoIfMissing(): void {
  try {
    git('rev-parse', '--git-dir');
  } catch {
    makeRepo();
  }
}
