// `tracefix fix`: trace the failing run, ask a model for a trace-grounded rationale and patch, verify
// the patch against the same command in a temporary copy, print the rationale (streamed), the diff
// and the verdict; with --apply write a verified patch (keeping .orig backups).
import * as path from 'node:path';
import { UserError } from '../core/errors';
import { applyPatch, buildFixPrompt, explainAndFix, type FixEvent, type FixResult, type FixRound } from '../core/fix';
import { createOpenAIProvider, OPENAI_BASE_URL } from '../core/model/openaiProvider';
import type { ChatMessage } from '../core/model/provider';
import type { WritePatchedFileResult } from '../core/patch/applyFile';
import { TRACE_OPTIONS, parse, positiveInt, splitDashDash, traceArgs, type CommonTraceArgs } from './args';
import { FIX_HELP } from './help';
import { EXIT, recordOptions } from './common';

export const DEFAULT_MODEL = 'gpt-4o-mini';

const FIX_OPTIONS = {
  ...TRACE_OPTIONS,
  model: { type: 'string' },
  'base-url': { type: 'string' },
  rounds: { type: 'string' },
  apply: { type: 'boolean' },
  'no-backup': { type: 'boolean' },
  json: { type: 'boolean' },
  'show-prompt': { type: 'boolean' },
  'no-trace': { type: 'boolean' },
  'prompt-only': { type: 'boolean' },
  'allow-test-edits': { type: 'boolean' },
  'no-sandbox': { type: 'boolean' },
} as const;

export interface ModelConfig {
  model: string;
  baseURL: string;
  apiKey: string;
}

/** Model settings from flags and environment; UserError when neither a key nor a server is configured. */
export function modelConfig(flags: { model?: string; baseURL?: string }, env: NodeJS.ProcessEnv): ModelConfig {
  const apiKey = env.OPENAI_API_KEY ?? '';
  const baseURL = flags.baseURL ?? (env.TRACEFIX_BASE_URL || undefined);
  if (!apiKey && !baseURL) {
    throw new UserError('model-auth', 'No model configured: set OPENAI_API_KEY to use the OpenAI API, or point Tracefix at an OpenAI-compatible server with --base-url URL or TRACEFIX_BASE_URL (e.g. http://localhost:11434/v1 for Ollama).',
      'Choose the model with --model NAME or TRACEFIX_MODEL (default gpt-4o-mini).');
  }
  return { model: flags.model ?? (env.TRACEFIX_MODEL || DEFAULT_MODEL), baseURL: baseURL ?? OPENAI_BASE_URL, apiKey };
}

export function formatPrompt(messages: ChatMessage[], round: number): string {
  const body = messages.map((m) => `----- ${m.role} -----\n${m.content.replace(/\n+$/, '')}`).join('\n');
  return `===== prompt (round ${round}) =====\n${body}\n===== end of prompt =====\n`;
}

function verdict(kind: string, r: FixRound): string {
  const v = r.verification;
  if (v?.passed) {
    const what = kind === 'pytest' ? 'verified: test passes' : `verified: \`${v.command}\` exits 0`;
    return v.sandboxed ? what : `${what} (run without a sandbox)`;
  }
  if (r.changesTests.length && !v) return `not verified: ${r.failure} (allow with --allow-test-edits)`;
  return `not verified: ${r.failure || 'no patch'}`;
}

/** Prints progress (stderr) and the streamed rationale, diff and verdict (stdout). */
function humanPrinter(out: NodeJS.WritableStream, err: NodeJS.WritableStream, showPrompt: boolean, maxRounds: number, kind: string, modelLabel: string) {
  let streamed = '';
  return (e: FixEvent): void => {
    switch (e.type) {
      case 'trace-start':
        err.write(e.patched ? `tracefix: tracing the patched program…\n` : 'tracefix: tracing the failing run…\n');
        break;
      case 'trace-done':
        err.write(`tracefix: recorded ${e.trace.outcome.eventCount} events${e.nextTokens ? ` (NExT trace: ${e.nextTokens} tokens)` : ''}\n`);
        break;
      case 'trace-failed':
        err.write(`tracefix: could not trace the patched program: ${e.message}\n`);
        break;
      case 'model-start':
        if (showPrompt) out.write(formatPrompt(e.messages, e.round));
        err.write(`tracefix: asking ${modelLabel} (round ${e.round} of ${maxRounds})…\n`);
        if (e.round > 1) out.write(`\n=== round ${e.round} ===\n`);
        streamed = '';
        break;
      case 'rationale-delta':
        streamed += e.text;
        out.write(e.text);
        break;
      case 'answer':
        if (streamed && !streamed.endsWith('\n')) out.write('\n');
        break;
      case 'verify-start':
        err.write(`tracefix: verifying the patch: ${e.command}…\n`);
        break;
      case 'verify-done':
        break;
      case 'round-done': {
        const r = e.round;
        if (r.summary && !streamed.includes(r.summary)) out.write(`Summary: ${r.summary}\n`);
        if (r.patch) {
          out.write(`${streamed.endsWith('\n\n') ? '' : '\n'}${r.patch.diff.replace(/\n*$/, '\n')}\n`);
          for (const p of r.problems) err.write(`tracefix: note: ${p}\n`);
        }
        out.write(`${verdict(kind, r)}\n`);
        break;
      }
    }
  };
}

