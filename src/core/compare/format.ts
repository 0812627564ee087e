// How a comparison of two runs reads: one paragraph per divergence (where, both values, both call
// paths), the changed lines between the two runs' code, and what the comparison left out. Shared by
// `tracefix diff`, the compare_runs tool and the prompt's "First divergence" section.
import { shortenValue } from '../render/changes';
import type { RunComparison, SourceChange } from './compare';
import type { Divergence, SideAt } from './divergence';
import { NOISE_KINDS, type NoiseKind } from './noise';

export interface RunLabels {
  /** How run A / B are named in sentences: "the failing run", "the passing run at HEAD". */
  a: string;
  b: string;
  /** Short names for value lists: "now", "at HEAD". */
  aShort: string;
  bShort: string;
}

export const DEFAULT_LABELS: RunLabels = {
  a: 'the failing run',
  b: 'the passing run',
  aShort: 'failing',
  bShort: 'passing',
};

export interface FormatOptions {
  labels?: RunLabels;
  /** Longest value shown (default 160). */
  valueWidth?: number;
  /** A value shown to the model or the user: redaction hook (default: as recorded). */
  value?: (name: string, value: string) => string;
  /** Leave out run B's source text and which lines changed between the runs (a benchmark's
   * reference solution is the answer). */
  codeHidden?: boolean;
}

const NOISE_NAMES: Record<NoiseKind, string> = {
  root: 'project folder paths',
  temp: 'temporary file names',
  object: 'object numbers (#n)',
  address: 'memory addresses and id()s',
  uuid: 'random UUIDs',
  set: 'set orders',
  clock: 'clock readings',
};

function code(text: string | undefined): string {
  if (!text) return '';
  const t = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  return ` \`${t.replace(/`/g, "'")}\``;
}

function where(s: SideAt): string {
  return `${s.file}:${s.line} in ${s.call}`;
}

/** What the step did when that is not just running its line: raising, returning, being called. */
function action(s: SideAt): string {
  if (s.kind === 'exception') return ` (raised ${s.exception ?? 'an exception'})`;
  if (s.kind === 'return') return ' (returned)';
  if (s.kind === 'yield') return ' (yielded)';
  if (s.kind === 'call') return ' (the call began)';
  return '';
}

function valueText(opts: FormatOptions, name: string, v: string | undefined): string {
  if (v === undefined) return '(not set)';
  const shown = opts.value ? opts.value(name, v) : v;
  return shortenValue(shown.replace(/\n/g, '\\n'), opts.valueWidth ?? 160);
}

/** `w: 3 (failing) vs 2 (passing)` for each value that differs. */
function valueList(d: Divergence, opts: FormatOptions, labels: RunLabels): string[] {
  return d.values.map(
    (v) =>
      `${v.name}: ${valueText(opts, v.name, v.a)} (${labels.aShort}) vs ${valueText(opts, v.name, v.b)} (${labels.bShort})`,
  );
}

function causeText(d: Divergence): string {
  if (!d.cause) return '';
  if (d.cause.kind === 'changed-line') return ' (this line changed between the two runs)';
  return d.cause.function ? ` (after the change to \`${d.cause.function}\`)` : '';
}

/** Run B's step without parentheses (`its step 12`, `after its step 11`): `(k)` always means run A's. */
function theirStep(s: SideAt): string {
  if (s.step !== null) return `its step ${s.step}`;
  const m = /after (\d+)/.exec(s.stepRef);
  return m ? `after its step ${m[1]}` : 'at its start';
}

/** The head line of a divergence: `step (41) at stats.py:12 in width#1 \`w = _afterpoint(s)\` — …`. */
export function divergenceHead(
  d: Divergence,
  labels: RunLabels = DEFAULT_LABELS,
  codeHidden = false,
): string {
  const cause = codeHidden ? '' : causeText(d);
  const theirs = (s: SideAt): string => (codeHidden ? '' : code(s.source));
  if (d.kind === 'value' && d.a && d.b) {
    const moved =
      d.b.line !== d.a.line || d.b.file !== d.a.file ? ` at ${d.b.file}:${d.b.line}` : '';
    return `step ${d.a.stepRef} at ${where(d.a)}${code(d.a.source)}${action(d.a)} — in ${labels.b}: ${theirStep(d.b)}${moved}${cause}`;
  }
  if (d.a && d.b)
    return `step ${d.a.stepRef} at ${where(d.a)}${code(d.a.source)}${action(d.a)} — ${labels.b} took ${where(d.b)}${theirs(d.b)}${action(d.b)} instead (${theirStep(d.b)})${cause}`;
  if (d.a)
    return `step ${d.a.stepRef} at ${where(d.a)}${code(d.a.source)}${action(d.a)} — only ${labels.a} took it${d.bNext ? `; ${labels.b} went on to ${where(d.bNext)}${action(d.bNext)} (${theirStep(d.bNext)})` : ''}${cause}`;
  if (d.b)
    return `${labels.b} took ${where(d.b)}${theirs(d.b)}${action(d.b)} (${theirStep(d.b)}), ${labels.a} did not${d.aNext ? `: it went on to step ${d.aNext.stepRef} at ${where(d.aNext)}${action(d.aNext)}` : ''}${cause}`;
  return '?';
}

