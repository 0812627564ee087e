// Chooses what code a rendering shows within a token budget and writes it. Each unit (units.ts) can
// be shown at a few levels, from whole (every line, the first entries of each line's history) to
// terse (only the lines that ran, short histories, cut values); units not shown at all leave a
// one-line marker. The budget goes to the failure path first, then to the other units by
// nearness. Costs are counted once per line and per entry (the BPE cost of text is additive across
// the line and entry boundaries these are cut at), so planning is linear in what could be shown; the
// chosen text is then counted exactly once, and planned again tighter in the rare case it is over.
import type { Trace } from '../trace/model';
import { cutLine, entryText, pickEntries, type Level } from './lineText';
import { countTokens } from './tokens';
import type { Entry, TraceIndex } from './traceIndex';
import type { CodeUnit, FileLayout, UnitSet } from './units';
import { planUnits, type CostModel, type Plan } from './plan';
import { emitFiles, emitText, type LayoutResult } from './layoutEmit';

export type { LayoutResult };

export interface RenderMode {
  /** 'next': lines carry their `# (k) …;` entries; 'code': plain source. */
  annotate: boolean;
  levels: Level[];
  /** How many of the levels (from the richest) failure-path units use unless nothing else fits. */
  failureLevels: number;
  /** The level the slice's lines are first shown at (default: the last failure level). */
  sliceLevel?: number;
  /** Units on the slice shown whole first, not its lines first (plain code). */
  sliceUnitsWhole?: boolean;
}

/** Statements longer than this many lines keep their first lines and last at the terser levels. */
const LONG_STATEMENT = 12;
const MARKER_TOKENS = 14;
const FILE_HEADER_TOKENS = 10;

export class Layouter implements CostModel {
  private readonly srcTokens = new Map<string, Int32Array>();
  private readonly entryTokens = new Map<Entry, Map<number, number>>();
  private readonly costs = new Map<string, number>();
  private readonly statementSpan = new Map<string, { start: Int32Array; end: Int32Array }>();
  private readonly codeLine = new Map<string, Uint8Array>();

  constructor(
    readonly trace: Trace,
    readonly index: TraceIndex,
    readonly set: UnitSet,
    readonly mode: RenderMode,
  ) {}

  layout(file: string): FileLayout {
    return this.set.files.get(file)!;
  }

  private tok(text: string): number {
    return countTokens(text);
  }

  private lineTokens(file: string, line: number): number {
    let arr = this.srcTokens.get(file);
    if (!arr)
      this.srcTokens.set(file, (arr = new Int32Array(this.layout(file).text.length + 2).fill(-1)));
    let t = arr[line] as number;
    if (t < 0) arr[line] = t = this.tok(`${cutLine(this.layout(file).text[line - 1] ?? '')}\n`);
    return t;
  }

  private entryCost(e: Entry, width: number): number {
    let m = this.entryTokens.get(e);
    if (!m) this.entryTokens.set(e, (m = new Map<number, number>()));
    let t = m.get(width);
    if (t === undefined) m.set(width, (t = this.tok(` ${entryText(e, width)}`)));
    return t;
  }

  private annotationCost(file: string, line: number, level: Level): number {
    if (!this.mode.annotate) return 0;
    const list = this.index.entries.get(file)?.get(line) ?? [];
    const gap = this.index.gapRuns.get(file)?.get(line) ?? 0;
    if (list.length === 0 && gap === 0) return 0;
    let t = 2 + (gap ? 8 : 0);
    let prev = -1;
    for (const i of pickEntries(list, level.keep, this.focus)) {
      if (i > prev + 1) t += 7;
      t += this.entryCost(list[i]!, level.width);
      prev = i;
    }
    return t;
  }

  /** An event's distance from the failure when it is on the slice. */
  readonly focus = (index: number): number | undefined => this.set.focus?.distance.get(index);

  private spans(file: string): { start: Int32Array; end: Int32Array } {
    let s = this.statementSpan.get(file);
    if (!s) {
      const layout = this.layout(file);
      const n = layout.text.length + 2;
      s = { start: new Int32Array(n), end: new Int32Array(n) };
      for (const st of layout.src.statements) {
        for (let l = st.start; l <= st.end && l < n; l++) {
          s.start[l] = st.start;
          s.end[l] = st.end;
        }
      }
      this.statementSpan.set(file, s);
    }
    return s;
  }

  /** Lines holding a statement CPython runs (not blank, comment, docstring or `else:`). */
  codeLines(file: string): Uint8Array {
    let c = this.codeLine.get(file);
    if (!c) {
      const layout = this.layout(file);
      c = new Uint8Array(layout.text.length + 2);
      for (const st of layout.src.statements)
        if (st.code) for (let l = st.start; l <= st.end && l < c.length; l++) c[l] = 1;
      this.codeLine.set(file, c);
    }
    return c;
  }

