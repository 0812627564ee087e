// Keeps a long recording within `maxEvents`: the first quarter (the head), then a sliding window
// over the most recent events (the tail). What falls out of the window is counted per line and
// folded into the locals of the frames still running, so the state at the gap stays known and the
// trace still ends with what really happened (the exception, the failing assert).
import type { Elision } from './model';
import { EventStore, type EventInput, type FrameInfo } from './store';

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
    return n < this.firstTailEvent ? at : at + (n - this.firstTailEvent);
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
      this.headIds = new Set<number>();
      for (let i = 0; i < this.head.length; i++) this.headIds.add(this.head.callIdAt(i));
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
      if (kind === 'return' || kind === 'exception') {
        this.baseline.delete(callId);
        continue;
      }
      if (!locals) this.baseline.set(callId, (locals = {}));
      tail.eachChange(i, (name, value) => {
        if (value === undefined) delete locals[name];
        else locals[name] = value;
      });
    }
    const kept = new EventStore(this.frames);
    kept.appendFrom(tail, count);
    this.tail = kept;
    this.pruneFrames();
  }

  /** Forgets frames no kept event, running frame or their callers refer to. */
  private pruneFrames(): void {
    const keep = new Set<number>(this.headIds);
    const tail = this.tail as EventStore;
    for (let i = 0; i < tail.length; i++) keep.add(tail.callIdAt(i));
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
    this.head.appendFrom(kept);
    this.done = this.head;
    if (this.elided === 0) return { events: this.head };
    const frames: Record<number, Record<string, string>> = {};
    for (const [id, locals] of this.baseline) if (after.has(id)) frames[id] = locals;
    const lines = [...this.lineCounts]
      .map(([key, count]) => {
        const [file, line] = key.split('\0');
        return { file: file ?? '?', line: Number(line), count };
      })
      .sort((a, b) => b.count - a.count || a.file.localeCompare(b.file) || a.line - b.line);
    return {
      events: this.head,
      elided: { at, events: this.elided, steps: this.elidedSteps, lines, frames },
    };
  }
}
