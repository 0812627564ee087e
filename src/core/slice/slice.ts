// The dynamic backward slice of a recording: from the failing point (the line the exception left,
// or where the run stopped) back through what produced the values it read. Data dependences: the
// binding of each name a line reads (locals, closures, globals; a parameter is bound by the call,
// whose argument is the calling line), the last write into the object it holds (an attribute, its
// items, anything — followed through every name and frame holding the same object), the values
// returned by the calls the line made. Control dependences: the last run of the branch or loop
// header that made the line run, else the call of its function. Nearest first, links weighted
// (values before the reasons a line ran: LINK_WEIGHT), so the slice comes in order of distance from
// the failure; bounded by `maxEvents` visited.
import { ANY_PART, parsePath, partOf } from './paths';
import { SliceIndex } from './sliceIndex';
import { valueOrigins } from './valueOrigins';
import type { Trace } from '../trace/model';

export type LinkKind =
  'data' | 'object' | 'receiver' | 'return' | 'argument' | 'control' | 'call' | 'text';

/** Why an event is on the slice: the event that needed it, and what for. */
export interface SliceLink {
  /** The event whose value or execution depends on this one. */
  from: number;
  kind: LinkKind;
  /** The name or access path read (data, object), the function (return), or the header line. */
  via: string;
}

export interface SliceResult {
  /** The failing point the slice starts from. */
  criterion: number;
  /** Events on the slice, in order of distance from the criterion (the criterion first). */
  order: number[];
  /** event → weighted distance (LINK_WEIGHT) from the criterion. */
  distance: Map<number, number>;
  /** event → the first link that brought it in (a tree towards the criterion). */
  links: Map<number, SliceLink>;
  /** Stopped at the bound before the slice was complete. */
  truncated: boolean;
  /** The recording had no statement rows (an older trace): only calls and control were followed. */
  coarse: boolean;
}

export interface SliceOptions {
  /** Most events visited (default 200,000). */
  maxEvents?: number;
  /** Also follow the text of the strings the start read back to where it was first made
   * (valueOrigins.ts): for the failing point, whose values may have gone through streams. */
  textOrigins?: boolean;
}

const indexes = new WeakMap<Trace, SliceIndex>();

/** The slice index of a trace (built once per trace object). */
export function sliceIndexOf(trace: Trace): SliceIndex {
  let idx = indexes.get(trace);
  if (!idx) indexes.set(trace, (idx = new SliceIndex(trace)));
  return idx;
}

/**
 * The failing point: where the exception that ended the run (or failed the test) was raised in
 * user code — the innermost frame it left, following it outwards through frames that re-raised it
 * — else the last event of the run. -1 for an empty recording.
 */
export function failingEvent(trace: Trace, idx: SliceIndex = sliceIndexOf(trace)): number {
  const store = idx.store;
  const n = store.length;
  if (n === 0) return -1;
  const wanted = trace.outcome.status === 'exception' ? trace.outcome.exception?.type : undefined;
  let x = -1;
  for (let i = n - 1; i >= 0 && trace.outcome.status === 'exception'; i--) {
    if (store.kindAt(i) !== 'exception') continue;
    const e = store.at(i);
    if (wanted === undefined || e?.exception?.type === wanted) {
      x = i;
      break;
    }
  }
  if (x < 0) return n - 1;
  // Inwards: the same exception leaving a frame called by this one, just before.
  let cur = x;
  const type = store.at(x)?.exception?.type;
  for (let j = x - 1; j >= 0; j--) {
    if (store.kindAt(j) !== 'exception') continue;
    const f = store.frame(store.callIdAt(j));
    if (f?.parentCallId === store.callIdAt(cur) && store.at(j)?.exception?.type === type) cur = j;
  }
  return cur;
}

