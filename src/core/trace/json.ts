// The trace as JSON (docs/trace-format.md). Version 2 is compact: frames are written once, each event
// is a short row `[code, callId - previous callId, line, extras?]` with only what changed, and the
// text is produced in chunks so a million events never become one giant string. Versions 1 and 2 are
// read; version 2 is written.
import { UserError, errorMessage } from '../errors';
import {
  TRACE_SCHEMA,
  TRACE_SCHEMA_VERSION,
  type Delta,
  type ExceptionInfo,
  type Trace,
  type TraceEvent,
} from './model';
import { EventStore, KINDS, type EventInput, type FrameInfo } from './store';
import {
  checkAcyclic,
  checkException,
  checkFrame,
  checkHeader,
  MAX_TRACE_ITEMS,
  stringList,
  stringMap,
} from './traceChecks';

const ROWS_PER_CHUNK = 2000;

interface Extras {
  /** The step number, when it is not the previous step + 1 (after an elision, or in hand-made traces). */
  s?: number;
  c?: Record<string, string>;
  d?: string[];
  x?: [string, Delta['op'], string?][];
  v?: string;
  e?: ExceptionInfo;
  /** Object numbers of changed values and of the returned one (`__return__`). */
  i?: Record<string, number>;
}

/** The trace as JSON text, in chunks (join them, or write them one by one). */
export function* traceJsonChunks(trace: Trace): Generator<string> {
  const { events, ...rest } = trace;
  const header = { ...rest, version: TRACE_SCHEMA_VERSION };
  const files: string[] = [];
  const fileIds = new Map<string, number>();
  const fileId = (f: string) => {
    let id = fileIds.get(f);
    if (id === undefined) {
      id = files.length;
      files.push(f);
      fileIds.set(f, id);
    }
    return id;
  };
  const frames = new Map<number, [number, number, number, string, number, number]>();
  const rows: string[] = [];
  let prevCall = 0;
  let nextStep = 0;
  yield `${JSON.stringify(header).slice(0, -1)},"events":[`;
  for (let i = 0; i < events.length; i++) {
    const e = events.at(i) as TraceEvent;
    if (!frames.has(e.callId))
      frames.set(e.callId, [
        e.callId,
        e.parentCallId ?? 0,
        fileId(e.file),
        e.function,
        e.depth,
        e.callIndex,
      ]);
    const code = KINDS.indexOf(e.kind) * 2 + (e.step === null ? 0 : 1);
    const extras: Extras = {};
    if (e.step !== null) {
      if (e.step !== nextStep) extras.s = e.step;
      nextStep = e.step + 1;
    }
    if (Object.keys(e.changed).length) extras.c = e.changed;
    if (e.deleted?.length) extras.d = e.deleted;
    if (e.deltas?.length)
      extras.x = e.deltas.map((d) =>
        d.value === undefined ? [d.path, d.op] : [d.path, d.op, d.value],
      );
    if (e.value !== undefined) extras.v = e.value;
    if (e.exception) extras.e = e.exception;
    if (e.ids && Object.keys(e.ids).length) extras.i = e.ids;
    const row: unknown[] = [code, e.callId - prevCall, e.line];
    if (Object.keys(extras).length) row.push(extras);
    prevCall = e.callId;
    rows.push(JSON.stringify(row));
    if (rows.length >= ROWS_PER_CHUNK) {
      yield (i + 1 > rows.length ? ',' : '') + rows.join(',');
      rows.length = 0;
    }
  }
  if (rows.length) yield (events.length > rows.length ? ',' : '') + rows.join(',');
  yield `],"files":${JSON.stringify(files)},"frames":${JSON.stringify([...frames.values()])}}\n`;
}

export function traceToJson(trace: Trace): string {
  return [...traceJsonChunks(trace)].join('');
}

/** Reads a trace written by any version of Tracefix (schema versions 1 and 2). */
export function parseTrace(text: string, origin = 'the trace'): Trace {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError('bad-argument', `${origin} is not valid JSON: ${errorMessage(e)}`);
  }
  return traceFromJson(value, origin);
}

