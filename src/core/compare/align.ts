// Aligns two recordings step by step: calls by the call tree (the same function, called from the
// matched call, in the same order among its siblings), and within two matched calls their events
// by an LCS of (kind, line) with the other run's lines mapped through the source diff
// (sourceMap.ts). A call matched to a call is aligned inside in turn, so an extra loop turn or an
// extra call in one run leaves the rest of both runs aligned. Every frame's items are aligned once:
// the cost is linear in the runs' sizes plus the bounded edit search of sequence.ts.
import type { Trace } from '../trace/model';
import { KIND_CODE, runIndex, type CallInfo, type RunIndex } from './runIndex';
import { alignTokens, SearchBudget } from './sequence';
import type { SourceMaps } from './sourceMap';

/** Tokens of calls start here; tokens of a frame's own events (line × 8 + kind) stay below. */
const CALL_BASE = 2 ** 29;

export interface Alignment {
  a: RunIndex;
  b: RunIndex;
  /** A event index → matched B event index (-1: none). */
  aToB: Int32Array;
  bToA: Int32Array;
  /** Both runs merged in A's order: row r is (rows[2r], rows[2r+1]), -1 for the side it lacks. */
  rows: Int32Array;
  /** Events matched. */
  matched: number;
  /** Calls matched (frames). */
  calls: number;
}

/** A call's items in order: its own events (>= 0: event index) and its calls (< 0: ~callId). */
function itemsOf(run: RunIndex, f: CallInfo): number[] {
  const out: number[] = [];
  let c = 0;
  for (let p = f.from; p < f.to; p++) {
    const i = run.frameEvents[p] as number;
    while (c < f.children.length) {
      const first = run.firstEvent(f.children[c] as number);
      if (first > i) break;
      out.push(~(f.children[c] as number));
      c++;
    }
    out.push(i);
  }
  for (; c < f.children.length; c++) out.push(~(f.children[c] as number));
  return out;
}

/** Identity of functions: the same file and name (and, when a file has several, the same def line). */
class FunctionIds {
  private readonly ids = new Map<string, number>();
  /** file\0function → def lines seen in A's numbering (more than one: a name used twice). */
  private readonly defLines = new Map<string, Set<number>>();

  constructor(
    private readonly a: RunIndex,
    private readonly b: RunIndex,
    private readonly maps: SourceMaps,
  ) {
    for (const f of a.calls.values()) this.noteDef(f, this.defLineA(f));
    for (const f of b.calls.values()) this.noteDef(f, this.defLineB(f));
  }

  private defLine(run: RunIndex, f: CallInfo): number | undefined {
    const first = run.firstEvent(f.callId);
    return first >= 0 && run.kinds[first] === KIND_CODE.call ? run.lines[first] : undefined;
  }

  private defLineA(f: CallInfo): number | undefined {
    return this.defLine(this.a, f);
  }

  private defLineB(f: CallInfo): number | undefined {
    const line = this.defLine(this.b, f);
    // A def line the diff cannot place is left out: the name alone then identifies the function.
    return line === undefined ? undefined : this.maps.toA(f.file, line);
  }

  private noteDef(f: CallInfo, line: number | undefined): void {
    // A module's code starts at line 1 whatever its text: the file names it.
    if (line === undefined || f.function === '<module>') return;
    const key = `${f.file}\0${f.function}`;
    let s = this.defLines.get(key);
    if (!s) this.defLines.set(key, (s = new Set()));
    s.add(line);
  }

  token(f: CallInfo, side: 'a' | 'b'): number {
    const base = `${f.file}\0${f.function}`;
    const several = (this.defLines.get(base)?.size ?? 0) > 1;
    const line = several ? (side === 'a' ? this.defLineA(f) : this.defLineB(f)) : 0;
    const key = `${base}\0${line ?? '?'}`;
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    return CALL_BASE + id;
  }
}

/** `tick` is called as items are aligned and may throw to stop (a tool call's time bound). */
export function alignRuns(
  a: Trace,
  b: Trace,
  maps: SourceMaps,
  tick: () => void = () => undefined,
): Alignment {
  const va = runIndex(a);
  const vb = runIndex(b);
  const aToB = new Int32Array(va.length).fill(-1);
  const bToA = new Int32Array(vb.length).fill(-1);
  const fns = new FunctionIds(va, vb, maps);
  let unmapped = -1;
  let matched = 0;
  // One edit-search budget for every call of the two runs (sequence.ts).
  const budget = new SearchBudget();
  let calls = 0;

  // A call event opens its frame, whose identity the caller's alignment settled: one token for all
  // (a module's code starts at line 1 whatever lines were added above its first statement).
  const CALL_EVENT = KIND_CODE.call;
  const tokensA = (items: number[]): number[] =>
    items.map((it) => {
      tick();
      if (it < 0) return fns.token(va.calls.get(~it) as CallInfo, 'a');
      const kind = va.kinds[it] as number;
      return kind === CALL_EVENT ? CALL_EVENT : (va.lines[it] as number) * 8 + kind;
    });
  const tokensB = (items: number[], file: string): number[] =>
    items.map((it) => {
      tick();
      if (it < 0) return fns.token(vb.calls.get(~it) as CallInfo, 'b');
      const kind = vb.kinds[it] as number;
      if (kind === CALL_EVENT) return CALL_EVENT;
      const line = maps.toA(file, vb.lines[it] as number);
      return line === undefined ? unmapped-- : line * 8 + kind;
    });

  // Pairs of matched frames still to align inside (0, 0: the roots of both runs).
  const work: [number, number][] = [[0, 0]];
  while (work.length) {
    const [ca, cb] = work.pop() as [number, number];
    let itemsA: number[];
    let itemsB: number[];
    let file = '';
    if (ca === 0) {
      itemsA = va.roots.map((id) => ~id);
      itemsB = vb.roots.map((id) => ~id);
    } else {
      const fa = va.calls.get(ca) as CallInfo;
      const fb = vb.calls.get(cb) as CallInfo;
      file = fb.file;
      itemsA = itemsOf(va, fa);
      itemsB = itemsOf(vb, fb);
    }
    const match = alignTokens(tokensA(itemsA), tokensB(itemsB, file), budget);
    for (let k = 0; k < itemsA.length; k++) {
      const j = match[k] as number;
      if (j < 0) continue;
      const x = itemsA[k] as number;
      const y = itemsB[j] as number;
      if (x < 0) {
        calls++;
        work.push([~x, ~y]);
      } else {
        aToB[x] = y;
        bToA[y] = x;
        matched++;
      }
    }
  }
  return { a: va, b: vb, aToB, bToA, rows: mergeRows(aToB, bToA), matched, calls };
}

/** Both runs in one order: A's events in order, each B event placed before the next matched one. */
function mergeRows(aToB: Int32Array, bToA: Int32Array): Int32Array {
  const out = new Int32Array(2 * (aToB.length + bToA.length));
  let r = 0;
  let j = 0;
  const push = (x: number, y: number): void => {
    out[r++] = x;
    out[r++] = y;
  };
  for (let i = 0; i < aToB.length; i++) {
    const b = aToB[i] as number;
    if (b < 0) {
      push(i, -1);
      continue;
    }
    for (; j < b; j++) if ((bToA[j] as number) < 0) push(-1, j);
    if (j === b) j++;
    push(i, b);
  }
  for (; j < bToA.length; j++) if ((bToA[j] as number) < 0) push(-1, j);
  return out.slice(0, r);
}