  /** The lines of `u` shown at `level` (context headers excluded). */
  shownLines(u: CodeUnit, levelIndex: number): number[] {
    const level = this.mode.levels[levelIndex]!;
    const layout = this.layout(u.file);
    const gap = u.kind === 'module' && level.gap === Infinity ? 12 : level.gap;
    const trimStatements = levelIndex >= 2;
    const spans = trimStatements ? this.spans(u.file) : undefined;
    const out: number[] = [];
    let run: number[] = [];
    // Lines that did not run are kept between lines that are shown (and at the end of a def body:
    // the branch not taken) when the run is short; blank lines only between shown lines.
    let before = false;
    const flush = (after: boolean) => {
      if (run.length) {
        const blankOnly = run.every((l) => !(layout.text[l - 1] ?? '').trim());
        const internal = before && after;
        const keep = blankOnly
          ? internal && run.length <= 2
          : (internal || (before && u.kind === 'def')) && run.length < gap;
        if (keep) out.push(...run);
        else before = false;
      }
      run = [];
    };
    let prev = -1;
    for (const l of u.lines) {
      if (prev >= 0 && l !== prev + 1) {
        flush(false);
        before = false;
      }
      prev = l;
      const header = u.kind === 'def' && l <= u.headerEnd;
      if (header || layout.ran[l] === 1) {
        flush(true);
        if (spans && !header) {
          const s = spans.start[l] as number;
          const e = spans.end[l] as number;
          if (e - s + 1 > LONG_STATEMENT && l - s >= 4 && l !== e) {
            before = false;
            continue;
          }
        }
        out.push(l);
        before = true;
      } else run.push(l);
    }
    flush(false);
    return out;
  }

  unitCost(u: CodeUnit, levelIndex: number): number {
    const key = `${u.id}:${levelIndex}`;
    const cached = this.costs.get(key);
    if (cached !== undefined) return cached;
    const level = this.mode.levels[levelIndex]!;
    const lines = this.shownLines(u, levelIndex);
    let t = MARKER_TOKENS;
    let prev = -1;
    for (const l of u.context) t += this.lineTokens(u.file, l);
    for (const l of lines) {
      if (prev >= 0 && l > prev + 1) t += MARKER_TOKENS;
      prev = l;
      t += this.lineTokens(u.file, l) + this.annotationCost(u.file, l, level);
    }
    this.costs.set(key, t);
    return t;
  }

  /** The line of `u` nearest the failure: where an exception left it, else its latest entry. */
  private focalLine(u: CodeUnit): number {
    const owner = this.layout(u.file).owner;
    for (let i = this.index.exceptions.length - 1; i >= 0; i--) {
      const x = this.index.exceptions[i]!;
      if (x.file === u.file && owner[x.line] === u.id) return x.line;
    }
    const entries = this.index.entries.get(u.file);
    let best = u.lines[u.lines.length - 1] ?? 0;
    let bestIndex = -1;
    for (const l of u.lines) {
      const list = entries?.get(l);
      const last = list?.[list.length - 1];
      if (last && last.index > bestIndex) {
        bestIndex = last.index;
        best = l;
      }
    }
    return best;
  }

  /** The lines of `u` around the one nearest the failure (mostly those before it) that fit `budget`. */
  window(
    u: CodeUnit,
    levelIndex: number,
    budget: number,
  ): { lines: number[]; cost: number } | undefined {
    const level = this.mode.levels[levelIndex]!;
    const shown = this.shownLines(u, levelIndex);
    const isHeader = (l: number) => u.kind === 'def' && l <= u.headerEnd;
    const body = shown.filter((l) => !isHeader(l));
    if (body.length === 0) return undefined;
    const lineCost = (l: number) =>
      this.lineTokens(u.file, l) + this.annotationCost(u.file, l, level);
    let cost = 2 * MARKER_TOKENS;
    for (const l of u.context) cost += this.lineTokens(u.file, l);
    for (const l of shown) if (isHeader(l)) cost += lineCost(l);
    const focal = this.focalLine(u);
    let f = 0;
    while (f + 1 < body.length && body[f + 1]! <= focal) f++;
    const step = (i: number, j: number) =>
      lineCost(body[i]!) +
      (body[i]! === body[j]! + 1 || body[j]! === body[i]! + 1 ? 0 : MARKER_TOKENS);
    if (cost + lineCost(body[f]!) > budget) return undefined;
    cost += lineCost(body[f]!);
    let lo = f;
    let hi = f;
    while (lo > 0 && cost + step(lo - 1, lo) <= budget) cost += step(--lo, lo + 1);
    while (hi + 1 < body.length && cost + step(hi + 1, hi) <= budget) cost += step(++hi, hi - 1);
    return { lines: [...shown.filter(isHeader), ...body.slice(lo, hi + 1)], cost };
  }

  /** The lines of `u` a slice line brings: its whole statement (at most 13 lines of it). */
  statementLines(u: CodeUnit, line: number): number[] {
    const spans = this.spans(u.file);
    const s = (spans.start[line] as number) || line;
    const e = Math.min((spans.end[line] as number) || line, s + 12);
    const out: number[] = [];
    for (let k = s; k <= e; k++) if (this.ownLine(u, k)) out.push(k);
    return out;
  }

  private readonly owned = new Map<number, Set<number>>();