export function traceFromJson(value: unknown, origin = 'the trace'): Trace {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || v.schema !== TRACE_SCHEMA) {
    throw new UserError(
      'bad-argument',
      `${origin} is not a Tracefix trace (schema "${TRACE_SCHEMA}").`,
    );
  }
  if (v.version === 1 || v.version === 2) checkHeader(v, origin);
  if (v.version === 1) return fromV1(v, origin);
  if (v.version === 2) return fromV2(v, origin);
  throw new UserError(
    'bad-argument',
    `${origin} has trace format version ${String(v.version)}; this Tracefix reads versions 1 and 2.`,
  );
}

function malformed(origin: string, what: string): UserError {
  return new UserError('bad-argument', `${origin}: ${what}`);
}

function fromV2(v: Record<string, unknown>, origin: string): Trace {
  // A trace object serialised with JSON.stringify (not a file): events as objects, like v1 without locals.
  if (
    Array.isArray(v.events) &&
    !Array.isArray(v.frames) &&
    (v.events.length === 0 || !Array.isArray(v.events[0]))
  )
    return fromObjects(v, origin);
  const files = v.files as string[] | undefined;
  const frames = v.frames as [number, number, number, string, number, number][] | undefined;
  const rows = v.events as unknown[] | undefined;
  if (
    !Array.isArray(files) ||
    !Array.isArray(frames) ||
    !Array.isArray(rows) ||
    !Array.isArray(v.sources)
  ) {
    throw malformed(origin, 'events, frames, files and sources are required.');
  }
  for (const [what, a] of [
    ['events', rows],
    ['frames', frames],
    ['files', files],
  ] as const)
    if (a.length > MAX_TRACE_ITEMS)
      throw malformed(origin, `${what} has ${a.length} entries (at most ${MAX_TRACE_ITEMS}).`);
  stringList(files, origin, 'files');
  const store = new EventStore();
  frames.forEach((f, i) => {
    if (!Array.isArray(f) || typeof f[2] !== 'number' || files[f[2]] === undefined)
      throw malformed(origin, `frame ${i} is malformed.`);
    const info: FrameInfo = {
      callId: f[0],
      parentCallId: f[1],
      file: files[f[2]] as string,
      function: f[3],
      depth: f[4],
      callIndex: f[5],
    };
    checkFrame(info, origin, `frame ${i}`);
    if (store.frames.has(info.callId))
      throw malformed(origin, `frame ${i} repeats call ${info.callId}.`);
    store.addFrame(info);
  });
  checkAcyclic(store.frames, origin);
  let step = 0;
  let call = 0;
  rows.forEach((r, i) => {
    if (
      !Array.isArray(r) ||
      !Number.isSafeInteger(r[0]) ||
      !Number.isSafeInteger(r[1]) ||
      !Number.isSafeInteger(r[2]) ||
      (r[2] as number) < 0
    ) {
      throw malformed(origin, `event ${i} is malformed.`);
    }
    call += r[1] as number;
    const kind = KINDS[(r[0] as number) >> 1];
    if (!kind || !store.frames.has(call))
      throw malformed(origin, `event ${i} is malformed (kind or frame).`);
    const x = checkExtras(r[3], origin, i);
    if (x.s !== undefined) step = x.s;
    const input: EventInput = {
      kind,
      callId: call,
      line: r[2] as number,
      step: (r[0] as number) & 1 ? step++ : null,
      changed: x.c,
      deleted: x.d,
    };
    if (x.x)
      input.deltas = x.x.map(([path, op, value]) =>
        value === undefined ? { path, op } : { path, op, value },
      );
    if (x.v !== undefined) input.value = x.v;
    if (x.e) input.exception = x.e;
    if (x.i && typeof x.i === 'object') input.ids = x.i;
    store.push(input);
  });
  const { events: _e, files: _f, frames: _fr, ...rest } = v;
  return { ...(rest as unknown as Omit<Trace, 'events'>), events: store };
}

const DELTA_OPS = new Set(['=', 'del', 'add', 'discard', 'more']);

