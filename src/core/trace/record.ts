// Records a line-level trace of a Python program through a debugpy DAP session.
// debugpy launches the program stopped at entry; one `evaluate` injects the recorder helper, which
// records in-process with a tracer limited to user code (sys.monitoring on Python >= 3.12,
// sys.settrace before) and streams record batches over a socket of its own (channel.ts). Nothing is
// done per file up front: code is selected for recording when it first runs.
// Engines: 'fast' (default) as above; 'step' suspends on every line (DAP stepIn) and asks the
// helper for the state at each stop — slow, the correctness reference.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startAdapter } from '../dap/adapterProcess';
import { decodeSource } from '../source/encoding';
import { findInterpreter } from '../dap/python';
import { CancelledError, UserError } from '../errors';
import { TraceAssembler } from './assemble';
import { openRecordChannel } from './channel';
import { installExpression, writeHelper, type BootTarget, type HelperConfig } from './helperSource';
import {
  DEFAULT_LIMITS,
  TRACE_SCHEMA,
  TRACE_SCHEMA_VERSION,
  type Trace,
  type TraceLimits,
} from './model';
import type { RecordOptions } from './options';
import { buildOutcome } from './outcome';
import { HELPER_PROTOCOL } from './records';
import { RecorderSession } from './session';
import { preflight, resolveTarget, type ResolvedTarget } from './targets';
import { EXCLUDED_DIRS, notUserCodeFolders } from './userCode';

export { pyString } from './helperSource';

