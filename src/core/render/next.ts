// Renders a trace the way the NExT paper (Ni et al., ICML 2024) feeds it to a model: the source with
// inline comments `# (k) name=value;` in execution order, `__return__=…;`, `__exception__ = …;`.
// Failure first: only the code that ran is shown (functions that ran, their lines; what did not run
// collapses to `# ... lines a-b not shown` markers), and the token budget (a real BPE count) is a hard
// cap spent first on the failure path — the frames on the exception's stack, the test, the calls
// they made, whose values are never cut — then on the rest by nearness to the failure. Long line
// histories keep their first entries and the last (`...(N more);`); what was left out is counted.
import type { Trace } from '../trace/model';
import { recordingModel } from '../trace/recordingModel';
import { untracedEnd } from '../trace/outcome';
import { Layouter, type RenderMode } from './layout';
import type { Level } from './lineText';
import { emptyPlan, type Plan } from './plan';
import { countTokens } from './tokens';
import { indexTrace, type TraceIndex } from './traceIndex';
import { buildUnits, type CodeUnit } from './units';

export const DEFAULT_BUDGET = 6000;

export interface NextOptions {
  /** Token budget for the whole rendered text (a hard cap). */
  budget?: number;
  /** Only these files (relative paths); default: every traced file. */
  files?: string[];
  /** Most leading entries a line keeps before `...(N more);` even when the budget allows more (default 10). */
  maxPerLine?: number;
}

export interface NextRendering {
  text: string;
  tokens: number;
  budget: number;
  /** Fewest leading entries a shown line history kept before `...(N more);`. */
  keptPerLine: number;
  /** Shortest value width used, in characters (Infinity when no value was shortened). */
  valueWidth: number;
  /** True when not even the header comments fit the budget (the text is then cut to them). */
  overBudget: boolean;
  /** Entries `(k) …;` written, and recorded. */
  stepsShown: number;
  totalSteps: number;
  /** Functions that ran (with entries) but are not shown, as `file:name`. */
  leftOut: string[];
}

/** From whole to terse; failure-path units use the first three unless nothing else fits. */
export const NEXT_LEVELS: Level[] = [
  { keep: 10, width: Infinity, gap: Infinity },
  { keep: 3, width: Infinity, gap: 8 },
  { keep: 1, width: Infinity, gap: 3 },
  // The slice's first form: each line with its entry nearest the failure, the value whole.
  { keep: 0, width: Infinity, gap: 3 },
  { keep: 1, width: 40, gap: 3 },
  { keep: 0, width: 16, gap: 2 },
];
const FAILURE_LEVELS = 3;
const SLICE_LEVEL = 3;
/** Tokens kept free for the summary comment written after planning (it names what is left out). */
const SUMMARY_RESERVE = 300;

function where(file: string, line: number, fn?: string): string {
  return `${file}:${line}${fn && fn !== '<module>' ? ` in ${fn}` : ''}`;
}

function lastStep(trace: Trace, before = trace.events.length): number | null {
  for (let i = Math.min(before, trace.events.length) - 1; i >= 0; i--) {
    const s = trace.events.at(i)?.step;
    if (s !== null && s !== undefined) return s;
  }
  return null;
}

/** Comments saying how the recording ended when it is not the whole story: partial, exited, crashed, long. */
export function headerComments(trace: Trace, index: TraceIndex = indexTrace(trace)): string[] {
  const o = trace.outcome;
  const out: string[] = [];
  const last = index.last;
  const step = lastStep(trace);
  // Where it stopped: the last recorded line (the line running when the run was stopped or crashed).
  const stop = `${last ? ` at ${where(last.file, last.line, last.function)}` : ''}${step === null ? '' : `, after step (${step})`}`;
  if (o.status === 'exited') {
    out.push(`# The program ended at once with os._exit(${o.exitCode ?? '?'})${stop}.`);
  } else if (o.status === 'crashed') {
    out.push(
      `# The program was killed by ${o.signal ?? 'a signal'}${stop}; values are recorded up to there.`,
    );
  } else if (o.tracerTakenOver) {
    const t = o.tracerTakenOver;
    const s = lastStep(trace, t.afterEvent + 1);
    const place = t.file ? ` at ${t.file}:${t.line ?? '?'}` : '';
    out.push(
      `# Partial trace: the program installed its own tracer (sys.settrace)${place}${s === null ? '' : `, after step (${s})`}; that thread is not fully recorded after it.`,
    );
  } else if (o.recordingStopped) {
    out.push(
      `# Partial trace: recording stopped after ${o.recordingStopped.afterMs / 1000} s (the time limit)${stop}; the program went on untraced and ${untracedEnd(o)}.`,
    );
  } else if (o.status === 'timeout') {
    out.push(
      `# Partial trace: the program was stopped by the ${trace.limits.timeoutMs / 1000} s timeout${stop}.`,
    );
  } else if (o.partial && !trace.elided) {
    out.push(
      `# Partial trace: ${o.message?.trim().replace(/\.$/, '') || 'the recording ended before the program did'}${stop}.`,
    );
  }
  const gap = trace.elided;
  if (gap && gap.events > 0) {
    const between = index.gapSteps
      ? ` between step (${index.gapSteps.before ?? '?'}) and step (${index.gapSteps.after ?? '?'})`
      : '';
    out.push(
      `# Long run: ${gap.events} events (${gap.steps} steps)${between} were not recorded; lines that ran then say "...(N more runs not recorded);".`,
    );
  }
  return out.map((l) => l.replace(/\s*\n\s*/g, ' '));
}