/** An event row's extras, checked field by field (nothing nested is walked). */
function checkExtras(raw: unknown, origin: string, i: number): Extras {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw malformed(origin, `event ${i} is malformed (extras).`);
  const x = raw as Extras;
  const where = `event ${i}`;
  if (x.s !== undefined && (!Number.isSafeInteger(x.s) || x.s < 0))
    throw malformed(origin, `${where}: the step must be a whole number.`);
  if (x.c !== undefined) stringMap(x.c, origin, `${where} changes`);
  if (x.d !== undefined) stringList(x.d, origin, `${where} deletions`);
  if (x.v !== undefined && typeof x.v !== 'string')
    throw malformed(origin, `${where}: the value must be a string.`);
  if (x.e !== undefined) checkException(x.e, origin, `${where} exception`);
  if (x.x !== undefined) {
    const ok =
      Array.isArray(x.x) &&
      x.x.every(
        (d) =>
          Array.isArray(d) &&
          typeof d[0] === 'string' &&
          DELTA_OPS.has(d[1]) &&
          (d[2] === undefined || typeof d[2] === 'string'),
      );
    if (!ok) throw malformed(origin, `${where}: the deltas are malformed.`);
  }
  return x;
}

/** Version 1: every event an object with its locals; kept readable for traces saved before. */
function fromV1(v: Record<string, unknown>, origin: string): Trace {
  return fromObjects(v, origin);
}

function fromObjects(v: Record<string, unknown>, origin: string): Trace {
  const rows = v.events;
  if (!Array.isArray(rows) || !Array.isArray(v.sources))
    throw malformed(origin, 'events and sources are required.');
  if (rows.length > MAX_TRACE_ITEMS)
    throw malformed(origin, `events has ${rows.length} entries (at most ${MAX_TRACE_ITEMS}).`);
  const store = new EventStore();
  rows.forEach((e: TraceEvent & { locals?: unknown }, i) => {
    const ok =
      typeof e === 'object' &&
      e !== null &&
      typeof e.file === 'string' &&
      Number.isSafeInteger(e.line) &&
      e.line >= 0 &&
      typeof e.callId === 'number' &&
      typeof e.depth === 'number' &&
      KINDS.includes(e.kind) &&
      (e.step === undefined || e.step === null || Number.isSafeInteger(e.step));
    if (!ok)
      throw malformed(
        origin,
        `event ${i} is malformed (kind, file, line, callId and depth are required).`,
      );
    if (e.changed !== undefined) stringMap(e.changed, origin, `event ${i} changes`);
    if (e.deleted !== undefined) stringList(e.deleted, origin, `event ${i} deletions`);
    if (e.value !== undefined && typeof e.value !== 'string')
      throw malformed(origin, `event ${i}: the value must be a string.`);
    if (e.exception !== undefined) checkException(e.exception, origin, `event ${i} exception`);
    if (!store.frames.has(e.callId)) {
      const info: FrameInfo = {
        callId: e.callId,
        parentCallId: e.parentCallId ?? 0,
        file: e.file,
        function: e.function,
        depth: e.depth,
        callIndex: e.callIndex ?? 1,
      };
      checkFrame(info, origin, `event ${i}`);
      store.addFrame(info);
    }
    const input: EventInput = {
      kind: e.kind,
      callId: e.callId,
      line: e.line,
      step: e.step ?? null,
      changed: e.changed ?? {},
      deleted: e.deleted,
    };
    if (e.value !== undefined) input.value = e.value;
    if (e.exception) input.exception = e.exception;
    store.push(input);
  });
  checkAcyclic(store.frames, origin);
  // Version 1 names, read as version 2's: the 'logpoint' engine is 'fast', and a run Tracefix ended
  // at limits.maxSteps ('step-limit') was cut off by a recording limit, as a timeout is.
  const engine = v.engine === 'logpoint' ? 'fast' : v.engine;
  const outcome = v.outcome as Record<string, unknown> | undefined;
  const stepLimit = outcome?.status === 'step-limit';
  const maxSteps = (v.limits as { maxSteps?: unknown } | undefined)?.maxSteps;
  return {
    ...(v as unknown as Trace),
    engine: engine as Trace['engine'],
    ...(stepLimit && {
      outcome: {
        ...(outcome as unknown as Trace['outcome']),
        status: 'timeout',
        partial: true,
        message: `Recording stopped after ${typeof maxSteps === 'number' ? maxSteps : '?'} steps.`,
      },
    }),
    version: TRACE_SCHEMA_VERSION,
    events: store,
  };
}