  private ownLine(u: CodeUnit, line: number): boolean {
    let set = this.owned.get(u.id);
    if (!set) this.owned.set(u.id, (set = new Set(u.lines)));
    return set.has(line);
  }

  /** What `u` costs shown as `lines` (ascending) at `level`: context, lines, entries, markers. */
  linesCost(u: CodeUnit, levelIndex: number, lines: readonly number[]): number {
    const level = this.mode.levels[levelIndex]!;
    let cost = MARKER_TOKENS;
    for (const l of u.context) cost += this.lineTokens(u.file, l);
    let prev = -1;
    for (const l of lines) {
      if (prev >= 0 && l > prev + 1) cost += MARKER_TOKENS;
      prev = l;
      cost += this.lineTokens(u.file, l) + this.annotationCost(u.file, l, level);
    }
    return cost;
  }

  private origin: CodeUnit | null | undefined;

  /** The unit where the wrong value was made: the first user function (not a dunder, not the failing
   * unit) whose returned value the slice uses, nearest the failure first. */
  originUnit(): CodeUnit | undefined {
    if (this.origin !== undefined) return this.origin ?? undefined;
    this.origin = null;
    const failing = this.sliceOrder()[0]?.unit;
    for (const r of this.set.focus?.returns ?? []) {
      const layout = this.set.files.get(r.file);
      const id = layout?.owner[r.line] ?? -1;
      const u = id >= 0 ? this.set.units.find((x) => x.id === id) : undefined;
      const simple = u?.name.split('.').pop() ?? '';
      if (!u || u.kind !== 'def' || u === failing || /^(__\w+__|<.*>)$/.test(simple)) continue;
      if (u.slice === Infinity) continue;
      this.origin = u;
      break;
    }
    return this.origin ?? undefined;
  }

  private order: { unit: CodeUnit; line: number }[] | undefined;

  /** The slice's lines, nearest the failure first (then in unit priority, later lines first). */
  sliceOrder(): { unit: CodeUnit; line: number }[] {
    if (this.order) return this.order;
    const rank = new Map(this.set.units.map((u, i) => [u.id, i]));
    const items: { unit: CodeUnit; line: number; d: number }[] = [];
    for (const u of this.set.units) {
      if (u.slice === Infinity) continue;
      const near = this.set.focus?.lines.get(u.file);
      for (const line of u.sliceLines) items.push({ unit: u, line, d: near?.get(line) ?? u.slice });
    }
    items.sort(
      (a, b) =>
        a.d - b.d || (rank.get(a.unit.id) ?? 0) - (rank.get(b.unit.id) ?? 0) || b.line - a.line,
    );
    return (this.order = items.map(({ unit, line }) => ({ unit, line })));
  }

  /** The unit's lines on the slice (whole statements) and its header, for a unit too large to show
   * whole: what made the wrong value, with its values. With `maxCost`, only the slice lines nearest
   * the failure that fit it (the header always). */
  sliceWindow(
    u: CodeUnit,
    levelIndex: number,
    maxCost = Infinity,
  ): { lines: number[]; cost: number } | undefined {
    if (u.sliceLines.length === 0) return undefined;
    const picked = new Set<number>();
    if (u.kind === 'def') for (const l of u.lines) if (l <= u.headerEnd) picked.add(l);
    const near = this.set.focus?.lines.get(u.file);
    const order =
      maxCost === Infinity
        ? u.sliceLines
        : [...u.sliceLines].sort(
            (a, b) => (near?.get(a) ?? Infinity) - (near?.get(b) ?? Infinity) || b - a,
          );
    let lines = [...picked].sort((a, b) => a - b);
    let added = 0;
    for (const l of order) {
      const add = this.statementLines(u, l).filter((k) => !picked.has(k));
      if (add.length === 0) continue;
      const next = [...lines, ...add].sort((a, b) => a - b);
      // The nearest slice statement always; the next ones while they fit maxCost.
      if (maxCost !== Infinity && added > 0 && this.linesCost(u, levelIndex, next) > maxCost) break;
      for (const k of add) picked.add(k);
      lines = next;
      added++;
    }
    return { lines, cost: this.linesCost(u, levelIndex, lines) };
  }

  get units(): readonly CodeUnit[] {
    return this.set.units;
  }

  get levelCount(): number {
    return this.mode.levels.length;
  }

  get failureLevels(): number {
    return this.mode.failureLevels;
  }

  get sliceUnitsWhole(): boolean {
    return this.mode.sliceUnitsWhole === true;
  }

  get sliceLevel(): number {
    return this.mode.sliceLevel ?? Math.min(this.mode.failureLevels, this.mode.levels.length) - 1;
  }

  readonly fileHeader = FILE_HEADER_TOKENS;

  /** Which units to show, at which level, within `budget` tokens. */
  plan(budget: number): Plan {
    return planUnits(this, budget);
  }

  /** Writes the chosen units, file by file (files with nothing shown are left out). */
  emitFiles(plan: Plan): ReturnType<typeof emitFiles> {
    return emitFiles(this, plan);
  }

  /** Writes the chosen units as one text, `# ==== file ====` before each file when there are several. */
  emit(plan: Plan): LayoutResult {
    return emitText(this, plan);
  }
}
