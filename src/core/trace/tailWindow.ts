// Keeps a long recording within `maxEvents`: the first quarter (the head), then a sliding window
// over the most recent events (the tail). What falls out of the window is counted per line and
// folded into the locals of the frames still running, so the state at the gap stays known and the
// trace still ends with what really happened (the exception, the failing assert). Of what falls out,
// the first and the last execution (with values) of every line that ran there are kept, with their
// frame's locals: no line that ran is left without a value. Bounded by the code that ran, not by
// the length of the run.
import type { Elision, TraceEvent } from './model';
import { eventInput, EventStore, type EventInput, type FrameInfo } from './store';

/** An execution kept from the middle of the run: its global number, the event, its frame's locals. */
interface Kept {
  n: number;
  event: TraceEvent;
  locals: Record<string, string>;
}

export interface ElisionWithState extends Elision {
  /** Locals of the frames running at the gap (for frames that have events after it). */
  frames: Record<number, Record<string, string>>;
}

export class TailWindow {
  private readonly frames = new Map<number, FrameInfo>();
  private readonly head = new EventStore(this.frames);
  private tail: EventStore | undefined;
  private readonly headMax: number;
  private readonly tailMax: number;
  private readonly alive = new Set<number>();
  private headIds: Set<number> | undefined;
  private baseline = new Map<number, Record<string, string>>();
  private elided = 0;
  private elidedSteps = 0;
  private readonly lineCounts = new Map<string, number>();
  private done: EventStore | undefined;
  private recorded = 0;
  /** Global number (counting elided events) of the first event kept after the gap. */
  private firstTailEvent = 0;
  /** Global number of the tail store's first event. */
  private tailStart = 0;
  /** Lines (file, line, kind) with an entry in the head: their first execution is already kept. */
  private headKeys: Set<string> | undefined;
  /** file, line, kind → the first and the latest execution with values that fell out of the tail. */
  private readonly first = new Map<string, Kept>();
  private readonly last = new Map<string, Kept>();
  /** Global numbers of the kept middle executions, ascending (after seal). */
  private keptNumbers: number[] = [];

  constructor(maxEvents: number) {
    const max = Math.max(1, Math.floor(maxEvents));
    this.headMax = max < 8 ? max : Math.floor(max / 4);
    this.tailMax = Math.max(max - this.headMax, 1);
  }

  /** Events recorded so far (kept or elided). */
  get length(): number {
    return this.recorded;
  }

  /** Position in the sealed events of the event recorded `n`-th (n counts elided ones): events
   * inside the gap map to the gap. */
  position(n: number): number {
    if (n <= this.head.length || this.elided === 0) return n;
    const at = this.head.length;
    const kept = this.keptNumbers;
    let before = 0;
    while (before < kept.length && (kept[before] as number) < n) before++;
    return n < this.firstTailEvent ? at + before : at + kept.length + (n - this.firstTailEvent);
  }

  addFrame(f: FrameInfo): void {
    this.frames.set(f.callId, f);
    this.alive.add(f.callId);
  }

  frame(callId: number): FrameInfo | undefined {
    return this.frames.get(callId);
  }

  frameEnded(callId: number): void {
    this.alive.delete(callId);
  }

  /** `locals`: the current locals of the event's frame; with `live`, those of every running frame,
   * read only once, when the head is full. */
  push(
    e: EventInput,
    _locals: Record<string, string>,
    live?: () => Map<number, Record<string, string>>,
  ): void {
    if (this.done) throw new Error('the recording was already assembled');
    this.recorded++;
    if (this.head.length < this.headMax) {
      this.head.push(e);
      return;
    }
    if (!this.tail) {
      this.tail = new EventStore(this.frames);
      this.tailStart = this.head.length;
      this.headIds = new Set<number>();
      this.headKeys = new Set<string>();
      for (let i = 0; i < this.head.length; i++) {
        this.headIds.add(this.head.callIdAt(i));
        if (this.head.stepAt(i) !== null) this.headKeys.add(this.keyOf(this.head, i));
      }
      if (live) for (const [id, locals] of live()) this.baseline.set(id, { ...locals });
    }
    this.tail.push(e);
    if (this.tail.length >= 2 * this.tailMax) this.compact(this.tail.length - this.tailMax);
  }

