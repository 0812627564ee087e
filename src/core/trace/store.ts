// A compact column store of trace events: typed arrays for the fixed fields, one slot per recorded
// change, interned names and paths, frames (calls) kept once instead of once per event. About
// 60–90 bytes per event for typical programs (the objects of schema v1 cost ~1 KB with their
// `locals` copies). Events are materialised as TraceEvent objects on access.
import type { Delta, EventKind, EventSeq, ExceptionInfo, TraceEvent } from './model';

export const KINDS: readonly EventKind[] = ['call', 'line', 'return', 'yield', 'exception'];
/** Each kind's number in the store (its index in KINDS). */
export const KIND_CODE: Readonly<Record<EventKind, number>> = {
  call: 0,
  line: 1,
  return: 2,
  yield: 3,
  exception: 4,
};

/** Payload entry kinds (low 3 bits of an entry's code; the name/path id is in the rest). */
const P_CHANGED = 0;
const P_DELETED = 1;
const P_VALUE = 2;
const P_DELTA_SET = 3;
const P_DELTA_DEL = 4;
const P_DELTA_ADD = 5;
const P_DELTA_DISCARD = 6;
const P_DELTA_MORE = 7;
const DELTA_CODE: Record<Delta['op'], number> = {
  '=': P_DELTA_SET,
  del: P_DELTA_DEL,
  add: P_DELTA_ADD,
  discard: P_DELTA_DISCARD,
  more: P_DELTA_MORE,
};
const DELTA_OP: Record<number, Delta['op']> = {
  [P_DELTA_SET]: '=',
  [P_DELTA_DEL]: 'del',
  [P_DELTA_ADD]: 'add',
  [P_DELTA_DISCARD]: 'discard',
  [P_DELTA_MORE]: 'more',
};

export interface FrameInfo {
  callId: number;
  parentCallId: number;
  file: string;
  function: string;
  depth: number;
  callIndex: number;
}

/** What one event adds to the store. */
export interface EventInput {
  kind: EventKind;
  callId: number;
  line: number;
  step: number | null;
  changed?: Record<string, string> | null;
  deleted?: readonly string[] | null;
  deltas?: readonly Delta[] | null;
  value?: string;
  exception?: ExceptionInfo;
  /** Object numbers of changed names' values and of the returned value (`__return__`). */
  ids?: Record<string, number> | null;
}

function grow<T extends Int32Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let size = a.length * 2;
  while (size < need) size *= 2;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

export class EventStore implements EventSeq {
  private n = 0;
  private kind = new Uint8Array(1024);
  private call = new Int32Array(1024);
  private line = new Int32Array(1024);
  private step = new Int32Array(1024);
  /** First payload entry of event i is payStart[i]; it ends at payStart[i + 1]. */
  private payStart = new Int32Array(1025);
  private pay = 0;
  private payCode = new Int32Array(2048);
  /** Object number of a changed value (P_CHANGED) or of the returned value (P_VALUE); 0: none. */
  private payObj = new Int32Array(2048);
  private payValue: string[] = [];
  private readonly names: string[] = [];
  private readonly nameIds = new Map<string, number>();
  private readonly exceptions = new Map<number, ExceptionInfo>();

  /** `frames` may be shared by stores holding parts of one recording (head and tail). */
  constructor(readonly frames: Map<number, FrameInfo> = new Map()) {}

  get length(): number {
    return this.n;
  }

  addFrame(f: FrameInfo): void {
    this.frames.set(f.callId, f);
  }

  frame(callId: number): FrameInfo | undefined {
    return this.frames.get(callId);
  }

  push(e: EventInput): number {
    const i = this.n;
    if (i + 1 >= this.kind.length) {
      this.kind = grow(this.kind, i + 2);
      this.call = grow(this.call, i + 2);
      this.line = grow(this.line, i + 2);
      this.step = grow(this.step, i + 2);
      this.payStart = grow(this.payStart, this.kind.length + 1);
    }
    this.kind[i] = KIND_CODE[e.kind];
    this.call[i] = e.callId;
    this.line[i] = e.line;
    this.step[i] = e.step ?? -1;
    this.payStart[i] = this.pay;
    const ids = e.ids;
    if (e.changed)
      for (const k in e.changed) this.addPay(P_CHANGED, k, e.changed[k] as string, ids?.[k]);
    if (e.deleted) for (const k of e.deleted) this.addPay(P_DELETED, k, '');
    if (e.deltas) for (const d of e.deltas) this.addPay(DELTA_CODE[d.op], d.path, d.value ?? '');
    if (e.value !== undefined) this.addPay(P_VALUE, '', e.value, ids?.__return__);
    if (e.exception) this.exceptions.set(i, e.exception);
    this.n = i + 1;
    this.payStart[this.n] = this.pay;
    return i;
  }

