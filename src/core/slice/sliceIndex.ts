// What the backward slice looks up, gathered in one forward pass over the recording (linear in the
// events and their recorded changes): each frame's events, where each name was bound (and to which
// object), which events wrote into each object (an attribute, its items, or some part), the calls
// each frame made, and the statement row (reads, writes, controlling line) of every line.
import type { Trace, UseRow } from '../trace/model';
import { recordingModel, type RecordedFrame } from '../trace/recordingModel';
import type { EventStore } from '../trace/store';
import { ANY_PART, deltaPart, ITEMS, parsePath, partOf } from './paths';
import { lastBefore, storeOf, validRow } from './sliceInput';

/** Where a name was bound in one frame: event indices ascending, and the object each bound. */
interface Defs {
  at: number[];
  obj: number[];
}

/** Events that wrote into one object: ascending, the part written, and whether the write was seen in
 * the source (`self.x = …`, `xs.append(…)`, a recorded delta) or only as a changed repr. */
interface Touches {
  at: number[];
  part: string[];
  precise: boolean[];
}

const P_CHANGED = 0;
const P_DELETED = 1;
const P_VALUE = 2;

export class SliceIndex {
  readonly store: EventStore;
  readonly length: number;
  /** callId → its events, ascending (the recording model's frames). */
  private readonly frames: ReadonlyMap<number, RecordedFrame>;
  /** Event → its position in its frame's list. */
  private readonly posInFrame: Int32Array;
  /** callId → name → bindings. */
  private readonly defs = new Map<number, Map<string, Defs>>();
  /** Object number → writes into it. */
  private readonly touches = new Map<number, Touches>();
  /** Object number → the objects it was seen to be part of (`x = a[k]`, `self.items = items`):
   * a write into it is a write into that part of them too. */
  private readonly containers = new Map<number, { obj: number; part: string }[]>();
  /** callId → child callIds in call order. */
  private readonly children = new Map<number, number[]>();
  /** callId → generator frames it started (they may yield to it again later). */
  private readonly generators = new Map<number, Set<number>>();
  /** file → the `<module>` frames running its code. */
  private readonly moduleFrames = new Map<string, number[]>();
  /** file → line → index + 1 of the row of the statement holding it (0: none). */
  private readonly rowAt = new Map<string, Int32Array>();
  private readonly rowList = new Map<string, UseRow[]>();
  /** Whether the recording carries statement rows at all (older traces do not). */
  readonly hasUses: boolean;

  constructor(readonly trace: Trace) {
    const store = (this.store = storeOf(trace));
    this.frames = recordingModel(trace).frames;
    const n = (this.length = store.length);
    this.posInFrame = new Int32Array(n);
    const uses = trace.uses && typeof trace.uses === 'object' ? trace.uses : {};
    let rows = 0;
    for (const [file, list] of Object.entries(uses)) {
      if (!Array.isArray(list)) continue;
      const ok = list.filter(validRow);
      let max = 0;
      for (const r of ok) max = Math.max(max, r[1]);
      const at = new Int32Array(Math.min(max, 1_000_000) + 2);
      ok.forEach((r, k) => {
        for (let l = r[0]; l <= r[1] && l < at.length; l++) if (!at[l]) at[l] = k + 1;
      });
      this.rowAt.set(file, at);
      this.rowList.set(file, ok);
      rows += ok.length;
    }
    this.hasUses = rows > 0;
    // The frames (in the order they began) and each event's place in its frame, from the model.
    for (const f of this.frames.values()) {
      this.newFrame(f.callId);
      f.events.forEach((i, k) => (this.posInFrame[i] = k));
    }
    this.build();
  }

  private build(): void {
    const store = this.store;
    const bound = new Map<number, Map<string, number>>();
    let lastCall = -1;
    let lastFile = '';
    for (let i = 0; i < this.length; i++) {
      const callId = store.callIdAt(i);
      const kind = store.kindAt(i);
      let names = bound.get(callId);
      if (!names) bound.set(callId, (names = new Map<string, number>()));
      if (kind === 'line') {
        if (callId !== lastCall) {
          lastCall = callId;
          lastFile = this.fileOf(callId);
        }
        const row = this.row(lastFile, store.lineAt(i));
        for (const w of row?.[3] ?? []) {
          const p = parsePath(w);
          if (!p || (p.attr === undefined && !p.item)) continue;
          const obj = names.get(p.root);
          if (obj) this.touch(obj, partOf(p), i, true);
        }
      }
      const end = store.payloadStart(i + 1);
      for (let p = store.payloadStart(i); p < end; p++) {
        const k = store.payloadKind(p);
        if (k === P_VALUE) continue;
        const name = store.nameOf(store.payloadName(p));
        if (k === P_CHANGED) {
          const obj = store.payloadObject(p);
          let d = this.defs.get(callId);
          if (!d) this.defs.set(callId, (d = new Map<string, Defs>()));
          let defs = d.get(name);
          if (!defs) d.set(name, (defs = { at: [], obj: [] }));
          defs.at.push(i);
          defs.obj.push(obj);
          // The same object with a new repr: changed in place here (or by a call this line made).
          if (obj && names.get(name) === obj) this.touch(obj, ANY_PART, i, false);
          if (obj) names.set(name, obj);
          else names.delete(name);
        } else if (k === P_DELETED) {
          names.delete(name);
        } else {
          const dp = deltaPart(name);
          const obj = dp ? names.get(dp.root) : undefined;
          if (dp && obj) this.touch(obj, dp.part, i, true);
        }
      }
      if (kind === 'line') this.noteContainment(lastFile, store.lineAt(i), i, names);
      if (kind === 'return' || kind === 'exception') bound.delete(callId);
      else if (kind === 'yield') {
        const parent = store.frame(callId)?.parentCallId;
        if (parent) {
          let g = this.generators.get(parent);
          if (!g) this.generators.set(parent, (g = new Set()));
          g.add(callId);
        }
      }
    }
  }

