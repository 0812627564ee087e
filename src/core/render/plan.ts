// Which units a rendering shows, at which level, within a token budget. The failure path comes
// first and its values are never cut: the nearest failure units that fit at the plainest full-width
// level are shown (the nearer, the richer); the next one, too large for what is left, shows the
// lines nearest the failure that fit (a window); farther failure units only at full width. The rest
// goes to the other units in nearness order, at the richest level that fits.
import type { CodeUnit } from './units';

export interface Plan {
  /** unit id → level index, for the units shown. */
  levels: Map<number, number>;
  /** unit id → the lines shown of a unit too large to show whole (a window near the failure). */
  windows: Map<number, number[]>;
}

export interface CostModel {
  /** In priority order. */
  units: readonly CodeUnit[];
  levelCount: number;
  /** Levels (from the richest) failure units may use: their values are whole in these. */
  failureLevels: number;
  /** The level the slice's lines are first shown at (values whole, fewest entries). */
  sliceLevel?: number;
  unitCost(u: CodeUnit, level: number): number;
  /** The lines of `u` nearest the failure that fit `budget` at `level`, and their cost. */
  window(u: CodeUnit, level: number, budget: number): { lines: number[]; cost: number } | undefined;
  /** For a unit on the slice: its slice lines and header at `level`, and their cost. */
  sliceWindow?(
    u: CodeUnit,
    level: number,
    maxCost?: number,
  ): { lines: number[]; cost: number } | undefined;
  /** The slice's lines, nearest the failure first: each with its unit. */
  sliceOrder?(): { unit: CodeUnit; line: number }[];
  /** The unit on the slice where the wrong value was made (its lines get room first). */
  originUnit?(): CodeUnit | undefined;
  /** The lines of `u` a slice line brings: its whole statement (long ones cut). */
  statementLines?(u: CodeUnit, line: number): number[];
  /** What `u` costs shown as these lines (ascending; its header among them) at `level`. */
  linesCost?(u: CodeUnit, level: number, lines: readonly number[]): number;
  /** Units on the slice are shown whole, nearest first (plain code: a function is read whole), rather
   * than the slice's lines first. */
  sliceUnitsWhole?: boolean;
  /** Tokens a file's header costs (paid once per file shown). */
  fileHeader: number;
}

/** Tokens a slice unit may take at first at least (its header and nearest slice statement). */
const MIN_SLICE_SHARE = 40;
/** Below this budget the slice's lines are shown in order of distance only (no share per unit). */
const MIN_BREADTH_BUDGET = 2000;
/** Slice lines that did not fit, in a row, before the walk along the slice stops. */
const MAX_MISSES = 48;
/** A window smaller than this is not worth its markers. */
const MIN_WINDOW = 30;

export function emptyPlan(): Plan {
  return { levels: new Map(), windows: new Map() };
}

