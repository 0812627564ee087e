// The explain-and-fix loop: trace the failing run → NExT text → prompt → model (streamed) →
// parse the answer → minimal patch against the files as traced → verify it in a temporary copy.
// When verification fails and rounds remain, the PATCHED program is traced (in a temporary copy)
// and the model is asked again with that trace and the failure as an earlier attempt.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { decodeSource } from '../source/encoding';
import { CancelledError, UserError, throwIfAborted } from '../errors';
import { parseAnswer, pathsNamedIn, type ParsedAnswer } from '../model/answer/parse';
import { buildPrompt, type PreviousAttempt, type PromptInput } from '../model/prompt';
import { envSecrets, knownSecrets } from '../redact/secretValues';
import type { ChatMessage } from '../model/client/provider';
import type { ToolDefinition } from '../tools';
import { recordingModel } from '../trace/recordingModel';
import type { Trace } from '../trace/model';
import type { RecordOptions } from '../trace/options';
import { recordTrace } from '../trace/record';
import { probeSandbox } from '../verify/sandbox';
import { failingTestFile, testFilesIn } from '../verify/testEdits';
import { parsePassedEnv, passedValues } from '../verify/runEnv';
import { NO_SANDBOX_HINT, verifyPatch, type VerifyResult } from '../verify/verify';
import { attemptOf, type RunPolicy } from './attempts';
import { failingLineAfterPatch, originalFailure } from './failingLine';
import { makePatch, type ProposedPatch } from './patchAdapter';
import { RationaleStream } from './rationaleStream';
import {
  compareWithBaseline,
  comparisonOf,
  toolSession,
  type BaselineOutcome,
} from './baselineStep';
import { askWithTools, DEFAULT_MAX_TOOL_CALLS, MAX_TOOL_CALLS } from './toolLoop';
import { commandOf } from './traceContext';
import { DEFAULT_PROMPT_BUDGET, fitPrompt, type FitOptions } from './promptBudget';
import { traceFailure, tracePassed } from '../verify/traceOutcome';
import type { FixEvent, FixOptions, FixResult, FixRound } from './types';

export const DEFAULT_MAX_ROUNDS = 3;

/** Options of the first step alone (no model needed): tracing and the round-1 prompt. */
export type PrepareOptions = Omit<FixOptions, 'provider' | 'maxRounds' | 'verifyTimeoutMs'>;

interface Prepared {
  trace: Trace;
  /** The record options with the interpreter that recorded the failure pinned. */
  rec: RecordOptions;
  command: string;
  input: PromptInput;
  maxStep: number;
  compared: BaselineOutcome;
}

/** Records (or takes) the failing run's trace and gathers what every round's prompt shows. */
async function prepare(opts: PrepareOptions, emit: (e: FixEvent) => void): Promise<Prepared> {
  const command = commandOf(opts.recordOptions);
  let trace = opts.trace;
  if (!trace) {
    emit({ type: 'trace-start', round: 1, patched: false });
    trace = await recordTrace({ ...opts.recordOptions, signal: opts.signal });
  }
  const maxCalls = toolCallLimit(opts);
  const fitOptions: FitOptions = {
    budget: opts.budget ?? DEFAULT_PROMPT_BUDGET,
    useTrace: opts.useTrace !== false,
    command,
    ...(maxCalls > 0 ? { tools: { maxCalls } } : {}),
  };
  const fitted =
    trace.events.length > 0 && !tracePassed(trace) ? fitPrompt(trace, fitOptions) : undefined;
  emit({
    type: 'trace-done',
    round: 1,
    patched: false,
    trace,
    nextTokens: fitted?.traceTokens ?? 0,
  });
  // Verify and re-trace with the interpreter that recorded the failure (it may come from an
  // editor-side choice when the trace was passed in).
  const rec = {
    ...opts.recordOptions,
    python: opts.recordOptions.python ?? trace.interpreter.path,
  };
  if (tracePassed(trace)) {
    throw new UserError(
      'bad-argument',
      `Nothing to fix: \`${command}\` passes (exit code 0).`,
      'A fix is verified by the command failing before and passing after: point --test at a failing test, or make the script assert what it should do.',
    );
  }
  const files = fitted?.input.files ?? [];
  if (!fitted || files.length === 0) {
    throw new UserError(
      'no-trace',
      `\`${command}\` executed none of your code (nothing under ${trace.program.root} ran), so there is nothing to explain.`,
      'Check --root, or that the test / script reaches your code.',
    );
  }
  let input: PromptInput = fitted.input;
  let compared: BaselineOutcome = { notes: [] };
  if (opts.baseline && opts.useTrace !== false) {
    compared = await compareWithBaseline({
      baseline: opts.baseline,
      rec,
      failing: trace,
      secrets: knownSecrets(opts),
      signal: opts.signal,
      log: (text) => emit({ type: 'baseline-progress', text }),
    });
    emit({
      type: 'baseline-done',
      notes: compared.notes,
      ...(compared.baseline ? { baseline: compared.baseline } : {}),
      ...(compared.comparison ? { comparison: compared.comparison } : {}),
    });
    // The divergence section is part of the one budget: code and trace fitted again around it.
    if (compared.section)
      input = fitPrompt(trace, { ...fitOptions, divergence: compared.section }).input;
  }
  const maxStep = Math.max(0, recordingModel(trace).maxStep);
  return { trace, rec, command, input, maxStep, compared };
}