  private frameEvents(callId: number): readonly number[] | undefined {
    return this.frames.get(callId)?.events;
  }

  private newFrame(callId: number): void {
    const f = this.store.frame(callId);
    if (!f) return;
    if (f.parentCallId) {
      let c = this.children.get(f.parentCallId);
      if (!c) this.children.set(f.parentCallId, (c = []));
      c.push(callId);
    }
    if (f.function === '<module>') {
      let m = this.moduleFrames.get(f.file);
      if (!m) this.moduleFrames.set(f.file, (m = []));
      m.push(callId);
    }
  }

  /**
   * A simple statement that moves an object between a name and a part of another object — `x =
   * a[k]`, `x = a.attr` (it takes it out), `a.attr = x`, `a[k] = x` (it puts it in) — makes the
   * first object part of the second: what later changes it inside changes that part. Only for
   * statements reading at most three paths, so a value computed from several is not taken for one.
   */
  private noteContainment(
    file: string,
    line: number,
    at: number,
    names: Map<string, number>,
  ): void {
    const row = this.row(file, line);
    if (!row || row[3].length !== 1 || row[2].length === 0 || row[2].length > 3) return;
    const w = parsePath(row[3][0] as string);
    if (!w || w.method !== undefined) return;
    const link = (inner: string, outer: { root: string; part: string }) => {
      const child = names.get(inner);
      const parent = names.get(outer.root);
      if (!child || !parent || child === parent) return;
      let list = this.containers.get(child);
      if (!list) this.containers.set(child, (list = []));
      if (list.length < 4 && !list.some((c) => c.obj === parent && c.part === outer.part))
        list.push({ obj: parent, part: outer.part });
    };
    if (w.attr === undefined && !w.item) {
      // `x = a[k]` / `x = a.attr`: x bound (by this event) to an object out of a.
      if (this.defs.get(this.store.callIdAt(at))?.get(w.root)?.at.at(-1) !== at) return;
      for (const r of row[2]) {
        const p = parsePath(r);
        if (p && p.method === undefined && (p.attr !== undefined || p.item))
          link(w.root, { root: p.root, part: partOf(p) });
      }
      return;
    }
    // `a.attr = x` / `a[k] = x`: the object x holds put into a.
    for (const r of row[2]) {
      const p = parsePath(r);
      if (p && p.attr === undefined && !p.item && p.method === undefined && p.root !== w.root)
        link(p.root, { root: w.root, part: partOf(w) });
    }
  }

  private touch(obj: number, part: string, at: number, precise: boolean, depth = 0): void {
    if (depth < 3)
      for (const c of this.containers.get(obj) ?? [])
        this.touch(c.obj, c.part, at, precise, depth + 1);
    let t = this.touches.get(obj);
    if (!t) this.touches.set(obj, (t = { at: [], part: [], precise: [] }));
    const last = t.at.length - 1;
    if (last >= 0 && t.at[last] === at) {
      // A changed repr where the source wrote a known part is that write, not a change of any part.
      if (!precise && t.precise[last]) return;
      if (t.part[last] === part) {
        t.precise[last] = t.precise[last] === true || precise;
        return;
      }
    }
    t.at.push(at);
    t.part.push(part);
    t.precise.push(precise);
  }

  fileOf(callId: number): string {
    return this.store.frame(callId)?.file ?? '?';
  }

  /** The statement row holding `line` of `file`, if the recording has one. */
  row(file: string, line: number): UseRow | undefined {
    const at = this.rowAt.get(file);
    const k = at && line >= 0 && line < at.length ? (at[line] as number) : 0;
    return k ? this.rowList.get(file)?.[k - 1] : undefined;
  }

  /** The events of frame callId, ascending. */
  eventsOf(callId: number): readonly number[] {
    return this.frameEvents(callId) ?? [];
  }

  /** The frame's event just before event i (-1 if none). */
  prevInFrame(i: number): number {
    const list = this.frameEvents(this.store.callIdAt(i));
    const pos = this.posInFrame[i] as number;
    return pos > 0 && list ? (list[pos - 1] as number) : -1;
  }