export function planUnits(m: CostModel, budget: number): Plan {
  const plan = emptyPlan();
  const minFailure = Math.min(m.failureLevels, m.levelCount) - 1;
  const last = m.levelCount - 1;
  const files = new Set<string>();
  let remaining = budget;
  const fileCost = (u: CodeUnit) => (files.has(u.file) ? 0 : m.fileHeader);
  const take = (u: CodeUnit, level: number, cost = m.unitCost(u, level)) => {
    remaining -= cost + fileCost(u);
    files.add(u.file);
    plan.levels.set(u.id, level);
  };
  const takeWindow = (u: CodeUnit, level: number, w: { lines: number[]; cost: number }) => {
    take(u, level, w.cost);
    plan.windows.set(u.id, w.lines);
  };
  const fitsAt = (u: CodeUnit, levels: number): number => {
    for (let l = 0; l < levels; l++) if (m.unitCost(u, l) + fileCost(u) <= remaining) return l;
    return -1;
  };
  // The slice first, with whole values: line by line in order of distance from the failure, each
  // into its unit's window, within half the budget (walkSlice); then every unit not yet shown gets
  // its nearest slice statements within a share of half of what is left (firstLinks), so that a far
  // link (the helper that made the wrong value, calls before) is not crowded out by the many near
  // ones; then the walk goes on within the whole budget. (A budget too small for that is the walk's
  // alone: the nearest links are all it holds.) Plain code shows each unit's
  // nearest slice statements first, then the units whole where they fit, nearest first.
  const slice = m.units.filter((u) => u.failure && u.slice < Infinity);
  const sliceLevel = m.sliceUnitsWhole ? minFailure : (m.sliceLevel ?? minFailure);
  let walk = emptyWalk();
  const breadth = m.sliceUnitsWhole || budget >= MIN_BREADTH_BUDGET;
  // The failing line and the slice's lines in the unit that made the wrong value come first, within
  // half the budget: the walk by distance alone can spend a small budget on the steps that built an
  // object the origin read before it reaches the origin's own lines.
  const origin = m.sliceUnitsWhole ? undefined : m.originUnit?.();
  if (origin)
    walk = walkSlice(m, sliceLevel, budget / 2, walk, (u, k) => k === 0 || u.id === origin.id);
  if (!m.sliceUnitsWhole) walk = walkSlice(m, sliceLevel, breadth ? budget / 2 : budget, walk);
  if (breadth) walk = firstLinks(m, slice, sliceLevel, budget, walk);
  if (!m.sliceUnitsWhole) walk = walkSlice(m, sliceLevel, budget, walk);
  for (const u of slice) {
    const w = walk.windows.get(u.id);
    if (w) takeWindow(u, walk.levels.get(u.id) ?? sliceLevel, w);
  }
  // Then, once every line of the slice is shown, level by level towards the richest, each unit of
  // the slice in turn: whole where it fits, else its lines with more history — values whole for all
  // of them before more history for any. (While some slice line is left out, what the estimates
  // left over is for it: the exact count may still find it room.)
  const sliceShown = walk.complete || m.sliceUnitsWhole === true;
  for (let l = Math.max(minFailure, sliceLevel); l >= 0 && sliceShown; l--) {
    for (const u of slice) {
      const w = walk.windows.get(u.id);
      const level = plan.levels.get(u.id);
      if (!w || level === undefined || level < l) continue;
      const now = plan.windows.has(u.id)
        ? (m.linesCost?.(u, level, w.lines) ?? w.cost)
        : m.unitCost(u, level);
      const whole = m.unitCost(u, l) - now;
      if (whole <= remaining) {
        remaining -= whole;
        plan.levels.set(u.id, l);
        plan.windows.delete(u.id);
        continue;
      }
      if (!plan.windows.has(u.id) || !m.linesCost || l === level) continue;
      const richer = m.linesCost(u, l, w.lines) - now;
      if (richer <= remaining) {
        remaining -= richer;
        plan.levels.set(u.id, l);
      }
    }
  }
  // Plain code: a unit on the slice too large to show whole shows more of its slice lines.
  for (const u of m.sliceUnitsWhole ? slice : []) {
    const level = plan.levels.get(u.id);
    const cur = plan.windows.get(u.id);
    const w0 = walk.windows.get(u.id);
    if (level === undefined || !cur || !w0) continue;
    const now = m.linesCost?.(u, level, cur) ?? w0.cost;
    const w = m.sliceWindow?.(u, level, now + remaining);
    if (w && w.lines.length > cur.length && w.cost - now <= remaining) {
      remaining -= w.cost - now;
      plan.windows.set(u.id, w.lines);
    }
  }
  let reserve = 0;
  // Then the failure stack off the slice (and, when not even the failing line fit as the slice's
  // first line, the failure path as before: the line nearest the failure at a terser level).
  const failure = m.units.filter(
    (u) => u.failure && !plan.levels.has(u.id) && (u.slice === Infinity || plan.levels.size === 0),
  );
  const plainest = (u: CodeUnit) => m.unitCost(u, minFailure) + m.fileHeader;
  let prefix = 0;
  let needed = 0;
  while (prefix < failure.length && needed + plainest(failure[prefix]!) <= remaining)
    needed += plainest(failure[prefix++]!);
  reserve = needed;
  for (const u of failure.slice(0, prefix)) {
    reserve -= plainest(u);
    let level = minFailure;
    for (let l = 0; l < minFailure; l++) {
      if (m.unitCost(u, l) + fileCost(u) <= remaining - reserve) {
        level = l;
        break;
      }
    }
    take(u, level);
  }
  const next = failure[prefix];
  if (next && remaining - fileCost(next) >= MIN_WINDOW) {
    // Values whole; only when not even the line nearest the failure fits so, at the terser levels.
    const lastLevel = prefix === 0 && plan.levels.size === 0 ? last : minFailure;
    for (let level = minFailure; level <= lastLevel; level++) {
      const w = m.window(next, level, remaining - fileCost(next));
      if (w) {
        takeWindow(next, level, w);
        break;
      }
    }
  }
  for (const u of failure.slice(prefix + 1)) {
    const l = fitsAt(u, minFailure + 1);
    if (l >= 0) take(u, l);
  }
  for (const u of m.units) {
    if (u.failure || plan.levels.has(u.id)) continue;
    const l = fitsAt(u, m.levelCount);
    if (l >= 0) take(u, l);
  }
  return plan;
}

