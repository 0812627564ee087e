// Renders a trace the way the NExT paper (Ni et al., ICML 2024) feeds it to a model: the source with
// inline comments `# (k) name=value;` in execution order, `__return__=…`, `__exception__ = …`, and
// lines executed many times keeping their first entries and the last, eliding the middle with `...;`
// until the whole text fits a token budget (counted with a real BPE tokenizer).
import { countTokens } from './tokens';
import { deltaText, type Trace, type TraceEvent } from '../trace/model';

export const DEFAULT_BUDGET = 6000;

export interface NextOptions {
  /** Token budget for the whole rendered text. */
  budget?: number;
  /** Only these files (relative paths); default: every traced file. */
  files?: string[];
  /** Most leading entries a line keeps before `...;` even when the budget allows more (default 10). */
  maxPerLine?: number;
}

export interface NextRendering {
  text: string;
  tokens: number;
  budget: number;
  /** Entries kept at the start of each line's history before `...;`. */
  keptPerLine: number;
  /** Longest value shown, in characters (Infinity when values were not shortened). */
  valueWidth: number;
  /** True when even the most compact rendering exceeds the budget. */
  overBudget: boolean;
}

interface Entry {
  step: number;
  parts: string[];
  exception?: string;
}

/** Per file → per line → the entries in step order. */
export function collectEntries(trace: Trace): Map<string, Map<number, Entry[]>> {
  const byFile = new Map<string, Map<number, Entry[]>>();
  const sourceLines = new Map(trace.sources.map((s) => [s.path, s.text.split(/\r?\n/)]));
  for (const ev of trace.events) {
    if (ev.step === null) continue;
    const entry = entryFor(ev);
    if (!entry) continue;
    let line = ev.line;
    if (ev.kind === 'call') line = defLine(sourceLines.get(ev.file), ev.line);
    let lines = byFile.get(ev.file);
    if (!lines) byFile.set(ev.file, (lines = new Map<number, Entry[]>()));
    let list = lines.get(line);
    if (!list) lines.set(line, (list = []));
    list.push(entry);
  }
  return byFile;
}

function entryFor(ev: TraceEvent): Entry | undefined {
  const step = ev.step ?? 0;
  switch (ev.kind) {
    case 'call':
    case 'line': {
      const parts = Object.entries(ev.changed).map(([k, v]) => `${k}=${v};`);
      for (const d of ev.deleted ?? []) parts.push(`del ${d};`);
      for (const d of ev.deltas ?? []) parts.push(`${deltaText(d)};`);
      return parts.length ? { step, parts } : undefined;
    }
    case 'return':
      return { step, parts: [`__return__=${ev.value ?? 'None'};`] };
    case 'yield':
      return { step, parts: [`__yield__=${ev.value ?? 'None'};`] };
    case 'exception':
      return { step, parts: [], exception: ev.exception?.repr ?? 'Exception()' };
  }
}

/** A decorated function's code starts at its first decorator; NExT puts the bindings on the `def`. */
function defLine(lines: string[] | undefined, first: number): number {
  if (!lines) return first;
  for (let i = first - 1; i < Math.min(lines.length, first + 30); i++) {
    if (/^\s*(async\s+)?def\s/.test(lines[i] ?? '')) return i + 1;
  }
  return first;
}

function shorten(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, Math.max(width - 3, 1))}...`;
}

function formatEntry(e: Entry, width: number): string {
  if (e.exception !== undefined) return `(${e.step}) __exception__ = ${shorten(e.exception, width)}`;
  const parts = width === Infinity ? e.parts : e.parts.map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? p : `${p.slice(0, eq + 1)}${shorten(p.slice(eq + 1, -1), width)};`;
  });
  return `(${e.step}) ${parts.join(' ')}`;
}

function formatLine(entries: Entry[], keep: number, width: number): string {
  if (entries.length <= keep + 1) return entries.map((e) => formatEntry(e, width)).join(' ');
  const head = entries.slice(0, keep).map((e) => formatEntry(e, width));
  const last = entries[entries.length - 1];
  return [...head, '...;', ...(last ? [formatEntry(last, width)] : [])].join(' ');
}

export function renderWith(trace: Trace, keep: number, width: number, files?: string[]): string {
  const entries = collectEntries(trace);
  const order = files ?? fileOrder(trace);
  const multi = order.length > 1;
  const out: string[] = [];
  for (const file of order) {
    const src = trace.sources.find((s) => s.path === file);
    if (!src) continue;
    const lines = entries.get(file) ?? new Map<number, Entry[]>();
    if (multi) out.push(`# ==== ${file} ====`);
    const text = src.text.replace(/\r\n/g, '\n').replace(/\n$/, '');
    text.split('\n').forEach((line, i) => {
      const list = lines.get(i + 1);
      out.push(list && list.length ? `${line}  # ${formatLine(list, keep, width)}` : line);
    });
    if (multi) out.push('');
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

/** Files in the order they were first entered. */
export function fileOrder(trace: Trace): string[] {
  const seen: string[] = [];
  for (const ev of trace.events) if (!seen.includes(ev.file)) seen.push(ev.file);
  return seen.filter((f) => trace.sources.some((s) => s.path === f && s.text.length > 0));
}

export function renderNext(trace: Trace, opts: NextOptions = {}): NextRendering {
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const cap = opts.maxPerLine ?? 10;
  const render = (keep: number, width: number) => renderWith(trace, Math.min(keep, cap), width, opts.files);
  const full = render(Infinity, Infinity);
  const fullTokens = countTokens(full);
  if (fullTokens <= budget) {
    return { text: full, tokens: fullTokens, budget, keptPerLine: cap, valueWidth: Infinity, overBudget: false };
  }
  const maxEntries = Math.max(1, ...[...collectEntries(trace).values()].flatMap((m) => [...m.values()].map((l) => l.length)));
  for (const width of [Infinity, 60, 30, 12]) {
    // Largest number of leading entries per line that fits (binary search; fewer entries = fewer tokens).
    let lo = 1;
    let hi = Math.min(maxEntries, cap);
    let best: { text: string; tokens: number; keep: number } | undefined;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const text = render(mid, width);
      const tokens = countTokens(text);
      if (tokens <= budget) {
        best = { text, tokens, keep: mid };
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (best) return { text: best.text, tokens: best.tokens, budget, keptPerLine: best.keep, valueWidth: width, overBudget: false };
  }
  const text = render(1, 12);
  return { text, tokens: countTokens(text), budget, keptPerLine: 1, valueWidth: 12, overBudget: true };
}