export async function recordTrace(opts: RecordOptions): Promise<Trace> {
  const signal = opts.signal;
  const started = Date.now();
  if (signal?.aborted) throw new CancelledError();
  const limits: TraceLimits = { ...DEFAULT_LIMITS, ...definedOnly(opts.limits ?? {}) };
  validateLimits(limits);
  const env = opts.env ?? process.env;
  const target = resolveTarget(opts.target, opts.cwd, opts.args ?? [], opts.root);
  const interp = await findInterpreter(opts);
  // The checks and the adapter's start overlap (each starts a Python process).
  const checked = preflight(interp, target, env, opts.spawnWrapper);
  checked.catch(() => undefined);
  const engine = opts.engine === 'step' ? 'step' : 'fast';
  const asm = new TraceAssembler(limits.maxSteps);
  let channelError: Error | undefined;
  const log = opts.log;
  // A private folder (0700) for this recording: the record channel's socket and the helper's files.
  const dir = mkdtempSync(path.join(tmpdir(), 'tfx-rec-'));
  const channel = await openRecordChannel(
    dir,
    (batch) => {
      if (log) log('info', `records: ${JSON.stringify(batch).slice(0, 4000)}`);
      asm.push(batch);
    },
    (e) => (channelError ??= e),
  );
  const adapter = startAdapter(interp, env, opts.log, opts.spawnWrapper, { readWrite: [dir] });
  const session = new RecorderSession(
    adapter,
    channel,
    target,
    engine,
    opts,
    limits.timeoutMs,
    interp.version,
    () => asm.end,
  );
  try {
    // The target's checks and the helper's files; the adapter is initialised meanwhile.
    const launchReady = (async () => {
      const pre = await checked;
      if (signal?.aborted) throw new CancelledError();
      const cfg: HelperConfig = {
        root: target.root,
        main: pre.mainFile ?? target.mainFile ?? '',
        repr: limits.reprLength,
        recordImports: opts.recordImports ?? false,
        excluded: [...EXCLUDED_DIRS],
        notUserCode: notUserCodeFolders(interp.debugpyPath),
        channel: channel.address,
        engine,
        pytest: target.kind === 'pytest',
        stdin: opts.stdin ?? null,
        speedUp: true,
      };
      const program = writeHelper(dir, cfg, bootTarget(target));
      return engine === 'fast'
        ? { kind: 'boot' as const, program, dir }
        : { kind: 'inject' as const, expression: installExpression(dir), dir };
    })();
    launchReady.catch(() => undefined);
    const run = await session.run(launchReady);
    if (channelError && asm.eventCount === 0) throw channelError;
    asm.finish();
    if (asm.helper && asm.helper.protocol !== HELPER_PROTOCOL) {
      throw new UserError(
        'recorder-failed',
        `The recorder helper speaks protocol ${asm.helper.protocol}, Tracefix ${HELPER_PROTOCOL}.`,
      );
    }
    for (const w of asm.warnings)
      opts.log?.('info', `recorder (debugpy ${interp.debugpyVersion}): ${w}`);
    if (target.kind === 'pytest' && !asm.test && !run.timedOut && run.exitCode !== 0) {
      // pytest stopped before collecting (a conftest that does not import, a bad option): no test ran.
      const text = asm.output.map((o) => o.text).join('');
      const lines = text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      const said =
        lines.find((l) => /^E\s+\S/.test(l))?.replace(/^E\s+/, '') ??
        lines.find((l) => /^(ERROR|ImportError|usage):?/i.test(l)) ??
        lines[0];
      throw new UserError(
        'pytest-error',
        `pytest could not run ${target.label} (exit code ${run.exitCode ?? '?'})${said ? `: ${said.slice(0, 300)}` : '.'}`,
        `Run \`python -m pytest ${target.label}\` to see pytest's full message.`,
      );
    }
    if (
      target.kind === 'pytest' &&
      asm.test &&
      asm.test.collected.length === 0 &&
      !asm.test.collectError &&
      !run.timedOut
    ) {
      const said = asm.output
        .map((o) => o.text)
        .join('')
        .split('\n')
        .find((l) => /^ERROR: /.test(l.trim()));
      throw new UserError(
        'file-not-found',
        `pytest collected no test for ${target.label}${said ? ` (${said.trim()})` : ''}.`,
        'Check the test id: `python -m pytest --collect-only -q <file>` lists them.',
      );
    }
    const outcome = buildOutcome(asm, run, { started, limits, kind: target.kind });
    const trace: Trace = {
      schema: TRACE_SCHEMA,
      version: TRACE_SCHEMA_VERSION,
      engine,
      createdAt: new Date().toISOString(),
      program: {
        kind: target.kind,
        target: target.label,
        args: opts.args ?? [],
        cwd: target.cwd,
        root: target.root,
      },
      interpreter: {
        path: interp.python,
        version: interp.version,
        debugpyVersion: interp.debugpyVersion,
        debugpyPath: interp.debugpyPath,
        ...(asm.helper ? { backend: asm.helper.backend } : {}),
      },
      limits,
      outcome,
      sources: sourcesOf(asm, target.root),
      events: asm.events,
      output: asm.output,
    };
    if (asm.elided) trace.elided = asm.elided;
    if (asm.imports.length) trace.imports = asm.imports;
    if (Object.keys(asm.uses).length) trace.uses = asm.uses;
    return trace;
  } finally {
    await session.close();
    channel.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function bootTarget(t: ResolvedTarget): BootTarget {
  const args = t.launch.args;
  return t.launch.program !== undefined
    ? { kind: 'script', path: t.launch.program, args }
    : { kind: 'module', module: t.launch.module ?? '', args };
}

function sourcesOf(asm: TraceAssembler, root: string): Trace['sources'] {
  const used = new Set<string>();
  const events = asm.events;
  for (const f of events.frames.values()) used.add(f.file);
  return asm.files
    .filter((rel) => rel && used.has(rel))
    .map((rel) => ({ path: rel, text: readSource(path.join(root, rel)) }));
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateLimits(l: TraceLimits): void {
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isFinite(v) || v <= 0)
      throw new UserError(
        'bad-argument',
        `Limit ${k} must be a positive number (got ${String(v)}).`,
      );
  }
}

/** The file's text in its own encoding (PEP 263 cookie, BOM), as Python read it. */
function readSource(file: string): string {
  try {
    return decodeSource(readFileSync(file)).text;
  } catch {
    return '';
  }
}