/** The exact (redacted) round-1 prompt, without calling a model (`tracefix fix --prompt-only`). */
export async function buildFixPrompt(opts: PrepareOptions): Promise<{
  messages: ChatMessage[];
  redactions: number;
  trace: Trace;
  command: string;
  tools: ToolDefinition[];
}> {
  const p = await prepare(opts, (e) => opts.onEvent?.(e));
  const maxCalls = toolCallLimit(opts);
  const tools =
    maxCalls > 0 ? toolSession(p.trace, p.compared, knownSecrets(opts)).definitions() : [];
  const built = buildPrompt(p.input, {
    maxTokens: opts.maxTokens,
    temperature: opts.temperature,
    secrets: knownSecrets(opts),
    ...(maxCalls > 0 ? { tools: { maxCalls } } : {}),
  });
  return {
    messages: built.request.messages,
    redactions: built.redactions,
    trace: p.trace,
    command: p.command,
    tools,
  };
}

/** Tool calls per round: the option within [0, MAX_TOOL_CALLS]; none without the trace. */
function toolCallLimit(opts: Pick<FixOptions, 'maxToolCalls' | 'useTrace'>): number {
  if (opts.useTrace === false) return 0;
  return Math.min(
    Math.max(Math.floor(opts.maxToolCalls ?? DEFAULT_MAX_TOOL_CALLS), 0),
    MAX_TOOL_CALLS,
  );
}

/** Throws UserError('untrusted') when patched code must run sandboxed (the default) and no sandbox is available. */
export async function assertCanRunPatchedCode(
  opts: Pick<FixOptions, 'sandbox' | 'verify' | 'recordOptions'>,
): Promise<void> {
  if (opts.verify === false || opts.sandbox === false) return;
  const status = await probeSandbox(opts.recordOptions.env ?? process.env);
  if (!status.available)
    throw new UserError(
      'untrusted',
      `Not running model-written code: ${status.reason}.`,
      NO_SANDBOX_HINT,
    );
}