function jsonResult(res: FixResult, applied: WritePatchedFileResult[], model: ModelConfig, root: string): unknown {
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  return {
    fixed: res.fixed,
    command: res.command,
    failure: res.failure,
    model: { name: model.model, baseURL: model.baseURL },
    trace: { status: res.trace.outcome.status, events: res.trace.outcome.eventCount, exitCode: res.trace.outcome.exitCode },
    rounds: res.rounds.map((r) => ({
      index: r.index,
      summary: r.summary,
      rationale: r.rationale,
      steps: r.steps,
      state: r.state,
      problems: r.problems,
      changesTests: r.changesTests,
      failure: r.failure,
      patch: r.patch && { diff: r.patch.diff, files: r.patch.files.map((f) => ({ path: f.path, added: f.added, removed: f.removed, hunks: f.hunks })) },
      verification: r.verification,
      answer: r.answer,
      prompt: r.prompt,
      redactions: r.redactions,
    })),
    patch: res.patch && { diff: res.patch.diff, files: res.patch.files.map((f) => f.path), verified: res.fixed },
    applied: applied.map((a) => ({ path: rel(a.path), backup: a.backupPath ? rel(a.backupPath) : null })),
  };
}

export interface FixCommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function fixCommand(argv: string[], signal: AbortSignal, io: FixCommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const [own, programArgs] = splitDashDash(argv);
  const { values, positionals } = parse(own, FIX_OPTIONS);
  if (values.help) {
    io.stdout.write(FIX_HELP);
    return EXIT.ok;
  }
  const a = traceArgs(values, positionals, programArgs);
  const rounds = positiveInt('rounds', values.rounds);
  if (rounds !== undefined && !Number.isInteger(rounds)) throw new UserError('bad-argument', `--rounds must be a whole number (got ${values.rounds}).`);
  if (values['prompt-only']) return promptOnly(values, a, signal, io);
  const cfg = modelConfig({ model: values.model, baseURL: values['base-url'] }, io.env);
  const provider = createOpenAIProvider({
    model: cfg.model, baseURL: cfg.baseURL, apiKey: cfg.apiKey,
    log: a.verbose ? (line) => io.stderr.write(`tracefix: ${line}\n`) : undefined,
  });
  const json = values.json === true;
  const maxRounds = rounds ?? 3;
  const rec = recordOptions(a, signal);
  const kind = rec.target.kind;
  let res: FixResult;
  try {
    res = await explainAndFix({
      recordOptions: rec,
      provider,
      budget: a.budget,
      maxRounds,
      useTrace: values['no-trace'] !== true,
      // --timeout bounds each verification run too (default 30 s there: plain runs are faster).
      verifyTimeoutMs: a.timeoutMs,
      allowTestEdits: values['allow-test-edits'] === true,
      sandbox: values['no-sandbox'] !== true,
      signal,
      onEvent: json ? undefined : humanPrinter(io.stdout, io.stderr, values['show-prompt'] === true, maxRounds, kind, provider.label),
    });
  } catch (e) {
    throw explainModelError(e);
  }
  let applied: WritePatchedFileResult[] = [];
  if (values.apply) {
    if (res.fixed && res.patch) {
      applied = await applyPatch(res.trace.program.root, res.patch, { backup: values['no-backup'] !== true });
      if (!json) {
        for (const w of applied) {
          const shown = path.relative(process.cwd(), w.path) || w.path;
          io.stdout.write(`applied: ${shown}${w.backupPath ? ` (previous version in ${path.relative(process.cwd(), w.backupPath)})` : ''}\n`);
        }
      }
    } else if (!json) {
      io.stderr.write('tracefix: not applied: no verified fix\n');
    }
  }
  if (json) io.stdout.write(`${JSON.stringify(jsonResult(res, applied, cfg, res.trace.program.root), null, 1)}\n`);
  return res.fixed ? EXIT.ok : EXIT.notFixed;
}

/** `--prompt-only`: trace and print the exact round-1 prompt; no model is configured or called. */
async function promptOnly(values: { json?: boolean; 'no-trace'?: boolean }, a: CommonTraceArgs, signal: AbortSignal, io: FixCommandIO): Promise<number> {
  const json = values.json === true;
  const p = await buildFixPrompt({
    recordOptions: recordOptions(a, signal),
    budget: a.budget,
    useTrace: values['no-trace'] !== true,
    signal,
    onEvent: json ? undefined : (e) => {
      if (e.type === 'trace-start') io.stderr.write('tracefix: tracing the failing run…\n');
      if (e.type === 'trace-done') io.stderr.write(`tracefix: recorded ${e.trace.outcome.eventCount} events${e.nextTokens ? ` (NExT trace: ${e.nextTokens} tokens)` : ''}\n`);
    },
  });
  if (json) io.stdout.write(`${JSON.stringify({ command: p.command, prompt: p.messages, redactions: p.redactions }, null, 1)}\n`);
  else io.stdout.write(formatPrompt(p.messages, 1));
  return EXIT.ok;
}

/** Model errors with CLI-specific advice on where the settings come from. */
function explainModelError(e: unknown): unknown {
  if (!(e instanceof UserError)) return e;
  if (e.code === 'model-auth') {
    return new UserError(e.code, e.message, 'Set OPENAI_API_KEY to a valid key for this endpoint (the server is chosen with --base-url or TRACEFIX_BASE_URL).');
  }
  if (e.code === 'model-incomplete') return new UserError(e.code, `model answer incomplete: ${e.message}`, e.hint ?? 'Nothing was written. Try again.');
  if (e.code === 'model-not-found') return new UserError(e.code, e.message, `${e.hint ?? ''} Choose the model with --model or TRACEFIX_MODEL.`.trim());
  if (e.code === 'untrusted') return new UserError(e.code, e.message, 'Install bubblewrap (apt-get install bubblewrap), or pass --no-sandbox to run the patched code without one.');
  return e;
}