  private addPay(code: number, name: string, value: string, obj = 0): void {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    if (this.pay + 1 > this.payCode.length) {
      this.payCode = grow(this.payCode, this.pay + 1);
      this.payObj = grow(this.payObj, this.payCode.length);
    }
    this.payCode[this.pay] = (id << 3) | code;
    this.payObj[this.pay] = obj;
    this.payValue[this.pay] = value;
    this.pay++;
  }

  /** Payload entries of event i are [payloadStart(i), payloadStart(i + 1)). */
  payloadStart(i: number): number {
    return this.payStart[i] as number;
  }

  /** Kind of payload entry p: 0 changed, 1 deleted, 2 value, 3-7 deltas (set, del, add, discard, more). */
  payloadKind(p: number): number {
    return (this.payCode[p] as number) & 7;
  }

  /** Interned id of payload entry p's name or delta path (see nameOf). */
  payloadName(p: number): number {
    return (this.payCode[p] as number) >> 3;
  }

  /** Object number carried by payload entry p (0: none). */
  payloadObject(p: number): number {
    return this.payObj[p] as number;
  }

  payloadValue(p: number): string {
    return this.payValue[p] as string;
  }

  /** The name (or delta path) of an interned id. */
  nameOf(id: number): string {
    return this.names[id] as string;
  }

  /** The interned id of a name, if any payload uses it. */
  nameId(name: string): number | undefined {
    return this.nameIds.get(name);
  }

  /** How many names and paths are interned. */
  get nameCount(): number {
    return this.names.length;
  }

  /** Attach exception info to an event recorded before (a failure learnt later). */
  setException(index: number, info: ExceptionInfo): void {
    if (index >= 0 && index < this.n) this.exceptions.set(index, info);
  }

  /** Fast field access without materialising the event. */
  kindAt(i: number): EventKind {
    return KINDS[this.kind[i] as number] as EventKind;
  }

  /** The kind as its number: 0 call, 1 line, 2 return, 3 yield, 4 exception (KINDS order). */
  kindCodeAt(i: number): number {
    return this.kind[i] as number;
  }

  callIdAt(i: number): number {
    return this.call[i] as number;
  }

  lineAt(i: number): number {
    return this.line[i] as number;
  }

  stepAt(i: number): number | null {
    const s = this.step[i] as number;
    return s < 0 ? null : s;
  }

  setStep(i: number, step: number | null): void {
    this.step[i] = step ?? -1;
  }

  /** Visits the changed / deleted names of event i (for locals reconstruction, no objects made). */
  eachChange(i: number, fn: (name: string, value: string | undefined) => void): void {
    const end = this.payStart[i + 1] as number;
    for (let p = this.payStart[i] as number; p < end; p++) {
      const code = this.payCode[p] as number;
      const kind = code & 7;
      if (kind === P_CHANGED) fn(this.names[code >> 3] as string, this.payValue[p]);
      else if (kind === P_DELETED) fn(this.names[code >> 3] as string, undefined);
    }
  }

  /** Visits every payload entry of event i without making objects: a binding ('changed'), a
   * deletion, the returned / yielded value ('value') or a delta (its op; `name` is its path). */
  eachPayload(
    i: number,
    fn: (kind: 'changed' | 'deleted' | 'value' | Delta['op'], name: string, value: string) => void,
  ): void {
    const end = this.payStart[i + 1] as number;
    for (let p = this.payStart[i] as number; p < end; p++) {
      const code = this.payCode[p] as number;
      const k = code & 7;
      const name = this.names[code >> 3] as string;
      const value = this.payValue[p] as string;
      fn(
        k === P_CHANGED
          ? 'changed'
          : k === P_DELETED
            ? 'deleted'
            : k === P_VALUE
              ? 'value'
              : (DELTA_OP[k] as Delta['op']),
        name,
        value,
      );
    }
  }

  /** The exception info of event i, if it has one (no event object made). */
  exceptionAt(i: number): ExceptionInfo | undefined {
    return this.exceptions.get(i);
  }

  at(index: number): TraceEvent | undefined {
    const i = index < 0 ? this.n + index : index;
    if (!(i >= 0 && i < this.n)) return undefined;
    const callId = this.call[i] as number;
    const f = this.frames.get(callId);
    const ev: TraceEvent = {
      index: i,
      step: this.stepAt(i),
      kind: this.kindAt(i),
      file: f?.file ?? '?',
      line: this.line[i] as number,
      function: f?.function ?? '?',
      depth: f?.depth ?? 0,
      callId,
      callIndex: f?.callIndex ?? 1,
      changed: {},
    };
    const end = this.payStart[i + 1] as number;
    for (let p = this.payStart[i] as number; p < end; p++) {
      const code = this.payCode[p] as number;
      const name = this.names[code >> 3] as string;
      const value = this.payValue[p] as string;
      const obj = this.payObj[p] as number;
      switch (code & 7) {
        case P_CHANGED:
          ev.changed[name] = value;
          if (obj) (ev.ids ??= {})[name] = obj;
          break;
        case P_DELETED:
          (ev.deleted ??= []).push(name);
          break;
        case P_VALUE:
          ev.value = value;
          if (obj) (ev.ids ??= {}).__return__ = obj;
          break;
        default: {
          const op = DELTA_OP[code & 7] as Delta['op'];
          const d: Delta = op === 'del' ? { path: name, op } : { path: name, op, value };
          (ev.deltas ??= []).push(d);
        }
      }
    }
    const exc = this.exceptions.get(i);
    if (exc) ev.exception = { ...exc };
    if (f && f.parentCallId) ev.parentCallId = f.parentCallId;
    return ev;
  }