export async function explainAndFix(opts: FixOptions): Promise<FixResult> {
  const { provider, signal } = opts;
  const maxRounds = opts.maxRounds ?? DEFAULT_MAX_ROUNDS;
  if (!Number.isInteger(maxRounds) || maxRounds < 1)
    throw new UserError(
      'bad-argument',
      `Rounds must be a whole number of at least 1 (got ${maxRounds}).`,
    );
  // Before tracing or asking the model: the patches could not be run anyway.
  const passEnv = parsePassedEnv(opts.runEnv ?? []);
  await assertCanRunPatchedCode(opts);
  const useTrace = opts.useTrace !== false;
  const budget = opts.budget ?? DEFAULT_PROMPT_BUDGET;
  const emit = (e: FixEvent): void => opts.onEvent?.(e);
  const prepared = await prepare(opts, emit);
  const { trace, rec, command, input, maxStep } = prepared;
  const files = input.files;
  const testFile = failingTestFile(trace.program);
  const failure = originalFailure(trace);
  const run: RunPolicy = {
    verify: opts.verify !== false,
    sandbox: opts.sandbox !== false,
    env: passEnv,
  };
  // Secret values are searched for in every prompt, so a patch that prints one (even encoded) into
  // its verification output cannot carry it to the model in the next round — a secret the user
  // handed to model-written runs by value (`--env DB_PASSWORD=…`) included.
  const secrets = [...new Set([...knownSecrets(opts), ...envSecrets(passedValues(passEnv))])];

  const attempts: PreviousAttempt[] = [];
  const rounds: FixRound[] = [];
  let lastPatch: ProposedPatch | null = null;
  // The model may query the whole recording (the failing run, later also the patched run) with tools.
  const maxToolCalls = toolCallLimit(opts);
  const tools =
    maxToolCalls > 0 && provider.supportsTools !== false
      ? toolSession(trace, prepared.compared, secrets)
      : undefined;
  let toolsOn = tools !== undefined;
  for (let index = 1; index <= maxRounds; index++) {
    throwIfAborted(signal);
    const promptFor = (withTools: boolean) =>
      buildPrompt(
        { ...input, previousAttempts: attempts },
        {
          maxTokens: opts.maxTokens,
          temperature: opts.temperature,
          secrets,
          ...(withTools ? { tools: { maxCalls: maxToolCalls } } : {}),
        },
      );
    let built = promptFor(toolsOn);
    secrets.push(...built.learned);
    emit({
      type: 'model-start',
      round: index,
      provider: provider.id,
      messages: built.request.messages,
      tools: toolsOn && tools ? tools.definitions().map((d) => d.name) : [],
    });
    let stream = new RationaleStream();
    const flush = (): void => {
      const rest = stream.flush();
      if (rest) emit({ type: 'rationale-delta', round: index, text: rest });
    };
    const asked = await askWithTools({
      provider,
      request: built.request,
      tools: toolsOn ? tools : undefined,
      maxCalls: maxToolCalls,
      signal,
      onDelta: (d) => {
        const text = stream.push(d);
        if (text) emit({ type: 'rationale-delta', round: index, text });
      },
      onCalls: (calls) => {
        // What the model wrote before calling belongs to the calls, not to the rationale.
        flush();
        stream = new RationaleStream();
        for (const call of calls) emit({ type: 'tool-call', round: index, call });
      },
      plainRequest: (reason) => {
        // Said once; this round is asked again with the plain prompt, later rounds ask without tools.
        toolsOn = false;
        built = promptFor(false);
        emit({ type: 'tools-unavailable', round: index, reason, messages: built.request.messages });
        return built.request;
      },
    });
    const res = asked.result;
    if (res.finishReason === 'cancelled' || signal?.aborted) throw new CancelledError();
    flush();
    const answerFiles = [
      ...files,
      ...(await filesOnDisk(pathsNamedIn(res.text), files, trace.program.root)),
    ];
    const parsed = parseAnswer(res.text, answerFiles, { finishReason: res.finishReason, maxStep });
    emit({
      type: 'answer',
      round: index,
      text: res.text,
      finishReason: res.finishReason,
      state: parsed.state,
      problems: parsed.problems,
    });

    let patch: ProposedPatch | null = null;
    let verification: VerifyResult | null = null;
    let changesTests: string[] = [];
    let notRun = '';
    const problems = [...parsed.problems];
    if (res.toolCalls?.length && !res.text.trim())
      problems.push(`the model kept calling tools after its ${maxToolCalls} calls were used up`);
    if (parsed.state === 'ok' && parsed.files) {
      patch = makePatch(answerFiles, parsed.files);
      // A "fix" that edits the tests can make any test pass without fixing anything.
      changesTests = testFilesIn(
        patch.files.map((f) => f.path),
        testFile,
      );
      const testsBlocked = changesTests.length > 0 && !opts.allowTestEdits;
      if (testsBlocked)
        notRun = `changes the tests (${changesTests.join(', ')}), so it is neither verified nor offered as the fix`;
      else if (!run.verify)
        notRun =
          'not run, because model-written code may not run without a sandbox in this workspace';
      if (!testsBlocked) lastPatch = patch;
      if (!notRun) {
        emit({ type: 'verify-start', round: index, command });
        verification = await verifyPatch({
          ...rec,
          signal,
          timeoutMs: opts.verifyTimeoutMs,
          sandbox: run.sandbox,
          files: patch.files.map((f) => ({ path: f.path, text: f.newText, baseText: f.oldText })),
          failingLine: failingLineAfterPatch(failure, patch),
          passEnv,
        });
        emit({ type: 'verify-done', round: index, verification });
      }
    }
    const round: FixRound = {
      index,
      prompt: built.request.messages,
      redactions: built.redactions,
      answer: {
        text: res.text,
        finishReason: res.finishReason,
        latencyMs: res.latencyMs,
        usage: res.usage,
        model: res.model,
      },
      toolCalls: asked.calls,
      rationale: parsed.rationale,
      summary: parsed.summary,
      steps: parsed.steps,
      state: parsed.state,
      problems,
      patch,
      changesTests,
      verification,
      failure: verification ? verification.failure : notRun || unusableAnswer(parsed),
    };
    rounds.push(round);
    emit({ type: 'round-done', round });
    if (verification?.passed)
      return {
        rounds,
        fixed: true,
        patch,
        trace,
        command,
        failure: traceFailure(trace),
        ...comparisonOf(prepared.compared),
      };
    if (index < maxRounds) {
      const attempt = await attemptOf(round, {
        rec,
        signal,
        useTrace: useTrace && round.verification !== null,
        budget,
        index: index + 1,
        emit,
        run,
        interpreter: trace.interpreter,
        // The next round's tools can also ask about the patched run it reads.
        onPatchedTrace: (t) => tools?.setRun('patched', t),
      });
      // Only the newest attempt keeps its trace: older ones would crowd the prompt.
      for (const a of attempts) delete a.nextTrace;
      attempts.push(attempt);
    }
  }
  return {
    rounds,
    fixed: false,
    patch: lastPatch,
    trace,
    command,
    failure: traceFailure(trace),
    ...comparisonOf(prepared.compared),
  };
}

