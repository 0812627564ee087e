// `tracefix diff A.json B.json`: where two recordings part — the first divergence (both values,
// both call paths), the next few, and the lines changed between the code they ran. Text, or --json.
// Exit 0 when the runs do not diverge, 1 when they do (as diff(1)), 2 on a usage error.
import * as path from 'node:path';
import { compareRuns, type RunComparison } from '../core/compare/compare';
import { comparisonText, type RunLabels } from '../core/compare/format';
import { UserError } from '../core/errors';
import { redact } from '../core/redact/redact';
import { readTraceFile } from '../core/trace/traceFile';
import { numberOption, parse } from './args';
import { EXIT } from './common';
import { DIFF_HELP } from './help';
import { redactDeep, secretsInTrace, secretsOf } from '../core/redact/output';

const DIFF_OPTIONS = {
  json: { type: 'boolean' },
  next: { type: 'string' },
  'from-step': { type: 'string' },
  redact: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface DiffIO {
  stdout: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export async function diffCommand(
  argv: string[],
  io: DiffIO = { stdout: process.stdout, env: process.env },
): Promise<number> {
  const { values, positionals } = parse(argv, DIFF_OPTIONS);
  if (values.help) {
    io.stdout.write(DIFF_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 2)
    throw new UserError(
      'bad-argument',
      `Give two trace files: tracefix diff FAILING.json PASSING.json (got ${positionals.length}).`,
      'Record them with `tracefix trace … --format json --out FILE`.',
    );
  const next = numberOption('next', values.next) ?? 5;
  const fromStep = numberOption('from-step', values['from-step']);
  const [fileA, fileB] = positionals as [string, string];
  const [a, b] = await Promise.all([readTraceFile(fileA), readTraceFile(fileB)]);
  const cmp = compareRuns(a, b, { next, ...(fromStep !== undefined ? { fromStep } : {}) });
  const labels = labelsFor(fileA, fileB);
  const secrets = values.redact ? secretsOf(io.env) : [];
  if (values.redact) secrets.push(...secretsInTrace(a, secrets), ...secretsInTrace(b, secrets));
  if (values.json) {
    const out = { files: { a: fileA, b: fileB }, ...jsonOf(cmp) };
    io.stdout.write(`${JSON.stringify(values.redact ? redactDeep(out, secrets) : out, null, 1)}\n`);
  } else {
    const text = comparisonText(cmp, { labels });
    io.stdout.write(`${values.redact ? redact(text, { secrets }).text : text}\n`);
  }
  return cmp.divergences.length ? EXIT.notFixed : EXIT.ok;
}

/** The comparison as JSON: every field (the alignment itself is not part of it). */
export function jsonOf(cmp: RunComparison): Record<string, unknown> {
  return { ...cmp };
}

function labelsFor(fileA: string, fileB: string): RunLabels {
  let a = path.basename(fileA);
  let b = path.basename(fileB);
  if (a === b) {
    a = fileA;
    b = fileB;
  }
  return { a: `run A (${a})`, b: `run B (${b})`, aShort: 'A', bShort: 'B' };
}
