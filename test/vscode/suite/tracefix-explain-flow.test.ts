// The Explain & Fix flow as a VS Code user meets it, in the real workbench with a scripted
// OpenAI-compatible server streaming slowly enough to be seen: the Explanation view opens beside the
// code as soon as the model is asked and streams every round, the timeline lives in the panel area,
// the verdict names the round, Markdown is rendered without a jump at the end of a round, round 2's
// step links open the patched run it read, and after apply: stale trace, Save and Re-run, the
// diagnostic following the new result, Explain & Fix on the now-passing test, Undo. Then an
// unverified fix (asks before applying). (Saving before a run and a long run's elided events in the
// timeline: tracefix-run-flow.test.ts.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderedView } from '../../../src/extension/explain/protocol';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';
import {
  assertOk,
  closeAll,
  openAt,
  run,
  setAutoSaveOff,
  setSetting,
  spreadAnswer,
  tracefix,
  waitFor,
  wsUri,
} from './tracefixApi';

// Round 1 reads the failing run: step (2) is `low=0` there. Round 2 reads the run of round 1's
// patch too, where step (2) is `low=1`: its link must open that run.
const WRONG = spreadAnswer(
  'The test expects `spread([3, 5, 8]) == 5`. At (2) `low=0`, **below every value**, so:\n\n- the loop never lowers `low`\n- `spread` returns 8 - 0 = 8',
  '1',
  'start low at 1',
);
const GOOD = spreadAnswer(
  'With the previous fix, (2) low=1 is still below 3, so `spread` returns 7. `low` must start at a value of the list.',
  'values[0]',
  'start low at the first value instead of 0',
);
const SLOW = { chunkSize: 6, chunkDelayMs: 25 };

/** Waits until what the Explanation webview rendered satisfies `probe`. */
async function rendered<T>(
  probe: (v: RenderedView) => T | undefined | false | '',
  what: string,
): Promise<T> {
  const api = await tracefix();
  return waitFor(() => {
    const v = api.explanation()?.panel.view;
    const r = v ? probe(v) : undefined;
    return r === '' ? undefined : r;
  }, what);
}