function leftOutNames(units: CodeUnit[]): string[] {
  return units.map((u) =>
    u.kind === 'module' ? `${u.file} (module code)` : `${u.file}:${u.name}`,
  );
}

/** Functions named in the summary at most (the rest counted): ask for them with the tools. */
const MAX_NAMED = 40;

/** `a.py: f, g; b.py: (module code), h, +N more` — the left-out functions, at most MAX_NAMED and
 * `maxChars` characters (the rest counted). */
function namesByFile(units: CodeUnit[], maxChars: number): string {
  const byFile = new Map<string, string[]>();
  let chars = 0;
  let named = 0;
  for (const u of units.slice(0, MAX_NAMED)) {
    const name = u.kind === 'module' ? '(module code)' : u.name;
    const cost = name.length + 2 + (byFile.has(u.file) ? 0 : u.file.length + 4);
    if (named > 0 && chars + cost > maxChars) break;
    chars += cost;
    named++;
    let list = byFile.get(u.file);
    if (!list) byFile.set(u.file, (list = []));
    list.push(name);
  }
  const text = [...byFile].map(([file, names]) => `${file}: ${names.join(', ')}`).join('; ');
  return units.length > named ? `${text}; +${units.length - named} more` : text;
}

function summaryComment(
  budget: number,
  shown: number,
  total: number,
  leftOut: CodeUnit[],
  filesLeftOut: string[],
): string | undefined {
  if (shown >= total && leftOut.length === 0) return undefined;
  const parts = [`${total - shown} of ${total} steps`];
  if (leftOut.length) {
    parts.push(
      `${leftOut.length} function${leftOut.length === 1 ? '' : 's'} that ran (${namesByFile(leftOut, Math.max(60, budget / 2))})`,
    );
  }
  if (filesLeftOut.length)
    parts.push(`${filesLeftOut.length} file${filesLeftOut.length === 1 ? '' : 's'}`);
  return `# Not shown within the ${budget}-token budget: ${parts.join('; ')}.`;
}

/** Exact counts to spend what the plan's estimates left over (each is one emission of the text). */
const MAX_REFINEMENTS = 12;

/** What refine needs of the layouter to grow the slice's windows line by line. */
interface SliceGrowth {
  sliceOrder(): { unit: CodeUnit; line: number }[];
  statementLines(u: CodeUnit, line: number): number[];
  sliceLevel: number;
}

/**
 * The plan's estimates are conservative; with exact counts, first shows more of the slice (its
 * lines the plan left out, in order of distance, each into its unit's window), then shows units one
 * level richer (or at all: failure units at full width, others at the tersest level) in priority
 * order while the text still fits; a unit shown in part (a window) whole when it fits.
 */
