// Where the text of a failing value was first made, when no name leads there: a value that went
// through a stream (printed, written to a buffer, captured by a test runner) or through library code
// the recorder does not see loses its names, not its text. For the strings the failing line read
// (its direct data), each distinctive piece (a line, a run between wide gaps) is looked up among the
// recorded values before the failure; the earliest event holding it is where that piece was made.
// One pass over the recorded values, bounded by the number of pieces.
import type { SliceIndex } from './sliceIndex';

/** Pieces of failing text looked for at most, and their shortest length. */
const MAX_PIECES = 16;
const MIN_PIECE = 6;
const P_CHANGED = 0;
const P_VALUE = 2;

/** Distinctive pieces of a string repr: split at escaped line ends and runs of 2+ spaces. */
export function pieces(repr: string): string[] {
  if (!/^[rbuRBU]?['"]/.test(repr)) return [];
  const body = repr.replace(/^[rbuRBU]?(['"])/, '').replace(/(['"])(\.\.\.)?$/, '');
  const out: string[] = [];
  for (const part of body.split(/\\n|\\r|\\t| {2,}/)) {
    const p = part.trim();
    if (p.length >= MIN_PIECE && /[A-Za-z0-9]/.test(p)) out.push(p);
  }
  return out;
}

/**
 * For the strings the events `near` (the failing line and what it read) hold, the earliest event
 * before `before` whose recorded value contains each piece: [event, piece]. Events of `near`
 * themselves are skipped (they hold the whole text, not where it was made).
 */
export function valueOrigins(
  idx: SliceIndex,
  near: number[],
  before: number,
): { event: number; piece: string }[] {
  const store = idx.store;
  const wanted = new Set<string>();
  for (const e of near) {
    const end = store.payloadStart(e + 1);
    for (let p = store.payloadStart(e); p < end && wanted.size < MAX_PIECES; p++) {
      const k = store.payloadKind(p);
      if (k !== P_CHANGED && k !== P_VALUE) continue;
      for (const piece of pieces(store.payloadValue(p))) {
        if (wanted.size >= MAX_PIECES) break;
        wanted.add(piece);
      }
    }
  }
  if (wanted.size === 0) return [];
  const skip = new Set(near);
  const found = new Map<string, number>();
  const left = new Set(wanted);
  for (let i = 0; i < before && left.size > 0; i++) {
    if (skip.has(i)) continue;
    const end = store.payloadStart(i + 1);
    for (let p = store.payloadStart(i); p < end; p++) {
      const k = store.payloadKind(p);
      if (k !== P_CHANGED && k !== P_VALUE) continue;
      const v = store.payloadValue(p);
      if (v.length < MIN_PIECE) continue;
      for (const piece of left) {
        if (v.includes(piece)) {
          found.set(piece, i);
          left.delete(piece);
        }
      }
    }
  }
  return [...found].map(([piece, event]) => ({ event, piece }));
}