/** Why a round's answer gave nothing to verify. */
export function unusableAnswer(parsed: ParsedAnswer): string {
  const why = parsed.problems[parsed.problems.length - 1] ?? '';
  switch (parsed.state) {
    case 'incomplete':
      return `model answer incomplete${why ? `: ${why}` : ''}`;
    case 'no-code':
      return `the answer has no usable code${why ? `: ${why}` : ''}`;
    case 'unparseable':
      return `the answer's code could not be applied${why ? `: ${why}` : ''}`;
    case 'ok':
      return '';
  }
}

/** Files an answer names that the prompt did not show (a conftest.py the trace never ran, a module
 * imported but not recorded): read from the root as they are now, so the edit can be matched — and
 * judged (an edit of the tests is never verified). Only files under the root. */
async function filesOnDisk(
  named: string[],
  shown: { path: string }[],
  root: string,
): Promise<{ path: string; text: string }[]> {
  const known = new Set(shown.map((f) => f.path));
  const out: { path: string; text: string }[] = [];
  for (const rel of named) {
    if (known.has(rel) || path.isAbsolute(rel)) continue;
    const abs = path.resolve(root, rel);
    const inside = path.relative(root, abs);
    if (!inside || inside.startsWith('..')) continue;
    try {
      out.push({
        path: inside.split(path.sep).join('/'),
        text: decodeSource(await readFile(abs)).text,
      });
      known.add(rel);
    } catch {
      /* not there: the answer's block stays unmatched, as before */
    }
  }
  return out;
}
