// What a trace read from a file must be before any tool, renderer or replay walks it: the header's
// fields of the right types, counts within bounds, every event's payload flat strings, and the frames
// a forest (each parent chain ends: a parent cycle sent state_at_step into an endless loop). Each
// check is one pass; nothing recurses into values, so a hostile file costs its size and no more.
import { UserError } from '../errors';
import type { FrameInfo } from './store';

/** Events, frames, files, output chunks and sources a trace may hold (a recording keeps 20,000 events by default). */
export const MAX_TRACE_ITEMS = 20_000_000;

function bad(origin: string, what: string): UserError {
  return new UserError('bad-argument', `${origin}: ${what}`);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min = 0): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';
function typeOf(v: unknown): Kind | 'other' {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'other';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'object' ? t : 'other';
}

/** `fields` of `v` (optional ones end with `?`) have the given types. */
function fields(v: unknown, spec: Record<string, Kind>, origin: string, where: string): void {
  if (!isObj(v)) throw bad(origin, `${where} must be an object.`);
  for (const [key, kind] of Object.entries(spec)) {
    const optional = key.endsWith('?');
    const name = optional ? key.slice(0, -1) : key;
    const value = v[name];
    if (value === undefined && optional) continue;
    if (typeOf(value) !== kind) throw bad(origin, `${where}.${name} must be a ${kind}.`);
  }
}

function list(v: unknown, origin: string, where: string): unknown[] {
  if (!Array.isArray(v)) throw bad(origin, `${where} must be a list.`);
  if (v.length > MAX_TRACE_ITEMS)
    throw bad(origin, `${where} has ${v.length} entries (at most ${MAX_TRACE_ITEMS}).`);
  return v;
}

/** The header of a trace (everything but the events), in place. */
export function checkHeader(v: Record<string, unknown>, origin: string): void {
  fields(v, { createdAt: 'string' }, origin, 'the trace');
  fields(
    v.program,
    { kind: 'string', target: 'string', args: 'array', cwd: 'string', root: 'string' },
    origin,
    'program',
  );
  if (!['script', 'module', 'pytest'].includes((v.program as { kind: string }).kind))
    throw bad(origin, 'program.kind must be script, module or pytest.');
  fields(v.interpreter, { path: 'string', version: 'string' }, origin, 'interpreter');
  fields(
    v.limits,
    { maxSteps: 'number', timeoutMs: 'number', reprLength: 'number' },
    origin,
    'limits',
  );
  fields(
    v.outcome,
    { status: 'string', durationMs: 'number', eventCount: 'number', partial: 'boolean' },
    origin,
    'outcome',
  );
  const outcome = v.outcome as Record<string, unknown>;
  if (outcome.exception !== undefined)
    checkException(outcome.exception, origin, 'outcome.exception');
  if (outcome.message !== undefined && typeof outcome.message !== 'string')
    throw bad(origin, 'outcome.message must be a string.');
  list(v.sources, origin, 'sources').forEach((s, i) =>
    fields(s, { path: 'string', text: 'string' }, origin, `sources[${i}]`),
  );
  list(v.output ?? [], origin, 'output').forEach((o, i) => {
    fields(o, { stream: 'string', text: 'string', afterEvent: 'number' }, origin, `output[${i}]`);
    if (!isInt((o as { afterEvent: unknown }).afterEvent))
      throw bad(origin, `output[${i}].afterEvent must be a whole number.`);
  });
  if (v.elided !== undefined) {
    fields(
      v.elided,
      { at: 'number', events: 'number', steps: 'number', lines: 'array' },
      origin,
      'elided',
    );
    const e = v.elided as { at: unknown; lines: unknown; frames?: unknown };
    if (!isInt(e.at)) throw bad(origin, 'elided.at must be a whole number.');
    list(e.lines, origin, 'elided.lines').forEach((l, i) =>
      fields(l, { file: 'string', line: 'number', count: 'number' }, origin, `elided.lines[${i}]`),
    );
    if (e.frames !== undefined) {
      if (!isObj(e.frames)) throw bad(origin, 'elided.frames must be an object.');
      for (const [id, locals] of Object.entries(e.frames))
        stringMap(locals, origin, `elided.frames.${id}`);
    }
  }
  if (v.imports !== undefined)
    list(v.imports, origin, 'imports').forEach((m, i) =>
      fields(m, { file: 'string', calls: 'number', ms: 'number' }, origin, `imports[${i}]`),
    );
}

export function checkException(v: unknown, origin: string, where: string): void {
  fields(
    v,
    { type: 'string', message: 'string', repr: 'string', 'file?': 'string', 'line?': 'number' },
    origin,
    where,
  );
}

/** An object whose values are all strings (a `changed` map, a frame's locals). */
export function stringMap(v: unknown, origin: string, where: string): void {
  if (!isObj(v)) throw bad(origin, `${where} must be an object of strings.`);
  for (const k in v)
    if (typeof v[k] !== 'string') throw bad(origin, `${where}.${k} must be a string.`);
}

export function stringList(v: unknown, origin: string, where: string): void {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw bad(origin, `${where} must be a list of strings.`);
}

/** A frame row's fields. */
export function checkFrame(f: FrameInfo, origin: string, where: string): void {
  if (!isInt(f.callId, 1) || !isInt(f.parentCallId) || !isInt(f.depth) || !isInt(f.callIndex))
    throw bad(origin, `${where}: callId, parent, depth and call index must be whole numbers.`);
  if (typeof f.function !== 'string' || typeof f.file !== 'string')
    throw bad(origin, `${where}: file and function must be strings.`);
}

/**
 * The frames form a forest: following parentCallId from any frame reaches a frame without a
 * (known) parent. One pass: each frame is visited once, chains already known to end are not walked again.
 */
export function checkAcyclic(frames: ReadonlyMap<number, FrameInfo>, origin: string): void {
  const ends = new Set<number>();
  const onPath = new Set<number>();
  for (const start of frames.keys()) {
    let id: number | undefined = start;
    onPath.clear();
    while (id !== undefined && id !== 0 && !ends.has(id)) {
      const f = frames.get(id);
      if (!f) break;
      if (onPath.has(id))
        throw bad(
          origin,
          `the frames' callers form a cycle (call ${id} is its own caller's caller).`,
        );
      onPath.add(id);
      id = f.parentCallId;
    }
    for (const p of onPath) ends.add(p);
  }
}