function refine<R extends { tokens: number; r: { plan: Plan } }>(
  start: R,
  budget: number,
  units: readonly CodeUnit[],
  levels: number,
  finish: (p: Plan) => R,
  slice: SliceGrowth,
): R {
  let cur = start;
  let tries = 0;
  for (const { unit: u, line } of slice.sliceOrder()) {
    if (tries >= MAX_REFINEMENTS) break;
    const level = cur.r.plan.levels.get(u.id);
    const window = cur.r.plan.windows.get(u.id);
    if (level !== undefined && !window) continue; // shown whole
    const have = new Set(
      window ?? (u.kind === 'def' ? u.lines.filter((l) => l <= u.headerEnd) : []),
    );
    const add = slice.statementLines(u, line).filter((l) => !have.has(l));
    if (add.length === 0) continue;
    tries++;
    const res = finish({
      levels: new Map(cur.r.plan.levels).set(u.id, level ?? slice.sliceLevel),
      windows: new Map(cur.r.plan.windows).set(
        u.id,
        [...have, ...add].sort((a, b) => a - b),
      ),
    });
    if (res.tokens <= budget) cur = res;
  }
  tries = 0;
  for (const u of units) {
    if (cur.r.plan.windows.has(u.id) && tries < MAX_REFINEMENTS) {
      // The whole unit may fit after all.
      const windows = new Map(cur.r.plan.windows);
      windows.delete(u.id);
      tries++;
      const res = finish({ levels: cur.r.plan.levels, windows });
      if (res.tokens <= budget) cur = res;
    }
    while (tries < MAX_REFINEMENTS && budget - cur.tokens >= 8 && !cur.r.plan.windows.has(u.id)) {
      const level = cur.r.plan.levels.get(u.id);
      const next = level === undefined ? (u.failure ? FAILURE_LEVELS - 1 : levels - 1) : level - 1;
      if (next < 0) break;
      tries++;
      const res = finish({
        levels: new Map(cur.r.plan.levels).set(u.id, next),
        windows: cur.r.plan.windows,
      });
      if (res.tokens > budget) break;
      cur = res;
    }
  }
  return cur;
}

export function renderNext(trace: Trace, opts: NextOptions = {}): NextRendering {
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const cap = opts.maxPerLine ?? 10;
  const levels = NEXT_LEVELS.map((l) => ({ ...l, keep: Math.min(l.keep, cap) }));
  const mode: RenderMode = {
    annotate: true,
    levels,
    failureLevels: FAILURE_LEVELS,
    sliceLevel: SLICE_LEVEL,
  };
  const index = indexTrace(trace);
  const set = buildUnits(trace, index, opts.files ? { files: opts.files } : {});
  const layouter = new Layouter(trace, index, set, mode);
  const header = headerComments(trace, index);
  const headerTokens = header.length ? countTokens(header.join('\n') + '\n') : 0;
  let planBudget = budget - headerTokens - Math.min(SUMMARY_RESERVE, Math.floor(budget / 8));
  const finish = (plan: Plan) => {
    const r = layouter.emit(plan);
    const summary = summaryComment(
      budget,
      r.stepsShown,
      index.totalSteps,
      r.unitsLeftOut,
      r.filesLeftOut,
    );
    const comments = [...header, ...(summary ? [summary] : [])];
    const body = r.text.trim() ? r.text : '';
    const text = comments.length ? `${comments.join('\n')}\n${body}` : body;
    return { r, text, tokens: comments.length ? countTokens(text) : r.tokens };
  };
  for (let attempt = 0; attempt < 4 && planBudget > 0; attempt++) {
    let cur = finish(layouter.plan(planBudget));
    if (cur.tokens <= budget) {
      cur = refine(cur, budget, set.units, levels.length, finish, layouter);
      const { r, text, tokens } = cur;
      const used = [...r.plan.levels.values()].map((l) => levels[l]!);
      return {
        text,
        tokens,
        budget,
        overBudget: false,
        stepsShown: r.stepsShown,
        totalSteps: index.totalSteps,
        keptPerLine: used.length ? Math.min(...used.map((l) => l.keep)) : cap,
        valueWidth: used.length ? Math.min(...used.map((l) => l.width)) : Infinity,
        leftOut: leftOutNames(r.unitsLeftOut),
      };
    }
    // The plan's per-line counts were short of the exact count: plan again with the difference.
    planBudget -= cur.tokens - budget + Math.ceil(budget * 0.03);
  }
  // Nothing fits beside the comments: keep as many of them as fit (the cap holds even then).
  const r = layouter.emit(emptyPlan());
  const summary = summaryComment(budget, 0, index.totalSteps, r.unitsLeftOut, r.filesLeftOut);
  const comments = [...header, ...(summary ? [summary] : [])];
  let text = '';
  for (let n = comments.length; n > 0 && !text; n--) {
    const t = comments.slice(0, n).join('\n') + '\n';
    if (countTokens(t) <= budget) text = t;
  }
  return {
    text,
    tokens: countTokens(text),
    budget,
    overBudget: set.units.length > 0,
    stepsShown: 0,
    totalSteps: index.totalSteps,
    keptPerLine: 0,
    valueWidth: 0,
    leftOut: leftOutNames(r.unitsLeftOut),
  };
}

/** Files in the order they were first entered (files with source text only). */
export function fileOrder(trace: Trace): string[] {
  const withText = new Set(trace.sources.filter((s) => s.text.length > 0).map((s) => s.path));
  return [...recordingModel(trace).byLine.keys()].filter((f) => withText.has(f));
}