  /** Drops the oldest `count` tail events into the elision. */
  private compact(count: number): void {
    const tail = this.tail as EventStore;
    for (let i = 0; i < count; i++) {
      const callId = tail.callIdAt(i);
      const kind = tail.kindAt(i);
      this.elided++;
      if (tail.stepAt(i) !== null) this.elidedSteps++;
      const f = this.frames.get(callId);
      if (kind === 'line' && f) {
        const key = `${f.file}\0${tail.lineAt(i)}`;
        this.lineCounts.set(key, (this.lineCounts.get(key) ?? 0) + 1);
      }
      let locals = this.baseline.get(callId);
      if (!locals) this.baseline.set(callId, (locals = {}));
      if (kind !== 'return' && kind !== 'exception')
        tail.eachChange(i, (name, value) => {
          if (value === undefined) delete locals[name];
          else locals[name] = value;
        });
      if (tail.stepAt(i) !== null && f) this.keep(tail, i, locals);
      if (kind === 'return' || kind === 'exception') this.baseline.delete(callId);
    }
    this.tailStart += count;
    const kept = new EventStore(this.frames);
    kept.appendFrom(tail, count);
    this.tail = kept;
    this.pruneFrames();
  }

  private keyOf(store: EventStore, i: number): string {
    const f = this.frames.get(store.callIdAt(i));
    return `${f?.file ?? '?'}\0${store.lineAt(i)}\0${store.kindAt(i)}`;
  }

  /** An execution with values falls out of the tail: kept when it is the first of its line (and the
   * head has none) or, until a later one comes, the last. */
  private keep(tail: EventStore, i: number, locals: Record<string, string>): void {
    const key = this.keyOf(tail, i);
    const entry = (): Kept => ({
      n: this.tailStart + i,
      event: tail.at(i) as TraceEvent,
      locals: { ...locals },
    });
    if (!this.headKeys?.has(key) && !this.first.has(key)) {
      this.first.set(key, entry());
      return;
    }
    this.last.set(key, entry());
  }

  /** Forgets frames no kept event, running frame or their callers refer to. */
  private pruneFrames(): void {
    const keep = new Set<number>(this.headIds);
    const tail = this.tail as EventStore;
    for (let i = 0; i < tail.length; i++) keep.add(tail.callIdAt(i));
    for (const k of this.first.values()) keep.add(k.event.callId);
    for (const k of this.last.values()) keep.add(k.event.callId);
    for (const id of this.alive) keep.add(id);
    for (const id of [...keep]) {
      let p = this.frames.get(id)?.parentCallId;
      while (p && !keep.has(p)) {
        keep.add(p);
        p = this.frames.get(p)?.parentCallId;
      }
    }
    for (const id of [...this.frames.keys()]) if (!keep.has(id)) this.frames.delete(id);
    for (const id of [...this.baseline.keys()]) if (!keep.has(id)) this.baseline.delete(id);
  }

  /** Called once the recording ended: joins head and tail and describes the gap. */
  seal(): { events: EventStore; elided?: ElisionWithState } {
    if (this.done) throw new Error('sealed twice');
    const tail = this.tail;
    if (!tail) {
      this.done = this.head;
      return { events: this.head };
    }
    if (tail.length > this.tailMax) this.compact(tail.length - this.tailMax);
    const at = this.head.length;
    this.firstTailEvent = this.recorded - (this.tail as EventStore).length;
    const after = new Set<number>();
    const kept = this.tail as EventStore;
    for (let i = 0; i < kept.length; i++) after.add(kept.callIdAt(i));
    // The kept middle executions, in the order they ran, between the head and the tail.
    const middle = [...this.first.values(), ...this.last.values()].sort((a, b) => a.n - b.n);
    const keptLocals: Record<number, Record<string, string>> = {};
    for (const k of middle) {
      keptLocals[this.head.length] = k.locals;
      this.head.push(eventInput(k.event));
      this.elided--;
      if (k.event.step !== null) this.elidedSteps--;
      if (k.event.kind === 'line') {
        const key = `${k.event.file}\0${k.event.line}`;
        const c = (this.lineCounts.get(key) ?? 0) - 1;
        if (c > 0) this.lineCounts.set(key, c);
        else this.lineCounts.delete(key);
      }
    }
    this.keptNumbers = middle.map((k) => k.n);
    const tailAt = this.head.length;
    this.head.appendFrom(kept);
    this.done = this.head;
    if (this.elided === 0 && middle.length === 0) return { events: this.head };
    const frames: Record<number, Record<string, string>> = {};
    for (const [id, locals] of this.baseline) if (after.has(id)) frames[id] = locals;
    const lines = [...this.lineCounts]
      .map(([key, count]) => {
        const [file, line] = key.split('\0');
        return { file: file ?? '?', line: Number(line), count };
      })
      .sort((a, b) => b.count - a.count || a.file.localeCompare(b.file) || a.line - b.line);
    const elided: ElisionWithState = {
      at,
      events: this.elided,
      steps: this.elidedSteps,
      lines,
      frames,
    };
    if (middle.length) {
      elided.tail = tailAt;
      elided.kept = keptLocals;
    }
    return { events: this.head, elided };
  }
}