/** The backward slice from event `criterion` (default: the failing point). */
export function backwardSlice(
  trace: Trace,
  criterion: number = failingEvent(trace),
  options: SliceOptions = {},
): SliceResult {
  const idx = sliceIndexOf(trace);
  return sliceFrom(idx, criterion, { textOrigins: true, ...options });
}

/** How far a link takes the slice from the failure: values flow through data, objects and returns;
 * arguments, the branch that decided and the call that ran a line are farther (they explain why a
 * line ran, not what it computed), as is the state of an object a method is called on (the method,
 * when it is recorded, reads what it uses of it itself). */
export const LINK_WEIGHT: Record<LinkKind, number> = {
  data: 1,
  object: 1,
  receiver: 2,
  return: 1,
  argument: 2,
  control: 2,
  call: 3,
  text: 2,
};

/** The slice from one or more starting events (all at distance 0): every event that the start
 * depends on, transitively, in order of weighted distance (LINK_WEIGHT). */
export function sliceFrom(
  idx: SliceIndex,
  start: number | number[],
  options: SliceOptions = {},
): SliceResult {
  const store = idx.store;
  const starts = (Array.isArray(start) ? start : [start]).filter((s) => s >= 0 && s < store.length);
  const max = options.maxEvents ?? 200_000;
  const distance = new Map<number, number>();
  const links = new Map<number, SliceLink>();
  const order: number[] = [];
  const done = new Set<number>();
  // Dial's algorithm: buckets by distance (weights are small whole numbers).
  const buckets: number[][] = [];
  const offer = (e: number, d: number, link?: SliceLink) => {
    if (e < 0 || e >= store.length || done.has(e)) return;
    const cur = distance.get(e);
    if (cur !== undefined && cur <= d) return;
    distance.set(e, d);
    if (link) links.set(e, link);
    (buckets[d] ??= []).push(e);
  };
  for (const s of starts) offer(s, 0);
  if (options.textOrigins && starts.length) {
    // The failing line and what it read directly hold the failing text; where its pieces were made.
    const first = starts[0] as number;
    const near = [first, ...dependencies(idx, first).map((d) => d.event)];
    for (const o of valueOrigins(idx, near, first))
      offer(o.event, 1 + LINK_WEIGHT.text, { from: first, kind: 'text', via: o.piece });
  }
  let truncated = false;
  for (let d = 0; d < buckets.length && !truncated; d++) {
    const bucket = buckets[d];
    if (!bucket) continue;
    for (let k = 0; k < bucket.length; k++) {
      const e = bucket[k] as number;
      if (done.has(e) || distance.get(e) !== d) continue;
      if (done.size >= max) {
        truncated = true;
        break;
      }
      done.add(e);
      order.push(e);
      for (const dep of dependencies(idx, e))
        offer(dep.event, d + LINK_WEIGHT[dep.link.kind], { ...dep.link, from: e });
    }
    buckets[d] = [];
  }
  // Events offered but not reached before the bound are not on the (bounded) slice.
  if (truncated) for (const e of [...distance.keys()]) if (!done.has(e)) distance.delete(e);
  return { criterion: starts[0] ?? -1, order, distance, links, truncated, coarse: !idx.hasUses };
}

/** Methods that make a value's text, not the value (skipped for a failing assert's message). */
const MESSAGE_DUNDERS = new Set(['__repr__', '__str__', '__format__']);

/** Events of one run of a statement looked at for the calls it made (a comprehension's loop). */
const MAX_STATEMENT_EVENTS = 10_000;

interface Dep {
  event: number;
  link: SliceLink;
}

