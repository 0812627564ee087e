// "Why does `name` have this value at step k?": the steps that produced it, from the recording's
// backward slice — where the value was bound or written, what that line read, the calls whose
// returned values it used, the arguments a parameter came from, the branches that made those lines
// run. A tree towards the question, listed nearest first, bounded in steps and depth.
import type { Trace } from '../trace/model';
import { parsePath, partOf } from './paths';
import { sliceFrom, sliceIndexOf, type SliceLink, type SliceResult } from './slice';
import type { SliceIndex } from './sliceIndex';

export interface WhyQuestion {
  /** A name (`width`), an access path (`self.count`, `rows[]`) or `__return__`. */
  name: string;
  /** The event the question is about (the value in force right after it). */
  event: number;
  /** Most steps of the answer (default 20). */
  maxSteps?: number;
  /** Links followed back at most (default 12). */
  maxDepth?: number;
}

export interface WhyLink {
  event: number;
  /** Distance from the question (0: where the value was made). */
  depth: number;
  /** What this step feeds, and how (undefined for the first). */
  link?: SliceLink;
}

export interface WhyAnswer {
  /** Where the value in question was made (bound, written or returned); -1 when nowhere recorded. */
  origin: number;
  /** The frame the name was looked up in. */
  frame: number;
  /** The chain, nearest the question first. */
  links: WhyLink[];
  /** Steps on the slice within the depth that the answer leaves out. */
  more: number;
  /** The slice went deeper than maxDepth (or its own bound). */
  deeper: boolean;
}

/** Where the value of `name` in force right after event i was made: the event that bound it (or,
 * for a path into an object, last wrote that part of the object). */
export function originOf(idx: SliceIndex, name: string, i: number): number {
  const store = idx.store;
  const callId = store.callIdAt(i);
  if (name === '__return__' || name === '__yield__' || name === '__exception__') {
    const kind = store.kindAt(i);
    return kind === 'return' || kind === 'yield' || kind === 'exception' ? i : -1;
  }
  const p = parsePath(name.replace(/\[[^\]]*\]/g, '[]'));
  if (!p) return -1;
  let b = idx.bindingBefore(callId, p.root, i + 1);
  if (!b)
    for (const outer of idx.outerFrames(callId)) {
      b = idx.bindingBefore(outer, p.root, i + 1);
      if (b) break;
    }
  if (!b) return -1;
  if ((p.attr !== undefined || p.item) && b.obj) {
    // The last write of that part, wherever it happened (often before this frame got the object).
    const w = idx.lastWrite(b.obj, partOf(p), i + 1);
    if (w >= 0) return w;
  }
  return b.at;
}

export function why(trace: Trace, q: WhyQuestion): WhyAnswer {
  const idx = sliceIndexOf(trace);
  const maxSteps = q.maxSteps ?? 20;
  const maxDepth = q.maxDepth ?? 12;
  const frame = idx.store.callIdAt(q.event);
  const origin = originOf(idx, q.name, q.event);
  if (origin < 0) return { origin, frame, links: [], more: 0, deeper: false };
  // Bounded: the answer needs the slice only as deep as it can show.
  const result: SliceResult = sliceFrom(idx, origin, { maxEvents: 20_000 });
  const links: WhyLink[] = [];
  let more = 0;
  let deeper = result.truncated;
  const store = idx.store;
  // Depth in the tree of links (the weighted distance orders the listing); events that only pass a
  // value on (the line of a `return` whose return event is listed) or only say which call ran a line
  // are not listed, their links go to what they link to.
  const depthOf = new Map<number, number>([[origin, 0]]);
  const shown = new Map<number, number>();
  for (const e of result.order) {
    const link = result.links.get(e);
    const parent = link ? link.from : -1;
    const passThrough =
      link !== undefined &&
      (link.kind === 'call' ||
        (link.via === '__return__' && store.kindAt(e) === 'line' && store.stepAt(e) === null));
    const depth = link ? (depthOf.get(parent) ?? 0) + (passThrough ? 0 : 1) : 0;
    depthOf.set(e, depth);
    if (passThrough) {
      shown.set(e, shown.get(parent) ?? parent);
      continue;
    }
    if (depth > maxDepth) {
      deeper = true;
      continue;
    }
    if (links.length >= maxSteps) {
      more++;
      continue;
    }
    const to = link ? (shown.get(parent) ?? parent) : -1;
    shown.set(e, e);
    links.push({ event: e, depth, ...(link ? { link: { ...link, from: to } } : {}) });
  }
  return { origin, frame, links, more, deeper };
}
