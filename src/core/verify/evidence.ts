// Reads the evidence a verification run sent over its result channel (python/
// tracefix_verify_channel.py): one line per event, `HMAC SEQ JSON`, the HMAC keyed with bytes only
// Tracefix and the launcher (before any code of the program ran) knew. A line that does not check
// out, a gap or a repeat in the sequence means something else wrote to the channel: the run proves
// nothing. The events become the records verdict.ts judges.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PhaseReport, ProgramRecord, PytestRecord, WatchReport } from './verdict';

export type ChannelEvent = { t: string } & Record<string, unknown>;

export interface Evidence {
  events: ChannelEvent[];
  /** Why the evidence cannot be trusted ('' when it can). */
  problem: string;
}

const LINE = /^([0-9a-f]{64}) (\d+) (.*)$/;

export function readEvidence(data: Buffer, key: Buffer, overflow = false): Evidence {
  if (overflow)
    return { events: [], problem: 'the run sent more evidence than Tracefix reads (8 MB)' };
  const text = data.toString('latin1');
  const lines = text.split('\n');
  // A last line without its newline was cut by the end of the process: not evidence.
  lines.pop();
  const events: ChannelEvent[] = [];
  for (const [i, line] of lines.entries()) {
    const m = LINE.exec(line);
    const forged = {
      events,
      problem:
        'something other than Tracefix wrote to the verification channel (a forged or reordered record), so the run proves nothing',
    };
    if (!m || Number(m[2]) !== i) return forged;
    const expected = createHmac('sha256', key)
      .update(`${m[2]}:${m[3] ?? ''}`)
      .digest();
    if (!timingSafeEqual(expected, Buffer.from(m[1] ?? '', 'hex'))) return forged;
    try {
      const ev = JSON.parse(m[3] ?? '') as unknown;
      if (!ev || typeof ev !== 'object' || typeof (ev as { t?: unknown }).t !== 'string')
        return forged;
      events.push(ev as ChannelEvent);
    } catch {
      return forged;
    }
  }
  return { events, problem: '' };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The watched lines as the events report them; null when the launcher never said it watched. */
function watchOf(events: ChannelEvent[]): WatchReport[] | null {
  const w = events.find((e) => e.t === 'watch');
  if (!w || !Array.isArray(w.lines)) return null;
  const out = new Map<number, WatchReport>();
  for (const l of w.lines as unknown[]) {
    const o = (l ?? {}) as Record<string, unknown>;
    const id = num(o.id);
    if (id !== null)
      out.set(id, { id, isAssert: o.isAssert === true, ran: false, raised: false, exception: '' });
  }
  for (const e of events) {
    const r = out.get(num(e.id) ?? -1);
    if (!r) continue;
    if (e.t === 'ran') r.ran = true;
    if (e.t === 'raised' && !r.raised) {
      r.raised = true;
      r.exception = str(e.exception);
    }
  }
  return [...out.values()];
}

/** The pytest record from the events; undefined when the launcher never started. */
export function pytestRecordOf(events: ChannelEvent[]): PytestRecord | undefined {
  if (!events.some((e) => e.t === 'hello')) return undefined;
  const collected: string[] = [];
  const seen = new Set<string>();
  let collectionDone = false;
  const rec: PytestRecord = {
    finished: false,
    exitstatus: -1,
    collected: null,
    deselected: [],
    reports: {},
    collectProblems: [],
    interrupted: null,
    launcherExit: null,
    watch: watchOf(events),
  };
  for (const e of events) {
    switch (e.t) {
      case 'collected':
        for (const id of strings(e.ids))
          if (!seen.has(id)) {
            seen.add(id);
            collected.push(id);
          }
        break;
      case 'collection-finished':
        collectionDone = true;
        break;
      case 'deselected':
        rec.deselected.push(...strings(e.ids));
        break;
      case 'collectproblem':
        rec.collectProblems.push({
          nodeid: str(e.nodeid),
          outcome: e.outcome === 'failed' ? 'failed' : 'skipped',
          message: str(e.message),
        });
        break;
      case 'report': {
        const when = str(e.when);
        if (when !== 'setup' && when !== 'call' && when !== 'teardown') break;
        const outcome = e.outcome === 'passed' || e.outcome === 'skipped' ? e.outcome : 'failed';
        const phase: PhaseReport = { outcome, xfail: e.xfail === true, message: str(e.message) };
        (rec.reports[str(e.nodeid)] ??= {})[when] = phase;
        break;
      }
      case 'interrupted':
        rec.interrupted = {
          type: str(e.type),
          message: str(e.message),
          returncode: num(e.returncode),
        };
        break;
      case 'finish':
        rec.finished = true;
        rec.exitstatus = num(e.exitstatus) ?? -1;
        break;
      case 'exit':
        rec.launcherExit = num(e.code);
        break;
    }
  }
  rec.collected = collectionDone ? collected : null;
  return rec;
}

/** The script/module record from the events; undefined when the launcher never started. */
export function programRecordOf(events: ChannelEvent[]): ProgramRecord | undefined {
  if (!events.some((e) => e.t === 'hello')) return undefined;
  const end = events.find((e) => e.t === 'end');
  let record: ProgramRecord['end'] = null;
  if (end?.how === 'end') record = { how: 'end' };
  else if (end?.how === 'exception') record = { how: 'exception', type: str(end.type) };
  else if (end?.how === 'exit') {
    const w =
      typeof end.where === 'object' && end.where !== null
        ? (end.where as Record<string, unknown>)
        : null;
    record = {
      how: 'exit',
      code: num(end.code) ?? 1,
      where: w ? { file: str(w.file), line: num(w.line) ?? 0 } : null,
      direct: end.direct === true,
      atEnd: end.atEnd === true,
    };
  }
  return { end: record, watch: watchOf(events) };
}