describe('tracefix: the Explain & Fix flow in the editor', function () {
  this.timeout(180_000);
  let server: OpenAIServer;
  let original: string;

  before(async () => {
    await closeAll();
    server = await startOpenAIServer([]);
    await setSetting('provider', 'openai');
    await setSetting('baseUrl', server.url);
    await setSetting('model', 'test-model');
    await setSetting('pythonPath', '/usr/bin/python3');
    await setAutoSaveOff(true);
    original = (await vscode.workspace.openTextDocument(wsUri('stats.py'))).getText();
  });
  after(async () => {
    await closeAll();
    await setAutoSaveOff(false);
    await vscode.commands.executeCommand('tracefix.clearTrace');
    for (const key of ['provider', 'baseUrl', 'model', 'maxRounds'])
      await setSetting(key, undefined);
    await server.close();
  });

  describe('a wrong fix, then a right one, streamed', () => {
    let openWhenAsked: boolean | undefined;
    let bannerWhenAsked: string | undefined;

    before(async () => {
      const api = await tracefix();
      server.push(steps.answer(WRONG, SLOW), steps.answer(GOOD, SLOW));
      await openAt('test_calc.py', 9);
      api.clearNotifications();
      const done = run('tracefix.explainAndFix');
      await waitFor(
        () => server.completions().length >= 1,
        'the first request to the model',
        60_000,
      );
      openWhenAsked = api.explanation()?.panel.open;
      bannerWhenAsked = await rendered(
        (v) => /asking the model/.test(v.banner.title) && v.banner.title,
        'the running banner',
      );
      assertOk(await done);
    });

    it('opens the Explanation view as soon as the model is asked; the code keeps the editor area, the timeline is in the panel', async () => {
      const api = await tracefix();
      assert.equal(
        openWhenAsked,
        true,
        'the view was open when the first request reached the model',
      );
      assert.match(bannerWhenAsked ?? '', /^Round 1 of up to 3: asking the model…$/);
      assert.equal(api.explanation()?.panel.open, true);
      assert.equal(api.timeline().open, true);
      assert.equal(vscode.window.tabGroups.all.length, 1, 'no editor column was added');
      const webviewTabs = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview);
      assert.deepEqual(
        webviewTabs.map((t) => t.label),
        [],
        'neither the explanation nor the timeline is an editor tab',
      );
    });

    it('streams both rounds into the view; the final text is the streamed text (the Summary line stays)', async () => {
      const x = (await tracefix()).explanation()!;
      const final = x.panel.rendered;
      for (const round of [1, 2]) {
        const streamed = x.panel.streamedRenders[round] ?? [];
        assert.ok(
          streamed.length >= 3,
          `round ${round} was rendered while it streamed (${streamed.length} times)`,
        );
        const last = streamed[streamed.length - 1] ?? '';
        const done = final.find((r) => r.index === round)?.text ?? '';
        assert.ok(
          done.startsWith(last.trim()),
          `round ${round}: nothing that was streamed disappeared:\n${last}\n---\n${done}`,
        );
        assert.ok(
          last.includes('Summary: '),
          `round ${round}: the Summary line streamed in: ${last}`,
        );
        assert.ok(done.includes('Summary: '), `round ${round}: and it is still there`);
      }
      assert.ok(
        (x.panel.streamedRenders[1] ?? []).some((t) => t.length > 0 && !t.includes('Summary')),
        'round 1 was seen part-way',
      );
    });

    it('renders Markdown: code, bold and a list, no raw marks', async () => {
      const r1 = (await tracefix()).explanation()!.panel.rendered.find((r) => r.index === 1)!;
      for (const tag of ['code', 'strong', 'ul', 'li'])
        assert.ok(r1.tags.includes(tag), `<${tag}> in ${JSON.stringify(r1.tags)}`);
      assert.ok(!r1.text.includes('`') && !r1.text.includes('**'), r1.text);
      assert.ok(r1.text.includes('the loop never lowers low'), r1.text);
    });

    it('names the verified round in the banner and scrolls to it; round 1 is folded, secondary and not offered first', async () => {
      const v = await rendered((x) => x.banner.kind === 'ok' && x, 'the verdict banner');
      assert.equal(v.banner.title, 'Verified fix · round 2 of 2');
      assert.match(
        v.banner.detail,
        /^test_spread passes with it: start low at the first value instead of 0$/,
      );
      assert.deepEqual(v.banner.buttons, ['Apply Fix', 'Preview Fix']);
      assert.ok(
        v.inView.includes(2),
        `round 2's heading is on screen: ${JSON.stringify(v.inView)}`,
      );
      const [r1, r2] = v.rounds;
      assert.equal(r1?.collapsed, true);
      assert.deepEqual(r1?.buttons, ['Apply Anyway…', 'Preview Fix', 'Show Prompt']);
      assert.match(r1?.verdict ?? '', /^not verified: .*assert 7 == 5/);
      assert.equal(r2?.collapsed, false);
      assert.deepEqual(r2?.buttons, ['Apply Fix', 'Preview Fix', 'Show Prompt']);
      const shown = (await tracefix()).notifications();
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(
        shown[0]!.message,
        /^Tracefix: verified fix \(round 2 of 2\) — start low at the first value instead of 0/,
      );
    });

    it("round 2's step link opens the patched run it read; round 1's the failing run; the timeline says which is on screen", async () => {
      const api = await tracefix();
      const x = api.explanation()!;
      const patched = x.recordings.patched[2];
      const failing = x.recordings.original;
      assert.ok(
        patched !== undefined && failing !== undefined && patched !== failing,
        JSON.stringify(x.recordings),
      );
      const r1 = x.panel.rendered.find((r) => r.index === 1)!;
      const r2 = x.panel.rendered.find((r) => r.index === 2)!;
      assert.deepEqual(r1.linkTargets, [{ step: 2, rec: failing }]);
      assert.deepEqual(r2.linkTargets, [{ step: 2, rec: patched }]);

      await api.explanationAction({ type: 'step', step: 2, rec: patched });
      const t = api.timeline();
      assert.equal(t.recording?.id, patched);
      assert.match(
        t.recording?.label ?? '',
        /^Round 2: with round 1's fix — test_calc\.py::test_spread · fails: AssertionError/,
      );
      assert.deepEqual(t.recordings.map((r) => r.id).sort(), [failing, patched].sort());
      const trace = api.lastTrace()!;
      const e = trace.events.at(t.selected!)!;
      assert.deepEqual([e.step, e.changed], [2, { low: '1' }]);
      // The patched stats.py is not the user's file: it opens read-only with the patched run's values.
      const hl = api.stepHighlight()!;
      assert.equal(vscode.Uri.parse(hl.uri).scheme, 'tracefix-fix');
      assert.equal(hl.line, 12);
      const doc = vscode.window.visibleTextEditors.find(
        (ed) => ed.document.uri.toString() === hl.uri,
      )!.document;
      assert.equal(doc.lineAt(11).text, '    low = 1');
      await waitFor(
        () =>
          api.lastDecorations(doc.uri)?.lines.some((l) => l.line === 12 && l.text === 'low = 1'),
        'the patched run painted on the patched file',
      );

      await api.explanationAction({ type: 'step', step: 2, rec: failing });
      assert.equal(api.timeline().recording?.id, failing);
      const back = api.lastTrace()!.events.at(api.timeline().selected!)!;
      assert.deepEqual([back.step, back.changed], [2, { low: '0' }]);
      assert.deepEqual(api.stepHighlight(), { uri: wsUri('stats.py').toString(), line: 12 });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('apply: the view says so with Re-run and Undo, the trace is marked stale, the failure becomes information', async () => {
      const api = await tracefix();
      await api.explanationAction({ type: 'apply', round: 2 });
      const doc = await vscode.workspace.openTextDocument(wsUri('stats.py'));
      assert.equal(doc.getText(), original.replace('    low = 0\n', '    low = values[0]\n'));
      assert.equal(doc.isDirty, true);
      const v = await rendered(
        (x) => x.banner.title.startsWith("Round 2's fix applied") && x,
        'the applied banner',
      );
      assert.equal(v.banner.title, "Round 2's fix applied to stats.py (not saved yet)");
      assert.deepEqual(v.banner.buttons, ['Save and Re-run Test', 'Undo']);
      assert.ok(
        !v.rounds.some((r) => r.buttons.some((b) => b.startsWith('Apply'))),
        'no Apply button once applied',
      );
      assert.deepEqual(api.timeline().stale, ['stats.py']);
      const d = await waitFor(
        () =>
          api.diagnostics(wsUri('test_calc.py'))[0]?.severity === 'information' &&
          api.diagnostics(wsUri('test_calc.py'))[0],
        'the failure as information',
      );
      assert.match(
        d.message,
        /^AssertionError: assert 8 == 5.*before stats\.py changed: run it again to check\)$/s,
      );
    });

    it('Save and Re-run: one click records the test again; the verdict and the diagnostic follow the new result', async () => {
      const api = await tracefix();
      api.clearNotifications();
      await api.explanationAction({ type: 'rerun', round: 2 });
      const doc = await vscode.workspace.openTextDocument(wsUri('stats.py'));
      assert.equal(doc.isDirty, false, 'the fixed file was saved to run it');
      const after = api.lastTrace()!;
      assert.equal(
        after.outcome.testPassed,
        true,
        `${JSON.stringify(after.outcome)}\n${after.sources.find((f) => f.path === 'stats.py')?.text}\n${JSON.stringify(api.lastRun())}`,
      );
      assert.deepEqual(api.diagnostics(wsUri('test_calc.py')), []);
      const v = await rendered(
        (x) => x.banner.kind === 'ok' && x.banner.title.includes('passes') && x,
        'the re-run verdict',
      );
      assert.equal(v.banner.title, "test_spread passes with round 2's fix applied");
      assert.deepEqual(v.banner.buttons, ['Undo Fix']);
      assert.deepEqual(
        api.notifications().map((n) => [n.severity, n.message]),
        [['info', 'test_spread passes.']],
      );
      assert.deepEqual(api.timeline().stale, []);
    });

    it('Explain & Fix on the now passing test: information in editor words, the model is not asked, the explanation stays', async () => {
      const api = await tracefix();
      const before = {
        session: api.explanation()!.view!.session,
        asked: server.completions().length,
      };
      api.clearNotifications();
      await openAt('test_calc.py', 9);
      assertOk(await run('tracefix.explainAndFix'));
      assert.deepEqual(
        api.notifications().map((n) => [n.severity, n.message]),
        [['info', 'test_spread passes — nothing to fix.']],
      );
      assert.equal(server.completions().length, before.asked);
      assert.equal(api.explanation()!.view!.session, before.session);
      assert.equal(api.explanation()!.view!.rounds.length, 2);
      const failing = api.explanation()!.recordings.original!;
      assert.ok(
        api.timeline().recordings.some((r) => r.id === failing),
        'the failing run it explains is still reachable',
      );
    });

    it('Undo takes the fix out again and Apply comes back', async () => {
      const api = await tracefix();
      await api.explanationAction({ type: 'undo', round: 2 });
      const doc = await vscode.workspace.openTextDocument(wsUri('stats.py'));
      await waitFor(() => doc.getText() === original, 'the original text back');
      const v = await rendered(
        (x) => x.banner.title.startsWith('Verified fix') && x,
        'the verdict banner again',
      );
      assert.deepEqual(v.banner.buttons, ['Apply Fix', 'Preview Fix']);
      // The fix was saved before the re-run: save the original again for what follows.
      await doc.save();
    });
  });

  describe('an unverified fix', () => {
    before(async () => {
      await closeAll();
      await setSetting('maxRounds', 1);
      server.push(steps.answer(WRONG));
      await openAt('test_calc.py', 9);
      assertOk(await run('tracefix.explainAndFix'));
    });
    after(() => setSetting('maxRounds', undefined));

    it('is secondary: Apply asks first in the view, Cancel keeps the file, the confirmed click applies', async () => {
      const api = await tracefix();
      const v = await rendered((x) => x.banner.kind === 'warn' && x, 'the not-fixed banner');
      assert.equal(v.banner.title, 'No verified fix after 1 round');
      assert.deepEqual(v.rounds[0]?.buttons, ['Apply Anyway…', 'Preview Fix', 'Show Prompt']);
      const doc = await vscode.workspace.openTextDocument(wsUri('stats.py'));
      await api.explanationAction({ type: 'apply', round: 1 });
      const asking = await rendered(
        (x) => x.rounds[0]?.confirm && x.rounds[0],
        'the question in the view',
      );
      assert.match(
        asking.confirm,
        /Round 1's fix was not verified \(.*assert 7 == 5.*\)\. It may not fix test_spread, or may break something else\. Apply it anyway\?/,
      );
      assert.deepEqual(asking.buttons, [
        'Apply Unverified Fix',
        'Cancel',
        'Preview Fix',
        'Show Prompt',
      ]);
      assert.equal(doc.getText(), original, 'nothing applied yet');
      await api.explanationAction({ type: 'cancel-confirm', round: 1 });
      await rendered((x) => x.rounds[0]?.confirm === '' && x, 'the question gone');
      assert.equal(doc.getText(), original);
      await api.explanationAction({ type: 'apply', round: 1 });
      await api.explanationAction({ type: 'apply', round: 1, confirmed: true });
      assert.equal(doc.getText(), original.replace('    low = 0\n', '    low = 1\n'));
      await rendered(
        (x) => x.banner.title === "Round 1's fix applied to stats.py (not saved yet)" && x,
        'the applied banner',
      );
      await api.explanationAction({ type: 'undo', round: 1 });
      await waitFor(
        () => doc.getText() === original && !doc.isDirty,
        'undo back to the saved original',
      );
    });
  });
});
