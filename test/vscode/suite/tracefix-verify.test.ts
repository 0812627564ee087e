// Explain & Fix trust rules in the real VS Code, against the scripted OpenAI server: where no
// sandbox is available (TRACEFIX_SANDBOX=off in this extension host makes the probe say so) the
// editor asks once per workspace before running model-written code, remembers the answer, and
// "Don't Run" offers fixes unverified without running them; a fix that edits the tests is shown but
// not offered unless tracefix.allowTestEdits is on.
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';
import {
  assertOk,
  closeAll,
  openAt,
  run,
  setSetting,
  tracefix,
  waitFor,
  wsUri,
} from './tracefixApi';

const SANDBOX_QUESTION =
  /^Tracefix cannot sandbox the code the model writes here \(sandboxing is turned off \(TRACEFIX_SANDBOX=off\)\)/;
const MARKER = path.join(os.tmpdir(), `tracefix-verify-suite-${process.pid}.marker`);

function stats(extraTop = ''): string {
  return `The loop never lowers low below 0 at (3).

Summary: start low at the first value

\`\`\`python
# stats.py
${extraTop}def mean(values):
    total = 0
    for v in values:
        total += v
    return total / len(values)


def spread(values):
    low = values[0]
    high = values[0]
    for v in values:
        if v < low:
            low = v
        if v > high:
            high = v
    return high - low
\`\`\`
`;
}

const TEST_EDIT = `The test expects the wrong value at (3).

Summary: expect 8

\`\`\`python
# test_calc.py
from stats import mean, spread


def test_mean():
    assert mean([2, 4, 6]) == 4


def test_spread():
    data = [3, 5, 8]
    assert spread(data) == 8
\`\`\`
`;

async function explainSpread(): Promise<void> {
  await openAt('test_calc.py', 9);
  assertOk(await run('tracefix.explainAndFix'));
}

describe('tracefix: verification rules in the editor', function () {
  this.timeout(120_000);
  let server: OpenAIServer;
  const savedSandboxEnv = process.env.TRACEFIX_SANDBOX;

  before(async () => {
    await tracefix(); // activates the extension, which registers tracefix.sandboxChoice
    await closeAll();
    server = await startOpenAIServer([]);
    await setSetting('provider', 'openai');
    await setSetting('baseUrl', server.url);
    await setSetting('model', 'test-model');
    await setSetting('pythonPath', '/usr/bin/python3');
    await setSetting('maxRounds', 1);
    await vscode.commands.executeCommand('tracefix.sandboxChoice');
    process.env.TRACEFIX_SANDBOX = 'off';
  });
  after(async () => {
    if (savedSandboxEnv === undefined) delete process.env.TRACEFIX_SANDBOX;
    else process.env.TRACEFIX_SANDBOX = savedSandboxEnv;
    await vscode.commands.executeCommand('tracefix.sandboxChoice');
    await closeAll();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    for (const key of ['provider', 'baseUrl', 'model', 'maxRounds', 'allowTestEdits'])
      await setSetting(key, undefined);
    await server.close();
    rmSync(MARKER, { force: true });
  });

  it('no sandbox: asks once before the model is asked; "Run Without Sandbox" verifies the fix unsandboxed and says so', async () => {
    const api = await tracefix();
    api.clearNotifications();
    server.push(steps.answer(stats()));
    const asked = server.completions().length;
    await openAt('test_calc.py', 9);
    const running = run('tracefix.explainAndFix');
    const question = await waitFor(
      () => api.notifications().find((n) => SANDBOX_QUESTION.test(n.message)),
      'the sandbox question',
    );
    assert.deepEqual(question.items, ['Run Without Sandbox', "Don't Run"]);
    assert.equal(question.severity, 'warning');
    assert.equal(
      server.completions().length,
      asked,
      'the model is not asked before the user answers',
    );
    await vscode.commands.executeCommand('tracefix.sandboxChoice', 'allow');
    assertOk(await running);
    const view = api.explanation()?.view;
    assert.equal(view?.status, 'fixed');
    assert.equal(view?.rounds[0]?.verdict, 'verified: test passes (run without a sandbox)');
  });

  it('asks no more in this workspace once answered', async () => {
    const api = await tracefix();
    api.clearNotifications();
    server.push(steps.answer(stats()));
    await explainSpread();
    assert.equal(api.notifications().filter((n) => SANDBOX_QUESTION.test(n.message)).length, 0);
    assert.equal(
      api.explanation()?.view?.rounds[0]?.verdict,
      'verified: test passes (run without a sandbox)',
    );
  });

  it('"Don\'t Run": the fix is offered unverified and the model\'s code never runs', async () => {
    const api = await tracefix();
    await vscode.commands.executeCommand('tracefix.sandboxChoice', 'deny');
    api.clearNotifications();
    rmSync(MARKER, { force: true });
    server.push(steps.answer(stats(`open(${JSON.stringify(MARKER)}, "w").write("ran")\n\n`)));
    await explainSpread();
    const view = api.explanation()?.view;
    assert.equal(view?.status, 'not-fixed');
    assert.equal(
      view?.rounds[0]?.verdict,
      'not verified: not run, because model-written code may not run without a sandbox in this workspace',
    );
    assert.equal(view?.rounds[0]?.hasPatch, true, 'still offered, unverified');
    assert.equal(existsSync(MARKER), false, 'the patched code did not run');
    assert.equal(api.notifications().filter((n) => SANDBOX_QUESTION.test(n.message)).length, 0);
  });

  it('a fix that edits the test is shown as "changes the tests" and not offered; with tracefix.allowTestEdits it is verified', async () => {
    const api = await tracefix();
    await vscode.commands.executeCommand('tracefix.sandboxChoice', 'allow');
    server.push(steps.answer(TEST_EDIT));
    await explainSpread();
    let round = api.explanation()?.view?.rounds[0];
    assert.equal(
      round?.verdict,
      'not verified: changes the tests (test_calc.py), so it is neither verified nor offered as the fix (allow with the tracefix.allowTestEdits setting)',
    );
    assert.equal(round?.hasPatch, false, 'no Apply / Preview for it');
    assert.equal(api.explanation()?.view?.offered, null);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      wsUri('test_calc.py'),
      new vscode.Range(9, 4, 9, 4),
      vscode.CodeActionKind.QuickFix.value,
    );
    assert.deepEqual(
      actions.filter((a) => a.title.startsWith('Tracefix:')),
      [],
    );
    await setSetting('allowTestEdits', true);
    server.push(steps.answer(TEST_EDIT));
    await explainSpread();
    round = api.explanation()?.view?.rounds[0];
    assert.equal(round?.verdict, 'verified: test passes (run without a sandbox)');
    assert.equal(round?.hasPatch, true);
  });
});
