// `tracefix bench`: the whole pipeline (trace → NExT prompt → model → patch → verify) on
// HumanEvalFix, HumanEvalFix-Plus or MBPP; progress on stderr, a summary table on stdout and the
// full report as JSON with --out.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors';
import {
  BenchProgress,
  DATASETS,
  defaultDataDir,
  ORACLE_LABEL,
  ORACLE_MODEL,
  runBench,
  summaryTable,
  type BenchArm,
  type DatasetName,
} from '../core/bench';
import { createOpenAIProvider } from '../core/model/client/openaiProvider';
import { maxEventsOption, numberOption, parse } from './args';
import { checkOutputPath, EXIT } from './common';
import { modelConfig } from './fixCommand';
import { BENCH_HELP } from './help';

const BENCH_OPTIONS = {
  dataset: { type: 'string' },
  data: { type: 'string' },
  limit: { type: 'string' },
  task: { type: 'string', multiple: true },
  jobs: { type: 'string', short: 'j' },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  'no-trace': { type: 'boolean' },
  ablation: { type: 'boolean' },
  tools: { type: 'boolean' },
  divergence: { type: 'boolean' },
  'max-tool-calls': { type: 'string' },
  rounds: { type: 'string' },
  out: { type: 'string' },
  budget: { type: 'string' },
  'max-events': { type: 'string' },
  'max-steps': { type: 'string' },
  timeout: { type: 'string' },
  'verify-timeout': { type: 'string' },
  python: { type: 'string' },
  'no-sandbox': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface BenchCommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export async function benchCommand(
  argv: string[],
  signal: AbortSignal,
  io: BenchCommandIO = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const { values, positionals } = parse(argv, BENCH_OPTIONS);
  if (values.help) {
    io.stdout.write(BENCH_HELP);
    return EXIT.ok;
  }
  if (positionals.length)
    throw new UserError(
      'bad-argument',
      `Unexpected argument: ${positionals[0]}`,
      'Run `tracefix bench --help` for usage.',
    );
  // Checked before an hour of benchmark: the report must have somewhere to go.
  if (values.out) checkOutputPath(values.out);
  const dataset = (values.dataset ?? 'humanevalfix') as DatasetName;
  if (!DATASETS.includes(dataset))
    throw new UserError(
      'bad-argument',
      `--dataset must be one of ${DATASETS.join(', ')} (got ${values.dataset}).`,
    );
  const dataDir = values.data ? path.resolve(values.data) : defaultDataDir(io.env);
  if (!dataDir)
    throw new UserError(
      'file-not-found',
      'Benchmark data not found (no benchmarks/ folder in the Tracefix package).',
      'Point --data (or TRACEFIX_BENCH_DATA) at the benchmarks folder.',
    );
  if (values['no-trace'] && values.ablation)
    throw new UserError(
      'bad-argument',
      'Give --no-trace (prompts without trace only) or --ablation (both), not both.',
    );
  const arms: BenchArm[] = values.ablation
    ? ['trace', 'noTrace']
    : values['no-trace']
      ? ['noTrace']
      : ['trace'];
  if (values.tools) arms.push('tools');
  if (values.divergence) arms.push('divergence');
  if (values['max-tool-calls'] !== undefined && !values.tools)
    throw new UserError('bad-argument', '--max-tool-calls applies to the tools arm: add --tools.');

  // Only an explicit --model oracle selects the test-only provider (never an environment default).
  const oracle = values.model === ORACLE_MODEL;
  let provider;
  let model: { name: string; baseURL: string | null } = { name: ORACLE_MODEL, baseURL: null };
  if (!oracle) {
    const cfg = modelConfig({ model: values.model, baseURL: values['base-url'] }, io.env);
    provider = createOpenAIProvider({ model: cfg.model, baseURL: cfg.baseURL, apiKey: cfg.apiKey });
    model = { name: cfg.model, baseURL: cfg.baseURL };
  }
  const timeout = numberOption('timeout', values.timeout);
  const verifyTimeout = numberOption('verify-timeout', values['verify-timeout']);
  const prefix = oracle ? `tracefix bench [${ORACLE_LABEL}]` : 'tracefix bench';
  const progress = new BenchProgress(io.stderr, prefix);
  if (oracle)
    io.stderr.write(
      `${prefix}: the model is the ${ORACLE_LABEL} provider: it answers with the dataset's solution, so this measures the pipeline, not a model.\n`,
    );
  const report = await runBench({
    dataset,
    dataDir,
    provider,
    model,
    arms,
    signal,
    limit: numberOption('limit', values.limit),
    ids: values.task,
    jobs: numberOption('jobs', values.jobs),
    rounds: numberOption('rounds', values.rounds),
    maxToolCalls: numberOption('max-tool-calls', values['max-tool-calls']),
    budget: numberOption('budget', values.budget),
    maxSteps: maxEventsOption(values['max-events'], values['max-steps']),
    traceTimeoutMs: timeout === undefined ? undefined : timeout * 1000,
    verifyTimeoutMs: verifyTimeout === undefined ? undefined : verifyTimeout * 1000,
    python: values.python,
    sandbox: values['no-sandbox'] !== true,
    onStart: (n) => progress.start(n),
    onTaskDone: (r, done, total) => progress.task(r, done, total),
  });
  progress.finish();
  io.stdout.write(summaryTable(report));
  if (values.out) {
    writeFileSync(values.out, `${JSON.stringify(report, null, 1)}\n`);
    io.stderr.write(`${prefix}: report written to ${values.out}\n`);
  }
  return EXIT.ok;
}