  /** The frame's last event before index i at a line of the statement starting at `start`. */
  lastAtStatement(callId: number, start: number, before: number): number {
    const list = this.frameEvents(callId);
    if (!list) return -1;
    const file = this.fileOf(callId);
    for (let k = lastBefore(list, before); k >= 0; k--) {
      const e = list[k] as number;
      const kind = this.store.kindAt(e);
      if (kind !== 'line') continue;
      if (this.row(file, this.store.lineAt(e))?.[0] === start) return e;
    }
    return -1;
  }

  /** The binding of `name` in frame callId in force before event i: its event and object. */
  bindingBefore(callId: number, name: string, i: number): { at: number; obj: number } | undefined {
    const defs = this.defs.get(callId)?.get(name);
    if (!defs) return undefined;
    const k = lastBefore(defs.at, i);
    return k < 0 ? undefined : { at: defs.at[k] as number, obj: defs.obj[k] as number };
  }

  /** Frames whose code may bind a name read in frame callId without binding it there: the
   * callers (an enclosing function calling a closure) and the module frames of its file. */
  *outerFrames(callId: number): Generator<number> {
    let p = this.store.frame(callId)?.parentCallId;
    for (let depth = 0; p && depth < 8; depth++) {
      yield p;
      p = this.store.frame(p)?.parentCallId;
    }
    for (const m of this.moduleFrames.get(this.fileOf(callId)) ?? []) yield m;
  }

  /** The last write into `part` of object `obj` before event i (any part when part is ANY_PART; an
   * attribute also matches a write of unknown part). Writes seen only as a changed repr give way to
   * a precise write made during the same line (inside a call it made). */
  lastWrite(obj: number, part: string, i: number, after = -1): number {
    const t = this.touches.get(obj);
    if (!t) return -1;
    for (let k = lastBefore(t.at, i); k >= 0; k--) {
      const at = t.at[k] as number;
      if (at <= after) return -1;
      const p = t.part[k] as string;
      if (part !== ANY_PART && p !== part && p !== ANY_PART) continue;
      if (t.precise[k]) return at;
      // An in-place change seen on this line: the write itself is usually inside a call it made.
      const from = this.prevInFrame(at);
      for (let j = k - 1; j >= 0 && (t.at[j] as number) > from; j--) {
        const q = t.part[j] as string;
        if (t.precise[j] && (part === ANY_PART || q === part || q === ANY_PART || q === ITEMS))
          return t.at[j] as number;
      }
      return at;
    }
    return -1;
  }

  /** Calls frame callId made from its event i (those that started after its previous event). */
  calleesOf(i: number): number[] {
    const callId = this.store.callIdAt(i);
    const kids = this.children.get(callId);
    if (!kids) return [];
    const from = this.prevInFrame(i);
    const out: number[] = [];
    let lo = 0;
    let hi = kids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.frameEvents(kids[mid] as number)?.[0] ?? 0) <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < kids.length; k++) {
      const id = kids[k] as number;
      const first = this.frameEvents(id)?.[0] ?? Infinity;
      if (first > i) break;
      out.push(id);
    }
    return out;
  }

  /** Generators started earlier by event i's frame that yielded (or returned) to it during event i:
   * their last such event. */
  resumedIn(i: number): { event: number; function: string }[] {
    const callId = this.store.callIdAt(i);
    const gens = this.generators.get(callId);
    if (!gens) return [];
    const from = this.prevInFrame(i);
    const out: { event: number; function: string }[] = [];
    for (const g of gens) {
      const evs = this.frameEvents(g);
      if (!evs || (evs[0] as number) > from) continue;
      for (let k = lastBefore(evs, i); k >= 0; k--) {
        const e = evs[k] as number;
        if (e <= from) break;
        const kind = this.store.kindAt(e);
        if (kind === 'yield' || kind === 'return' || kind === 'exception') {
          out.push({ event: e, function: this.store.frame(g)?.function ?? '?' });
          break;
        }
      }
    }
    return out;
  }

  /** The event of the calling frame whose line made the call of frame callId (-1 if none). */
  callSite(callId: number): number {
    const f = this.store.frame(callId);
    const first = this.frameEvents(callId)?.[0];
    if (!f?.parentCallId || first === undefined) return -1;
    const list = this.frameEvents(f.parentCallId);
    if (!list) return -1;
    const k = lastBefore(list, first) + 1;
    return k < list.length ? (list[k] as number) : -1;
  }

  private sourceLines: Map<string, string[]> | undefined;

  /** Whether the statement starting at `line` of `file` is an `assert` (its failure message is
   * made by calls — `__repr__` of its operands under pytest — that its test does not read). */
  isAssert(file: string, line: number): boolean {
    if (!this.sourceLines) {
      this.sourceLines = new Map();
      for (const src of this.trace.sources)
        if (src.text) this.sourceLines.set(src.path, src.text.split('\n'));
    }
    return /^\s*assert\b/.test(this.sourceLines.get(file)?.[line - 1] ?? '');
  }

  /** Rough bytes held by the index (for the benchmark). */
  approximateBytes(): number {
    let n = this.length * 12;
    for (const d of this.defs.values()) for (const x of d.values()) n += 16 * x.at.length + 64;
    for (const t of this.touches.values()) n += 24 * t.at.length + 64;
    return n;
  }
}
