// Explain & Fix with a model, end to end in the real VS Code: a scripted OpenAI-compatible server on
// 127.0.0.1 answers through the real `openai` client; the fix is verified by really running pytest.
// Checks the panel (what the webview rendered), the QuickFix code actions, preview, apply + undo,
// refusal on a changed file, the prompt document, step links, two rounds, and a 401.
import * as assert from 'node:assert/strict';
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
  wsUri,
} from './tracefixApi';

const RATIONALE =
  'The test expects spread([3, 5, 8]) == 5. At (3) `low` starts at 0, which is below every value, so the loop never lowers it and spread returns 8 - 0 = 8.';

const answer = (lowInit: string, summary: string): string =>
  spreadAnswer(RATIONALE, lowInit, summary);

const GOOD = answer('values[0]', 'start low at the first value instead of 0');
const WRONG = answer('1', 'start low at 1');
/** 0-based line of `low = 0` in the fixture's stats.py. */
const LOW_LINE = 11;

type UserMessage = { role: string; content: string };
function messagesOf(server: OpenAIServer, i: number): UserMessage[] {
  return (server.completions()[i]?.body as { messages: UserMessage[] }).messages;
}

async function tracefixActions(uri: vscode.Uri, line: number): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    new vscode.Range(line, 4, line, 4),
    vscode.CodeActionKind.QuickFix.value,
  );
  return all.filter(
    (a): a is vscode.CodeAction => 'title' in a && a.title.startsWith('Tracefix:') && 'kind' in a,
  );
}

/** Runs a code action's command as choosing it in the light bulb menu does. */
async function execute(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.command);
  const args: unknown[] = action.command.arguments ?? [];
  await vscode.commands.executeCommand(action.command.command, ...args);
}