/** What event e's values and execution depend on (one level). */
export function dependencies(idx: SliceIndex, e: number): Dep[] {
  const store = idx.store;
  const kind = store.kindAt(e);
  const callId = store.callIdAt(e);
  const out: Dep[] = [];
  const dep = (event: number, k: LinkKind, via: string) => {
    if (event >= 0) out.push({ event, link: { from: e, kind: k, via } });
  };
  if (kind === 'call') {
    // The parameters are bound to the arguments of the calling line: what that line read, the calls
    // it made before this one (`f(g(x))`), and what made it run — not the value this call returns
    // to it, nor what it did after.
    const site = idx.callSite(callId);
    if (site < 0) return out;
    const fn = store.frame(callId)?.function ?? '?';
    const first = idx.eventsOf(callId)[0] ?? e;
    const at: Dep[] = [];
    statementDeps(idx, site, first, at);
    for (const d of at) dep(d.event, 'argument', fn);
    return out;
  }
  if (kind === 'return' || kind === 'yield') {
    const prev = idx.prevInFrame(e);
    if (prev >= 0 && store.kindAt(prev) === 'line') dep(prev, 'data', '__return__');
    return out;
  }
  statementDeps(idx, e, e, out);
  return out;
}

/** The dependences of line event e (appended to `out`, linked from e): the bindings and object
 * states of what its statement reads, the values returned by the calls it made that started before
 * event `callsBefore`, and the branch (or call) that made it run. */
function statementDeps(idx: SliceIndex, e: number, callsBefore: number, out: Dep[]): void {
  const store = idx.store;
  const callId = store.callIdAt(e);
  const dep = (event: number, k: LinkKind, via: string) => {
    if (event >= 0) out.push({ event, link: { from: e, kind: k, via } });
  };
  const file = idx.fileOf(callId);
  const row = idx.row(file, store.lineAt(e));
  for (const r of row?.[2] ?? []) {
    const p = parsePath(r);
    if (!p) continue;
    let b = idx.bindingBefore(callId, p.root, e);
    if (!b)
      for (const outer of idx.outerFrames(callId)) {
        b = idx.bindingBefore(outer, p.root, e);
        if (b) break;
      }
    if (!b) continue;
    dep(b.at, 'data', p.root);
    if (b.obj) {
      if (p.method !== undefined) dep(idx.lastWrite(b.obj, ANY_PART, e), 'receiver', r);
      else dep(idx.lastWrite(b.obj, partOf(p), e), 'object', r);
    }
  }
  // The calls made while this statement ran: a statement spanning lines, or a comprehension's loop
  // (its own frame before Python 3.12, inlined after), runs as several consecutive events of the
  // frame at lines of the same statement, each after the calls it made.
  const runs = [e];
  if (row) {
    for (let p = idx.prevInFrame(e); p >= 0 && runs.length < MAX_STATEMENT_EVENTS;) {
      if (store.kindAt(p) !== 'line' || idx.row(file, store.lineAt(p))?.[0] !== row[0]) break;
      runs.push(p);
      p = idx.prevInFrame(p);
    }
  }
  // A failing assert's message: the `__repr__` / `__str__` pytest calls on its operands.
  const message =
    row !== undefined && store.kindAt(e) === 'exception' && idx.isAssert(file, row[0]);
  for (const r of runs) {
    for (const c of idx.calleesOf(r)) {
      const evs = idx.eventsOf(c);
      const last = evs[evs.length - 1];
      if (last === undefined || last > e || (evs[0] as number) >= callsBefore) continue;
      if (message && MESSAGE_DUNDERS.has(store.frame(c)?.function ?? '')) continue;
      const k = store.kindAt(last);
      if (k === 'return' || k === 'yield' || k === 'exception')
        dep(last, 'return', store.frame(c)?.function ?? '?');
    }
    for (const g of idx.resumedIn(r)) if (g.event < callsBefore) dep(g.event, 'return', g.function);
  }
  const ctrl = row?.[4] ?? 0;
  const header = ctrl ? idx.lastAtStatement(callId, ctrl, e) : -1;
  if (header >= 0) dep(header, 'control', String(ctrl));
  else {
    const first = idx.eventsOf(callId)[0];
    if (first !== undefined && first < e && store.kindAt(first) === 'call')
      dep(first, 'call', store.frame(callId)?.function ?? '?');
  }
}