  *[Symbol.iterator](): Iterator<TraceEvent> {
    for (let i = 0; i < this.n; i++) yield this.at(i) as TraceEvent;
  }

  filter(pred: (e: TraceEvent, i: number) => unknown): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let i = 0; i < this.n; i++) {
      const e = this.at(i) as TraceEvent;
      if (pred(e, i)) out.push(e);
    }
    return out;
  }

  find(pred: (e: TraceEvent, i: number) => unknown): TraceEvent | undefined {
    for (let i = 0; i < this.n; i++) {
      const e = this.at(i) as TraceEvent;
      if (pred(e, i)) return e;
    }
    return undefined;
  }

  findIndex(pred: (e: TraceEvent, i: number) => unknown): number {
    for (let i = 0; i < this.n; i++) if (pred(this.at(i) as TraceEvent, i)) return i;
    return -1;
  }

  some(pred: (e: TraceEvent, i: number) => unknown): boolean {
    return this.findIndex(pred) >= 0;
  }

  map<U>(fn: (e: TraceEvent, i: number) => U): U[] {
    const out: U[] = new Array<U>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = fn(this.at(i) as TraceEvent, i);
    return out;
  }

  forEach(fn: (e: TraceEvent, i: number) => void): void {
    for (let i = 0; i < this.n; i++) fn(this.at(i) as TraceEvent, i);
  }

  /** Copies events [from, to) of `other` to the end of this store (frames included). */
  appendFrom(other: EventStore, from = 0, to = other.length): void {
    for (let i = from; i < to; i++) {
      const callId = other.callIdAt(i);
      const f = other.frames.get(callId);
      if (f && !this.frames.has(callId)) this.frames.set(callId, f);
      const input: EventInput = {
        kind: other.kindAt(i),
        callId,
        line: other.lineAt(i),
        step: other.stepAt(i),
      };
      const end = other.payStart[i + 1] as number;
      const dst = this.n;
      this.push(input);
      // Payload copied entry by entry (ids differ between stores).
      for (let p = other.payStart[i] as number; p < end; p++) {
        const code = other.payCode[p] as number;
        this.addPay(
          code & 7,
          other.names[code >> 3] as string,
          other.payValue[p] as string,
          other.payObj[p],
        );
      }
      this.payStart[this.n] = this.pay;
      const exc = other.exceptions.get(i);
      if (exc) this.exceptions.set(dst, exc);
    }
  }

  /** JSON.stringify(trace) writes the events as objects (json.ts reads them back); files use the
   * compact rows of traceJsonChunks(). */
  toJSON(): TraceEvent[] {
    return this.map((e) => e);
  }

  /** Rough bytes held, for the memory figures of the benchmark. */
  approximateBytes(): number {
    let strings = 0;
    for (let p = 0; p < this.pay; p++) strings += 24 + (this.payValue[p]?.length ?? 0);
    return (
      this.kind.length * 17 +
      this.payCode.length * 8 +
      this.payValue.length * 8 +
      strings +
      this.frames.size * 120
    );
  }
}

/** What a plain event (a loaded trace's, a kept one) adds to a store. */
export function eventInput(e: TraceEvent): EventInput {
  const input: EventInput = {
    kind: e.kind,
    callId: e.callId,
    line: e.line,
    step: e.step,
    changed: e.changed,
    deleted: e.deleted ?? null,
    deltas: e.deltas ?? null,
    ids: e.ids ?? null,
  };
  if (e.value !== undefined) input.value = e.value;
  if (e.exception) input.exception = e.exception;
  return input;
}

/** Plain events packed into a store, each frame added at its first event. */
export function packEvents(events: Iterable<TraceEvent>): EventStore {
  const store = new EventStore();
  for (const e of events) {
    if (!store.frames.has(e.callId))
      store.addFrame({
        callId: e.callId,
        parentCallId: e.parentCallId ?? 0,
        file: e.file,
        function: e.function,
        depth: e.depth,
        callIndex: e.callIndex,
      });
    store.push(eventInput(e));
  }
  return store;
}
