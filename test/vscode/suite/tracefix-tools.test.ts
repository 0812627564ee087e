// Tracefix's trace tools inside a real VS Code: registered as language-model tools (what Copilot
// agent mode sees), answering `vscode.lm.invokeTool` with recorded values of a real recording, the
// "trace this test" tool's confirmation and recording, and Explain & Fix showing the model's tool
// calls (scripted OpenAI server) in the Explanation view with step links.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';
import { assertOk, closeAll, openAt, run, setSetting, tracefix, waitFor } from './tracefixApi';

const TOOLS = [
  'tracefix_record_trace',
  'tracefix_trace_overview',
  'tracefix_variable_history',
  'tracefix_state_at_step',
  'tracefix_line_executions',
  'tracefix_calls',
  'tracefix_find_first',
  'tracefix_search_values',
  'tracefix_why',
  'tracefix_compare_runs',
];

async function invoke(name: string, input: object): Promise<string> {
  const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('tracefix: language-model tools', function () {
  this.timeout(120_000);
  before(async () => {
    await closeAll();
    await vscode.commands.executeCommand('tracefix.clearTrace');
  });
  after(async () => {
    await closeAll();
    await vscode.commands.executeCommand('tracefix.clearTrace');
  });

  it('are registered for chat with their input schemas', async () => {
    await tracefix();
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('tracefix_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), [...TOOLS].sort());
    const history = ours.find((t) => t.name === 'tracefix_variable_history');
    assert.deepEqual((history?.inputSchema as { required?: string[] }).required, ['name']);
    assert.match(history?.description ?? '', /Every recorded change of one variable/);
    assert.ok(history?.tags.includes('tracefix'));
  });

  it('a query before any recording says how to get one', async () => {
    await assert.rejects(
      invoke('tracefix_variable_history', { name: 'low' }),
      /No Tracefix recording is open\. Record one first with the tracefix_record_trace tool/,
    );
  });

  it('after Trace Only, vscode.lm.invokeTool answers with the recorded values', async () => {
    await openAt('test_calc.py', 9);
    assertOk(await run('tracefix.traceOnly'));
    const trace = (await tracefix()).lastTrace();
    assert.equal(trace?.program.target, 'test_calc.py::test_spread');
    const history = await invoke('tracefix_variable_history', { name: 'high', function: 'spread' });
    assert.match(
      history,
      /^History of `high` in spread: 3 changes recorded:\n\(\d+\) stats\.py:13 spread#1 high=3\n\(\d+\) stats\.py:18 spread#1 high=5\n\(\d+\) stats\.py:18 spread#1 high=8$/,
    );
    const first = await invoke('tracefix_find_first', { condition: 'high > 4' });
    const step = Number(/after step \((\d+)\)/.exec(first)?.[1]);
    assert.ok(step > 0, first);
    const state = await invoke('tracefix_state_at_step', { step });
    assert.match(state, /Locals of spread#1: values=\[3, 5, 8\]; low=0; high=5; v=5/);
    assert.match(
      state,
      /test_spread#1 at test_calc\.py:10 \(calling spread#1\); locals: data=\[3, 5, 8\]/,
    );
    const overview = await invoke('tracefix_trace_overview', { next_budget: 800 });
    assert.match(overview, /Outcome: failed — .*assert 8 == 5/);
    assert.match(overview, /low = 0 {2}# \(\d+\) low=0;/);
    await assert.rejects(
      invoke('tracefix_state_at_step', { step: 100000 }),
      /there is no step \(100000\)/,
    );
  });

  it('record_trace asks before running (naming the command and folder), then records and answers', async () => {
    const api = await tracefix();
    await vscode.commands.executeCommand('tracefix.clearTrace');
    const prepared = api.lmToolPrepare('tracefix_record_trace', { script: 'report.py' });
    assert.equal(prepared.title, 'Run and record with Tracefix?');
    assert.match(
      prepared.message ?? '',
      /Tracefix will \*\*run\*\* `python report\.py` in the workspace folder \*\*\S+\*\*/,
    );
    const r = await api.lmToolInvoke('tracefix_record_trace', { script: 'report.py' });
    assert.equal(r.error, undefined);
    assert.match(
      r.text ?? '',
      /^Recorded `report\.py` \(\d+ events\); it is on screen in the editor\./,
    );
    assert.match(r.text ?? '', /Exception: ZeroDivisionError/);
    assert.equal(api.lastTrace()?.program.target, 'report.py');
    // The recording is the editor's: painted like Trace Only's.
    assert.equal(api.lastRun()?.status, 'ok');
    const outside = await api.lmToolInvoke('tracefix_record_trace', { script: '../../etc/hosts' });
    assert.match(outside.error ?? '', /outside the workspace root/);
    const both = await api.lmToolInvoke('tracefix_record_trace', {
      script: 'report.py',
      module: 'x',
    });
    assert.match(both.error ?? '', /give exactly one of script, test/);
    // A chat model may run the workspace's own code only, without arguments unless allowed.
    const timeit = await api.lmToolInvoke('tracefix_record_trace', { module: 'timeit' });
    assert.match(timeit.error ?? '', /module timeit is not a module of the workspace/);
    const args = await api.lmToolInvoke('tracefix_record_trace', {
      script: 'report.py',
      args: ['-c', 'import os'],
    });
    assert.match(
      args.error ?? '',
      /program arguments are not allowed.*tracefix\.tools\.allowProgramArguments/,
    );
  });
});

describe("tracefix: Explain & Fix shows the model's tool calls", function () {
  this.timeout(120_000);
  let server: OpenAIServer;
  const ANSWER = `The recording shows low=0 from the start: at (3) it is 0 and no value is below it.

Summary: start low at the first value

\`\`\`python stats.py
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

  before(async () => {
    await closeAll();
    server = await startOpenAIServer([
      steps.tools([{ name: 'variable_history', arguments: { name: 'low', function: 'spread' } }], {
        text: 'Checking low first.',
      }),
      steps.answer(ANSWER),
    ]);
    await setSetting('provider', 'openai');
    await setSetting('baseUrl', server.url);
    await setSetting('model', 'test-model');
    await setSetting('maxRounds', 1);
    await openAt('test_calc.py', 9);
    assertOk(await run('tracefix.explainAndFix'));
  });
  after(async () => {
    await closeAll();
    for (const key of ['provider', 'baseUrl', 'model', 'maxRounds'])
      await setSetting(key, undefined);
    await server.close();
  });

  it('the second request carries the recorded values; the panel shows the call, its answer and step links', async () => {
    const api = await tracefix();
    const bodies = server
      .completions()
      .map(
        (c) =>
          c.body as { messages: { role: string; content: string | null }[]; tools?: unknown[] },
      );
    assert.equal(bodies.length, 2);
    assert.ok(Array.isArray(bodies[0]?.tools));
    const answer = bodies[1]?.messages.find((m) => m.role === 'tool')?.content ?? '';
    assert.match(
      answer,
      /^History of `low` in spread: 1 change recorded:\n\(\d+\) stats\.py:12 spread#1 low=0$/,
    );
    const view = api.explanation()?.view?.rounds[0];
    assert.equal(view?.toolCalls.length, 1);
    assert.equal(view?.toolCalls[0]?.said, 'Checking low first.');
    assert.ok(!view?.rationale.includes('Checking low first.'), view?.rationale);
    const shown = await waitFor(
      () =>
        api
          .explanation()
          ?.panel.rendered.find((p) => p.index === 1 && p.verdict !== '' && p.toolCalls.length > 0),
      'the panel to render the tool call',
    );
    const call = shown.toolCalls[0]!;
    assert.equal(call.name, 'variable_history(name="low", function="spread")');
    assert.match(call.text, /stats\.py:12 spread#1 low=0/);
    const step = Number(/\((\d+)\) stats\.py:12/.exec(call.text)?.[1]);
    assert.deepEqual(call.links, [step]);
    assert.equal(call.error, false);
  });
});
