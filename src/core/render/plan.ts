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
  unitCost(u: CodeUnit, level: number): number;
  /** The lines of `u` nearest the failure that fit `budget` at `level`, and their cost. */
  window(u: CodeUnit, level: number, budget: number): { lines: number[]; cost: number } | undefined;
  /** Tokens a file's header costs (paid once per file shown). */
  fileHeader: number;
}

/** A window smaller than this is not worth its markers. */
const MIN_WINDOW = 30;

export function emptyPlan(): Plan {
  return { levels: new Map(), windows: new Map() };
}

export function planUnits(m: CostModel, budget: number): Plan {
  const plan = emptyPlan();
  const minFailure = Math.min(m.failureLevels, m.levelCount) - 1;
  const files = new Set<string>();
  let remaining = budget;
  const fileCost = (u: CodeUnit) => (files.has(u.file) ? 0 : m.fileHeader);
  const take = (u: CodeUnit, level: number, cost = m.unitCost(u, level)) => {
    remaining -= cost + fileCost(u);
    files.add(u.file);
    plan.levels.set(u.id, level);
  };
  const fitsAt = (u: CodeUnit, levels: number): number => {
    for (let l = 0; l < levels; l++) if (m.unitCost(u, l) + fileCost(u) <= remaining) return l;
    return -1;
  };
  const failure = m.units.filter((u) => u.failure);
  const plainest = (u: CodeUnit) => m.unitCost(u, minFailure) + m.fileHeader;
  let prefix = 0;
  let needed = 0;
  while (prefix < failure.length && needed + plainest(failure[prefix]!) <= remaining)
    needed += plainest(failure[prefix++]!);
  let reserve = needed;
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
    const last = prefix === 0 ? m.levelCount - 1 : minFailure;
    for (let level = minFailure; level <= last; level++) {
      const w = m.window(next, level, remaining - fileCost(next));
      if (w) {
        take(next, level, w.cost);
        plan.windows.set(next.id, w.lines);
        break;
      }
    }
  }
  for (const u of failure.slice(prefix + 1)) {
    const l = fitsAt(u, minFailure + 1);
    if (l >= 0) take(u, l);
  }
  for (const u of m.units) {
    if (u.failure) continue;
    const l = fitsAt(u, m.levelCount);
    if (l >= 0) take(u, l);
  }
  return plan;
}
