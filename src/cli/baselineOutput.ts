// `tracefix fix --baseline …`: which passing run the failing one is compared with (the prompt's
// "First divergence" section), and how the CLI says what it found.
import { parseBaseline, type BaselineSpec } from '../core/compare/baseline';
import type { RunComparison } from '../core/compare/compare';
import { divergenceHead } from '../core/compare/format';
import type { FixEvent } from '../core/fix';

export const BASELINE_OPTIONS = {
  baseline: { type: 'string' },
  'no-baseline': { type: 'boolean' },
} as const;

/** The baseline the flags ask for: `auto` unless --baseline or --no-baseline says otherwise. */
export function baselineArg(values: {
  baseline?: string;
  'no-baseline'?: boolean;
  'no-trace'?: boolean;
}): BaselineSpec {
  if (values['no-baseline'] || values['no-trace']) return { kind: 'none' };
  return values.baseline === undefined ? { kind: 'auto' } : parseBaseline(values.baseline);
}

/** One stderr line per baseline event ('' for other events). */
export function baselineLine(e: FixEvent): string {
  if (e.type === 'baseline-progress') return `tracefix: ${e.text}…\n`;
  if (e.type !== 'baseline-done') return '';
  if (!e.baseline || !e.comparison)
    return e.notes.length
      ? `tracefix: note: no passing run to compare against (${e.notes.join('; ')})\n`
      : '';
  const first = e.comparison.divergences[0];
  return `tracefix: compared with ${e.baseline.description}: ${
    first
      ? `first divergence at ${divergenceHead(first, e.baseline.labels)}`
      : 'no divergence in the recorded code'
  }\n`;
}

/** The comparison as `fix --json` reports it. */
export function comparisonJson(
  c: { description: string; result: RunComparison } | undefined,
): unknown {
  return c ? { against: c.description, ...c.result } : null;
}
