// Loading the recording a replay launches on, and deciding where each recorded file's text comes
// from: the file on disk when it is still the recorded text, otherwise the copy saved in the trace
// (served through a DAP sourceReference) so the replayed lines always match what ran.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { traceFromJson } from '../trace/json';
import { readTraceFile } from '../trace/traceFile';
import { isTrace, type Trace } from '../trace/model';

/** Launch arguments of the `tracefix-replay` debug type. */
export interface ReplayLaunchArguments {
  /** Path of a saved trace JSON (`tracefix trace --format json`). */
  trace?: string;
  /** The trace itself (used instead of `trace` when given, e.g. from the extension's memory). */
  traceObject?: Trace;
  /** Stop on the first event (default true); otherwise run to the first breakpoint / raise point. */
  stopOnEntry?: boolean;
  /** Where the sources live (default trace.program.root). */
  sourceRoot?: string;
}

export async function loadTrace(args: ReplayLaunchArguments): Promise<Trace> {
  if (args.traceObject !== undefined) return checkTrace(args.traceObject, 'the given trace object');
  if (typeof args.trace !== 'string' || args.trace === '') {
    throw new UserError(
      'bad-argument',
      'The replay needs `trace` (path of a saved trace JSON) or `traceObject`.',
    );
  }
  return nonEmpty(await readTraceFile(args.trace), args.trace);
}

/** Checks a trace object handed over in memory, or one that crossed a process boundary as JSON
 * (a launch request's `traceObject`). */
export function checkTrace(value: unknown, origin: string): Trace {
  return nonEmpty(isTrace(value) ? value : traceFromJson(value, origin), origin);
}

function nonEmpty(trace: Trace, origin: string): Trace {
  if (trace.events.length === 0)
    throw new UserError('no-trace', `${origin} holds no events, so there is nothing to replay.`);
  return trace;
}

export interface ResolvedSource {
  /** Relative to the recording's root. */
  file: string;
  /** Absolute path when the file on disk is the recorded text. */
  path?: string;
  /** Set when the recorded copy is served instead. */
  sourceReference?: number;
  /** Why the recorded copy is served. */
  origin?: string;
}

export class SourceMap {
  private readonly resolved = new Map<string, ResolvedSource>();
  private readonly recorded = new Map<string, string>();
  private readonly byReference: string[] = [];

  constructor(
    trace: Trace,
    readonly root: string,
  ) {
    for (const s of trace.sources) this.recorded.set(s.path, s.text);
  }

  resolve(file: string): ResolvedSource {
    let r = this.resolved.get(file);
    if (r === undefined) {
      r = this.decide(file);
      this.resolved.set(file, r);
    }
    return r;
  }

  /** The recorded file a client path or sourceReference designates. */
  fileFor(source: { path?: string; sourceReference?: number }): string | undefined {
    if (source.sourceReference !== undefined && source.sourceReference > 0)
      return this.byReference[source.sourceReference - 1];
    if (source.path === undefined) return undefined;
    const rel = path.relative(this.root, source.path);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  textOf(sourceReference: number): string | undefined {
    const file = this.byReference[sourceReference - 1];
    return file === undefined ? undefined : this.recorded.get(file);
  }

  private decide(file: string): ResolvedSource {
    const abs = path.join(this.root, ...file.split('/'));
    const recorded = this.recorded.get(file);
    let origin: string | undefined;
    if (existsSync(abs)) {
      if (recorded === undefined || sameText(readText(abs), recorded)) return { file, path: abs };
      origin = 'recorded copy (the file changed since the recording)';
    } else {
      if (recorded === undefined) return { file, path: abs }; // nothing better to offer
      origin = 'recorded copy (the file is not at the source root)';
    }
    this.byReference.push(file);
    return { file, sourceReference: this.byReference.length, origin };
  }
}

function readText(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function sameText(a: string | undefined, b: string): boolean {
  return a !== undefined && a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}