describe('tracefix: Explain & Fix with a model (scripted OpenAI server)', function () {
  this.timeout(120_000);
  let server: OpenAIServer;
  let original: string;

  before(async () => {
    await closeAll();
    server = await startOpenAIServer([]);
    await setSetting('provider', 'openai');
    await setSetting('baseUrl', server.url);
    await setSetting('model', 'test-model');
    await setSetting('pythonPath', '/usr/bin/python3');
    original = (await vscode.workspace.openTextDocument(wsUri('stats.py'))).getText();
  });
  after(async () => {
    await closeAll();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    for (const key of ['provider', 'baseUrl', 'model', 'maxRounds'])
      await setSetting(key, undefined);
    await server.close();
  });

  describe('a right answer in one round', () => {
    before(async () => {
      const api = await tracefix();
      server.push(steps.answer(GOOD, { chunkSize: 12 }));
      await openAt('test_calc.py', 9);
      api.clearNotifications();
      assertOk(await run('tracefix.explainAndFix'));
    });

    it('streams the rationale into the panel and marks the fix verified', async () => {
      const api = await tracefix();
      const x = api.explanation()!;
      assert.equal(x.error, undefined);
      assert.equal(x.view?.status, 'fixed');
      assert.equal(x.view?.rounds.length, 1);
      const r = x.view.rounds[0];
      assert.ok(r);
      assert.equal(r.verified, true);
      assert.equal(r.verdict, 'verified: test passes');
      assert.ok(r.diff.includes('-    low = 0\n+    low = values[0]'), r.diff);
      assert.ok(
        x.streamed[0]!.text.startsWith(RATIONALE),
        'the rationale arrived as streamed deltas',
      );
      // What the webview itself rendered: the rationale, with (3) as a step link, and the verdict.
      const shown = await waitFor(
        () => api.explanation()?.panel.rendered.find((p) => p.index === 1 && p.verdict !== ''),
        'the panel to render round 1',
      );
      // Markdown rendered: the code span is a <code> element, not backticks.
      assert.ok(shown.text.includes('At (3) low starts at 0'), shown.text);
      assert.ok(shown.tags.includes('code'), JSON.stringify(shown.tags));
      assert.deepEqual(shown.links, [3]);
      assert.equal(shown.verdict, 'verified: test passes');
      assert.equal(api.explanation()!.panel.open, true);
      // The prompt carried the code and the NExT trace of the recorded run.
      const user = messagesOf(server, 0).find((m) => m.role === 'user')!.content;
      assert.ok(user.includes('## Execution trace of the failing run (NExT format)'));
      assert.ok(user.includes('test_calc.py::test_spread'));
    });

    it('announces the verified fix in one notification offering Apply / Preview', async () => {
      const shown = (await tracefix()).notifications();
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0]!.message, /verified fix — start low at the first value instead of 0/);
      assert.deepEqual(shown[0]!.items, ['Apply Fix', 'Preview Fix']);
    });

    it('a step link selects that step in the timeline and highlights its line', async () => {
      const api = await tracefix();
      const trace = api.lastTrace()!;
      await api.explanationAction({ type: 'step', step: 3 });
      const index = trace.events.findIndex((e) => e.step === 3);
      assert.equal(api.timeline().selected, index);
      const e = trace.events.at(index)!;
      assert.deepEqual(api.stepHighlight(), { uri: wsUri(e.file).toString(), line: e.line });
    });

    it('offers the verified fix as the preferred QuickFix on the changed line only', async () => {
      const uri = wsUri('stats.py');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
        viewColumn: vscode.ViewColumn.One,
      });
      const actions = await tracefixActions(uri, LOW_LINE);
      assert.deepEqual(
        actions.map((a) => a.title),
        [
          'Tracefix: apply fix — start low at the first value instead of 0 (verified)',
          'Tracefix: preview fix',
        ],
      );
      assert.equal(actions[0]!.isPreferred, true);
      assert.deepEqual(
        await tracefixActions(uri, 4),
        [],
        'nothing on a line the fix does not change',
      );
    });

    it('preview opens a diff against the fixed virtual document', async () => {
      const preview = (await tracefixActions(wsUri('stats.py'), LOW_LINE))[1]!;
      await execute(preview);
      const input = await waitFor(() => {
        const i = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return i instanceof vscode.TabInputTextDiff && i.modified.scheme === 'tracefix-fix'
          ? i
          : undefined;
      }, 'the diff editor');
      assert.equal(input.original.fsPath, wsUri('stats.py').fsPath);
      const fixed = (await vscode.workspace.openTextDocument(input.modified)).getText();
      assert.equal(fixed, original.replace('    low = 0\n', '    low = values[0]\n'));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('apply changes the file in one undoable edit', async () => {
      const uri = wsUri('stats.py');
      const editor = await vscode.window.showTextDocument(
        await vscode.workspace.openTextDocument(uri),
        { viewColumn: vscode.ViewColumn.One },
      );
      const apply = (await tracefixActions(uri, LOW_LINE))[0]!;
      await execute(apply);
      assert.equal(
        editor.document.getText(),
        original.replace('    low = 0\n', '    low = values[0]\n'),
      );
      assert.equal(editor.document.isDirty, true, 'applied in the editor, for the user to save');
      await vscode.commands.executeCommand('undo');
      await waitFor(() => editor.document.getText() === original, 'undo to restore the file');
    });

    it('refuses to apply once the file changed since the trace', async () => {
      const api = await tracefix();
      const uri = wsUri('stats.py');
      const editor = await vscode.window.showTextDocument(
        await vscode.workspace.openTextDocument(uri),
        { viewColumn: vscode.ViewColumn.One },
      );
      await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# edited\n'));
      assert.deepEqual(
        await tracefixActions(uri, LOW_LINE + 1),
        [],
        'no code action on a changed file',
      );
      api.clearNotifications();
      await vscode.commands.executeCommand('tracefix.applyFix');
      assert.equal(editor.document.getText(), `# edited\n${original}`, 'nothing applied');
      const shown = api.notifications();
      assert.equal(shown.length, 1);
      assert.match(
        shown[0]!.message,
        /stats\.py has changed since the trace was recorded.*not applied/,
      );
      await vscode.commands.executeCommand('undo');
      await waitFor(() => editor.document.getText() === original, 'undo of the test edit');
    });

    it('Show prompt opens the exact messages the model got, read-only', async () => {
      await vscode.commands.executeCommand('tracefix.showPrompt');
      const doc = await waitFor(() => {
        const d = vscode.window.activeTextEditor?.document;
        return d?.uri.scheme === 'tracefix-prompt' ? d : undefined;
      }, 'the prompt document');
      for (const m of messagesOf(server, 0))
        assert.ok(
          doc.getText().includes(`<!-- ${m.role} -->\n${m.content}`),
          `the ${m.role} message verbatim`,
        );
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });

  describe('a wrong fix, then a right one', () => {
    before(async () => {
      await closeAll();
      const api = await tracefix();
      server.push(steps.answer(WRONG), steps.answer(GOOD));
      await openAt('test_calc.py', 9);
      api.clearNotifications();
      assertOk(await run('tracefix.explainAndFix'));
    });

    it('shows both rounds: the first not verified, the second verified', async () => {
      const api = await tracefix();
      const v = api.explanation()!.view!;
      assert.equal(v.status, 'fixed');
      assert.deepEqual(
        v.rounds.map((r) => r.verified),
        [false, true],
      );
      assert.match(v.rounds[0]!.verdict, /^not verified: .*assert 7 == 5/);
      assert.equal(v.offered, 2);
      const shown = await waitFor(() => {
        const rendered = api.explanation()?.panel.rendered ?? [];
        return rendered.length === 2 && rendered.every((r) => r.verdict) ? rendered : undefined;
      }, 'the panel to render both rounds');
      assert.match(shown[0]!.verdict, /^not verified/);
      assert.equal(shown[1]!.verdict, 'verified: test passes');
    });

    it('asked again with the failed attempt and a trace of the patched program', () => {
      assert.equal(server.completions().length, 3);
      const user = messagesOf(server, 2).find((m) => m.role === 'user')!.content;
      assert.ok(user.includes('## Earlier attempts that did not fix it'));
      assert.ok(user.includes('low = 1'));
      assert.ok(user.includes('Trace of the patched run:'));
    });

    it('offers the verified round on the changed line', async () => {
      const actions = await tracefixActions(wsUri('stats.py'), LOW_LINE);
      assert.equal(
        actions[0]?.title,
        'Tracefix: apply fix — start low at the first value instead of 0 (verified)',
      );
    });
  });

  describe('model errors', () => {
    beforeEach(async () => {
      await closeAll();
      (await tracefix()).clearNotifications();
      await openAt('test_calc.py', 9);
    });
    afterEach(() => setSetting('provider', 'openai'));

    it('a 401 ends in one clear notification offering to set the key', async () => {
      const api = await tracefix();
      server.push(steps.unauthorized());
      const r = await run('tracefix.explainAndFix');
      assertOk(r);
      const shown = api.notifications();
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.equal(shown[0]!.severity, 'error');
      assert.match(shown[0]!.message, /rejected the credentials \(HTTP 401\)/);
      assert.deepEqual(shown[0]!.items, ['Set API Key', 'Open Settings']);
      assert.equal(api.explanation()?.error?.code, 'model-auth');
      assert.equal(api.explanation()?.view?.status, 'error');
      assert.equal(server.pending(), 0);
    });

    it('vscode-lm without any language model says so once', async () => {
      const api = await tracefix();
      await setSetting('provider', 'vscode-lm');
      assertOk(await run('tracefix.explainAndFix'));
      const shown = api.notifications();
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0]!.message, /No VS Code language model named "test-model" is available/);
      assert.equal(api.explanation()?.error?.code, 'model-not-found');
    });
  });
});
