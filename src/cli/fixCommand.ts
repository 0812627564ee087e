// `tracefix fix`: trace the failing run, ask a model for a trace-grounded rationale and patch, verify
// the patch against the same command in a temporary copy, print the rationale (streamed), the diff
// and the verdict; with --apply write a verified patch byte for byte (keeping .orig backups). The
// endpoint is checked before tracing; --json output is redacted like the prompts.
import * as path from 'node:path';
import { UserError } from '../core/errors';
import {
  applyPatch,
  buildFixPrompt,
  DEFAULT_MAX_TOOL_CALLS,
  explainAndFix,
  type FixResult,
} from '../core/fix';
import type { BaselineSpec } from '../core/compare/baseline';
import { createOpenAIProvider } from '../core/model/client/openaiProvider';
import type { WritePatchedFileResult } from '../core/patch/applyFile';
import { parsePassedEnv, passedValues } from '../core/verify/runEnv';
import {
  TRACE_OPTIONS,
  parse,
  numberOption,
  splitDashDash,
  traceArgs,
  type CommonTraceArgs,
} from './args';
import { FIX_HELP } from './help';
import { preloadTokenizer } from '../core/render/tokens';
import { EXIT, recordOptions } from './common';
import {
  checkModelEndpoint,
  DEFAULT_MODEL_TIMEOUT_S,
  keyHint,
  modelConfig,
  type ModelConfig,
} from './fixModel';
import { redactDeep, secretsInTrace, secretsOf } from '../core/redact/output';
import { BASELINE_OPTIONS, baselineArg, baselineLine, comparisonJson } from './baselineOutput';
import { formatPrompt, humanPrinter } from './fixOutput';

export { DEFAULT_MODEL, modelConfig, type ModelConfig } from './fixModel';
export { formatPrompt, formatToolCall } from './fixOutput';

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
  env: { type: 'string', multiple: true },
  'model-timeout': { type: 'string' },
  'max-tokens': { type: 'string' },
  'no-tools': { type: 'boolean' },
  'max-tool-calls': { type: 'string' },
  ...BASELINE_OPTIONS,
} as const;

function jsonResult(
  res: FixResult,
  applied: WritePatchedFileResult[],
  model: ModelConfig,
  root: string,
): unknown {
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  return {
    fixed: res.fixed,
    command: res.command,
    failure: res.failure,
    model: { name: model.model, baseURL: model.baseURL },
    trace: {
      status: res.trace.outcome.status,
      events: res.trace.outcome.eventCount,
      exitCode: res.trace.outcome.exitCode,
    },
    rounds: res.rounds.map((r) => ({
      index: r.index,
      summary: r.summary,
      rationale: r.rationale,
      steps: r.steps,
      state: r.state,
      problems: r.problems,
      changesTests: r.changesTests,
      failure: r.failure,
      patch: r.patch && {
        diff: r.patch.diff,
        files: r.patch.files.map((f) => ({
          path: f.path,
          added: f.added,
          removed: f.removed,
          hunks: f.hunks,
        })),
      },
      verification: r.verification,
      answer: r.answer,
      toolCalls: r.toolCalls ?? [],
      prompt: r.prompt,
      redactions: r.redactions,
    })),
    patch: res.patch && {
      diff: res.patch.diff,
      files: res.patch.files.map((f) => f.path),
      verified: res.fixed,
    },
    comparison: comparisonJson(res.comparison),
    applied: applied.map((a) => ({
      path: rel(a.path),
      backup: a.backupPath ? rel(a.backupPath) : null,
    })),
  };
}