/** The lines describing one divergence (head, values or the steps only one run took, call paths). */
export function divergenceLines(d: Divergence, opts: FormatOptions = {}, paths = true): string[] {
  const labels = opts.labels ?? DEFAULT_LABELS;
  const out = [divergenceHead(d, labels, opts.codeHidden === true)];
  if (d.kind === 'value') out.push(...valueList(d, opts, labels).map((l) => `  ${l}`));
  else {
    const only = (n: number, calls: string[], who: string): string =>
      n
        ? `  ${n} step${n === 1 ? '' : 's'} only in ${who}${calls.length ? `, calling ${calls.join(', ')}` : ''}`
        : '';
    const a = only(d.onlyA, d.callsA, labels.a);
    const b = only(d.onlyB, d.callsB, labels.b);
    if (a) out.push(a);
    if (b) out.push(b);
  }
  if (paths) {
    const pa = (d.a ?? d.aNext)?.path;
    const pb = (d.b ?? d.bNext)?.path;
    if (pa && pb && pa.join() === pb.join()) out.push(`  call path (both): ${pa.join(' → ')}`);
    else {
      if (pa) out.push(`  call path (${labels.aShort}): ${pa.join(' → ')}`);
      if (pb) out.push(`  call path (${labels.bShort}): ${pb.join(' → ')}`);
    }
  }
  if (d.alsoHere)
    out.push(`  (${d.alsoHere} more divergent step${d.alsoHere === 1 ? '' : 's'} here)`);
  return out;
}

/** One line on what the noise rule ignored, or ''. */
export function noiseLine(cmp: RunComparison): string {
  const parts = NOISE_KINDS.filter((k) => (cmp.noise[k] ?? 0) > 0).map(
    (k) => `${cmp.noise[k] ?? 0} in ${NOISE_NAMES[k]}`,
  );
  return parts.length ? `Ignored as differences every two runs have: ${parts.join(', ')}.` : '';
}

/** The changed lines between the runs' code as diff hunks, within `maxLines` lines. */
export function changesText(changes: SourceChange[], labels: RunLabels, maxLines = 80): string {
  const out: string[] = [];
  let left = maxLines;
  let omitted = 0;
  for (const c of changes) {
    const header = [`--- ${c.path} (${labels.bShort})`, `+++ ${c.path} (${labels.aShort})`];
    const body: string[] = [];
    for (const h of c.hunks) {
      const lines = h.text.split('\n');
      if (lines.length > left - header.length) {
        omitted++;
        continue;
      }
      body.push(...lines);
      left -= lines.length;
    }
    if (body.length) {
      out.push(...header, ...body);
      left -= header.length;
    }
  }
  if (omitted) out.push(`(${omitted} more changed region${omitted === 1 ? '' : 's'} not shown)`);
  return out.join('\n');
}

/** What was compared when a run was not recorded whole, or ''. */
export function coverageText(cmp: RunComparison, labels: RunLabels): string {
  const c = cmp.coverage;
  if (!c) return '';
  const parts = [c.a ? `${cap(labels.a)} ${c.a}` : '', c.b ? `${cap(labels.b)} ${c.b}` : ''].filter(
    Boolean,
  );
  return `${parts.join('; ')}: the runs were compared on what both kept, and steps next to a stretch one run did not record were not compared${cmp.notCompared ? ` (${cmp.notCompared})` : ''}.`;
}

/** The whole comparison as text (`tracefix diff`, the compare_runs tool). */
export function comparisonText(cmp: RunComparison, opts: FormatOptions = {}): string {
  const labels = opts.labels ?? DEFAULT_LABELS;
  const out: string[] = [];
  const run = (name: string, r: RunComparison['a']) =>
    `${name}: ${r.passed ? 'passed' : `failed — ${r.outcome}`} (${r.events} events${r.elided ? `, ${r.elided} not kept` : ''})`;
  out.push(run(cap(labels.a), cmp.a), run(cap(labels.b), cmp.b));
  out.push(`Aligned ${cmp.matched} steps and ${cmp.calls} calls of the two runs.`);
  const coverage = coverageText(cmp, labels);
  if (coverage) out.push(coverage);
  const [first, ...next] = cmp.divergences;
  if (!first) out.push('No divergence: the two runs took the same steps with the same values.');
  else {
    out.push('', 'First divergence:', ...divergenceLines(first, opts));
    if (next.length) {
      out.push('', 'Next divergences:');
      for (const d of next)
        out.push(...divergenceLines(d, opts, false).map((l, i) => (i ? l : `- ${l}`)));
    }
    if (cmp.firstFlow)
      out.push('', 'First step only one run took:', ...divergenceLines(cmp.firstFlow, opts));
    const more = cmp.places - cmp.divergences.length;
    out.push(
      '',
      `${cmp.steps} divergent step${cmp.steps === 1 ? '' : 's'} at ${cmp.places} place${cmp.places === 1 ? '' : 's'}${more > 0 ? ` (${more} more places not listed)` : ''}.`,
    );
  }
  const noise = noiseLine(cmp);
  if (noise) out.push(noise);
  const changes = changesText(cmp.changes, labels);
  if (changes) out.push('', 'Lines changed between the two runs:', changes);
  return out.join('\n');
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