interface SliceWalk {
  /** unit id → its slice window (lines with the header, cost) and level. */
  windows: Map<number, { lines: number[]; cost: number }>;
  levels: Map<number, number>;
  /** Every line of the slice is in a window. */
  complete: boolean;
  /** Files with a unit in a window, and the tokens the windows and their file headers take. */
  files: Set<string>;
  spent: number;
}

function mergeLines(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/**
 * The slice's lines in order of distance from the failure, each with its whole statement and its
 * unit's header, at `level` (values whole), while they fit `budget`: a unit's window grows line by
 * line, so the nearest links of every unit come before the farther ones of any.
 */
function walkSlice(
  m: CostModel,
  level: number,
  budget: number,
  start: SliceWalk,
  only?: (u: CodeUnit, k: number) => boolean,
): SliceWalk {
  const windows = new Map(start.windows);
  const levels = new Map(start.levels);
  const order = m.sliceOrder?.() ?? [];
  if (!m.statementLines || !m.linesCost) return { ...start, complete: order.length === 0 };
  const files = new Set(start.files);
  let spent = start.spent;
  let misses = 0;
  let complete = true;
  for (let k = 0; k < order.length; k++) {
    if (misses >= MAX_MISSES) {
      complete = false;
      break;
    }
    const { unit: u, line } = order[k]!;
    if (only && !only(u, k)) {
      complete = false;
      continue;
    }
    const cur = windows.get(u.id);
    const base = cur?.lines ?? headerLines(u);
    const add = m.statementLines(u, line).filter((l) => !base.includes(l));
    // Nothing new (or only a def line: its header comes with the first line of its body).
    if (add.length === 0) continue;
    const lines = mergeLines(base, add);
    // The failing line itself is always shown: terser (values cut) when it does not fit whole.
    const tries = k === 0 ? m.levelCount - level : 1;
    let placed = false;
    for (let t = 0; t < tries && !placed; t++) {
      const at = levels.get(u.id) ?? level + t;
      const cost = m.linesCost(u, at, lines);
      const delta = cost - (cur?.cost ?? 0) + (files.has(u.file) ? 0 : m.fileHeader);
      if (spent + delta > budget) continue;
      placed = true;
      spent += delta;
      files.add(u.file);
      windows.set(u.id, { lines, cost });
      levels.set(u.id, at);
    }
    if (placed) misses = 0;
    else {
      misses++;
      complete = false;
    }
  }
  return { windows, levels, complete, files, spent };
}

/**
 * Each unit of the slice in turn (nearest the failure first), its header and slice statements
 * nearest the failure within a share of half the budget (the nearest one always, when it fits
 * what is left), at `level`.
 */
function firstLinks(
  m: CostModel,
  slice: readonly CodeUnit[],
  level: number,
  budget: number,
  start: SliceWalk,
): SliceWalk {
  const walk: SliceWalk = {
    windows: new Map(start.windows),
    levels: new Map(start.levels),
    complete: start.complete,
    files: new Set(start.files),
    spent: start.spent,
  };
  const left = slice.filter((u) => !walk.windows.has(u.id));
  const room = Math.max(0, budget - walk.spent);
  const share = Math.max(MIN_SLICE_SHARE, Math.floor(room / 2 / Math.max(left.length, 1)));
  slice.forEach((u, k) => {
    if (walk.windows.has(u.id)) return;
    const header = walk.files.has(u.file) ? 0 : m.fileHeader;
    // The failing line itself is always shown: terser (values cut) when it does not fit whole.
    const last = k === 0 ? m.levelCount - 1 : level;
    for (let at = level; at <= last; at++) {
      const w = m.sliceWindow?.(u, at, share);
      if (!w || walk.spent + w.cost + header > budget) continue;
      walk.spent += w.cost + header;
      walk.files.add(u.file);
      walk.windows.set(u.id, w);
      walk.levels.set(u.id, at);
      break;
    }
  });
  return walk;
}

function emptyWalk(): SliceWalk {
  return { windows: new Map(), levels: new Map(), complete: true, files: new Set(), spent: 0 };
}

/** A def unit's header lines (decorators to the colon); none for module code. */
function headerLines(u: CodeUnit): number[] {
  return u.kind === 'def' ? u.lines.filter((l) => l <= u.headerEnd) : [];
}