export interface FixCommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function fixCommand(
  argv: string[],
  signal: AbortSignal,
  io: FixCommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const [own, programArgs] = splitDashDash(argv);
  const { values, positionals } = parse(own, FIX_OPTIONS);
  if (values.help) {
    io.stdout.write(FIX_HELP);
    return EXIT.ok;
  }
  const { env: runEnv = [], ...single } = values;
  const a = traceArgs(single, positionals, programArgs);
  const rounds = numberOption('rounds', values.rounds);
  const modelTimeout =
    numberOption('model-timeout', values['model-timeout']) ?? DEFAULT_MODEL_TIMEOUT_S;
  const maxTokens = numberOption('max-tokens', values['max-tokens']);
  const maxToolCalls = values['no-tools']
    ? 0
    : (numberOption('max-tool-calls', values['max-tool-calls']) ?? DEFAULT_MAX_TOOL_CALLS);
  const baseline = baselineArg(values);
  if (values['prompt-only']) return promptOnly(values, a, signal, io, maxToolCalls, baseline);
  const cfg = modelConfig({ model: values.model, baseURL: values['base-url'] }, io.env);
  // Secret values never printed or sent: the keys, the environment's secrets and those passed to
  // model-written runs by value (--env DB_PASSWORD=…).
  const secrets = secretsOf({ ...io.env, ...passedValues(parsePassedEnv(runEnv)) }, cfg.apiKey);
  const log = (line: string): void => void io.stderr.write(`tracefix: ${line}\n`);
  // Before tracing: a wrong URL, a rejected key or a down server is one line now, not after a recording.
  await checkModelEndpoint(cfg, log, signal);
  const provider = createOpenAIProvider({
    model: cfg.model,
    baseURL: cfg.baseURL,
    apiKey: cfg.apiKey,
    deadlineMs: modelTimeout * 1000,
    timeoutHint: `--model-timeout SECONDS (now ${modelTimeout})`,
    maxTokens,
    log: a.verbose ? log : undefined,
  });
  const json = values.json === true;
  const maxRounds = rounds ?? 3;
  const rec = { ...recordOptions(a, signal), whileStarting: preloadTokenizer };
  const kind = rec.target.kind;
  const printer = json
    ? undefined
    : humanPrinter(
        io.stdout,
        io.stderr,
        values['show-prompt'] === true,
        maxRounds,
        kind,
        provider.label,
        secrets,
      );
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
      runEnv,
      maxToolCalls,
      secrets,
      signal,
      baseline,
      onEvent: (e) => {
        // Values the rules find in the traced code and output are kept out of what is printed, too.
        if (e.type === 'trace-done' && !e.patched)
          secrets.push(...secretsInTrace(e.trace, secrets));
        printer?.(e);
      },
    });
  } catch (e) {
    throw explainModelError(e, cfg);
  }
  let applied: WritePatchedFileResult[] = [];
  if (values.apply) {
    if (res.fixed && res.patch) {
      applied = await applyPatch(res.trace.program.root, res.patch, {
        backup: values['no-backup'] !== true,
      });
      if (!json) {
        for (const w of applied) {
          const shown = path.relative(process.cwd(), w.path) || w.path;
          io.stdout.write(
            `applied: ${shown}${w.backupPath ? ` (previous version in ${path.relative(process.cwd(), w.backupPath)})` : ''}\n`,
          );
        }
      }
    } else if (!json) {
      io.stderr.write('tracefix: not applied: no verified fix\n');
    }
  }
  if (json)
    io.stdout.write(
      `${JSON.stringify(redactDeep(jsonResult(res, applied, cfg, res.trace.program.root), secrets), null, 1)}\n`,
    );
  return res.fixed ? EXIT.ok : EXIT.notFixed;
}

/** `--prompt-only`: trace and print the exact round-1 prompt; no model is configured or called. */
async function promptOnly(
  values: { json?: boolean; 'no-trace'?: boolean },
  a: CommonTraceArgs,
  signal: AbortSignal,
  io: FixCommandIO,
  maxToolCalls: number,
  baseline: BaselineSpec,
): Promise<number> {
  const json = values.json === true;
  const p = await buildFixPrompt({
    recordOptions: { ...recordOptions(a, signal), whileStarting: preloadTokenizer },
    budget: a.budget,
    useTrace: values['no-trace'] !== true,
    maxToolCalls,
    secrets: secretsOf(io.env),
    signal,
    baseline,
    onEvent: json
      ? undefined
      : (e) => {
          io.stderr.write(baselineLine(e));
          if (e.type === 'trace-start') io.stderr.write('tracefix: tracing the failing run…\n');
          if (e.type === 'trace-done')
            io.stderr.write(
              `tracefix: recorded ${e.trace.outcome.eventCount} events${e.nextTokens ? ` (NExT trace: ${e.nextTokens} tokens)` : ''}\n`,
            );
        },
  });
  if (json)
    io.stdout.write(
      `${JSON.stringify(redactDeep({ command: p.command, prompt: p.messages, tools: p.tools, redactions: p.redactions }, secretsOf(io.env)), null, 1)}\n`,
    );
  else
    io.stdout.write(
      formatPrompt(
        p.messages,
        1,
        p.tools.map((t) => t.name),
      ),
    );
  return EXIT.ok;
}

/** Model errors with CLI-specific advice on where the settings come from. */
function explainModelError(e: unknown, cfg: ModelConfig): unknown {
  if (!(e instanceof UserError)) return e;
  if (e.code === 'model-auth') return new UserError(e.code, e.message, keyHint(cfg));
  if (e.code === 'model-incomplete')
    return new UserError(
      e.code,
      `model answer incomplete: ${e.message}`,
      e.hint ?? 'Nothing was written. Try again.',
    );
  if (e.code === 'model-not-found')
    return new UserError(
      e.code,
      e.message,
      `${e.hint ?? ''} Choose the model with --model or TRACEFIX_MODEL.`.trim(),
    );
  if (e.code === 'untrusted')
    return new UserError(
      e.code,
      e.message,
      'Install bubblewrap (apt-get install bubblewrap), or pass --no-sandbox to run the patched code without one.',
    );
  return e;
}
