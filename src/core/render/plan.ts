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
  /** For a unit on the slice: its slice lines and header at `level`, and their cost. */
  sliceWindow?(
    u: CodeUnit,
    level: number,
    maxCost?: number,
  ): { lines: number[]; cost: number } | undefined;
  /** Tokens a file's header costs (paid once per file shown). */
  fileHeader: number;
}

/** Tokens a slice unit may take at first at least (its header and nearest slice line). */
const MIN_SLICE_SHARE = 40;
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
  // The slice first: every unit on it gets at least its slice lines at the tersest level (nearest
  // the failure first, while they fit); then, level by level towards the richest, each is raised in
  // the same order while the budget lasts — values whole for all of them before more history for any.
  const slice = m.units.filter((u) => u.failure && u.slice < Infinity);
  // At first each gets a share of half the budget: its slice lines nearest the failure that fit it.
  const share = Math.max(MIN_SLICE_SHARE, Math.floor(budget / 2 / Math.max(slice.length, 1)));
  const forms = (u: CodeUnit, level: number, cap = Infinity) => {
    const out: { cost: number; window?: { lines: number[]; cost: number } }[] = [];
    if (level <= minFailure || !m.sliceWindow) out.push({ cost: m.unitCost(u, level) });
    const w = m.sliceWindow?.(u, level, cap);
    if (w) out.push({ cost: w.cost, window: w });
    return out.sort((a, b) => a.cost - b.cost);
  };
  const chosen = new Map<
    number,
    { level: number; cost: number; window?: { lines: number[]; cost: number } }
  >();
  let spent = 0;
  const sliceFiles = new Set<string>();
  for (const u of slice) {
    const f = forms(u, last, share)[0];
    const header = sliceFiles.has(u.file) ? 0 : m.fileHeader;
    if (!f || spent + f.cost + header > budget) continue;
    spent += f.cost + header;
    sliceFiles.add(u.file);
    chosen.set(u.id, { level: last, ...f });
  }
  for (let level = last - 1; level >= 0; level--) {
    for (const u of slice) {
      const cur = chosen.get(u.id);
      if (!cur || cur.level <= level) continue;
      // Prefer the whole unit when it fits; else its slice lines at this level.
      const options = forms(u, level).sort((a, b) => (a.window ? 1 : 0) - (b.window ? 1 : 0));
      for (const f of options) {
        if (spent - cur.cost + f.cost > budget) continue;
        spent += f.cost - cur.cost;
        chosen.set(u.id, { level, ...f });
        break;
      }
    }
  }
  for (const u of slice) {
    const c = chosen.get(u.id);
    if (!c) continue;
    if (c.window) takeWindow(u, c.level, c.window);
    else take(u, c.level, c.cost);
  }
  let reserve = 0;
  const failure = m.units.filter(
    (u) => u.failure && !plan.levels.has(u.id) && u.slice === Infinity,
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
    const lastLevel = prefix === 0 && slice.length === 0 ? last : minFailure;
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
