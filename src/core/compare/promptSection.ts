// The prompt's `## First divergence from a passing run` section: what the passing run is, the first
// divergence with both values and both call paths, the next few, and the lines changed between the
// code the two runs ran — bounded, so a run that parts everywhere still costs a few hundred tokens.
// Values go through the same redaction as the NExT text's `name=value;` entries.
import { fenceFor } from '../model/prompt';
import type { RunComparison } from './compare';
import {
  changesText,
  coverageText,
  divergenceLines,
  type FormatOptions,
  type RunLabels,
} from './format';

export const DIVERGENCE_HEADING = '## First divergence from a passing run';

/** Divergences after the first shown in the prompt, and changed lines quoted at most. */
const PROMPT_NEXT = 4;
const PROMPT_CHANGED_LINES = 60;

export interface SectionOptions {
  /** The passing run, in a sentence: "the same test at HEAD (3f2a91c), where it passes". */
  description: string;
  labels: RunLabels;
  /** Redacts one value (name, raw repr) as the prompt shows values. */
  value?: (name: string, value: string) => string;
  /** The passing run's code is not shown: no changed lines, none of its source text. */
  codeHidden?: boolean;
}

export function divergenceSection(cmp: RunComparison, o: SectionOptions): string {
  const fmt: FormatOptions = {
    labels: o.labels,
    valueWidth: 120,
    ...(o.value ? { value: o.value } : {}),
    ...(o.codeHidden ? { codeHidden: true } : {}),
  };
  const out = [
    DIVERGENCE_HEADING,
    `The failing run was compared with ${o.description}. The two runs were aligned call by call and line by line (lines moved by edits between them still align); values that differ between any two runs (object numbers #n, addresses, clock readings, random ids) are not counted. Steps (k) are the failing run's, as in the trace above; "its step k" is the passing run's own numbering.`,
  ];
  const coverage = coverageText(cmp, o.labels);
  if (coverage) out.push(coverage);
  const [first, ...next] = cmp.divergences;
  if (!first) {
    out.push(
      'No divergence: both runs took the same steps with the same values in the recorded code, so what differs lies outside it (a library, the environment, the input read).',
    );
  } else {
    out.push('', `First divergence: ${divergenceLines(first, fmt).join('\n')}`);
    const shown = next.slice(0, PROMPT_NEXT);
    if (shown.length) {
      out.push('', 'Next divergences:');
      for (const d of shown)
        out.push(...divergenceLines(d, fmt, false).map((l, i) => (i ? l : `- ${l}`)));
    }
    if (cmp.firstFlow)
      out.push(
        '',
        `First step only one run took: ${divergenceLines(cmp.firstFlow, fmt, false).join('\n')}`,
      );
    out.push(
      `(${cmp.steps} divergent step${cmp.steps === 1 ? '' : 's'} at ${cmp.places} place${cmp.places === 1 ? '' : 's'} in all.)`,
    );
  }
  const changes = o.codeHidden ? '' : changesText(cmp.changes, o.labels, PROMPT_CHANGED_LINES);
  if (changes) {
    const fence = fenceFor(changes);
    out.push('', 'Lines changed between the code of the two runs:', `${fence}diff`, changes, fence);
  }
  return out.join('\n');
}
