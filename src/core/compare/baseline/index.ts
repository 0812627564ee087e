// Where the passing run to compare against comes from: the same run at a commit (HEAD, a ref, or the
// last commit where it passed), a passing sibling test, or a saved recording; or, by default, the
// first of these that is cheap and applies. An explicit choice that cannot be had is a one-line
// UserError; the automatic choice only says why it found none.
import * as path from 'node:path';
import { CancelledError, UserError, errorMessage } from '../../errors';
import type { Trace } from '../../trace/model';
import type { RecordOptions } from '../../trace/options';
import { recordTrace } from '../../trace/record';
import { readTraceFile } from '../../trace/traceFile';
import { tracePassed } from '../../verify/traceOutcome';
import type { RunLabels } from '../format';
import { lastPassingCommit, recordAtCommit, runName, type CommitRunContext } from './atCommit';
import { changedSince, findRepo, resolveCommit, type Commit } from './git';
import { interpreterFor } from './rerun';
import { findPassingSibling } from './siblings';

export type BaselineSpec =
  | { kind: 'auto' }
  | { kind: 'none' }
  /** The same run at a commit (`HEAD` by default). */
  | { kind: 'git'; ref: string }
  /** The same run at the newest commit (from `ref` back) where it passes, found by running it. */
  | { kind: 'last-pass'; ref: string }
  /** Another test of the working tree (a parametrization, a test calling the same function). */
  | { kind: 'test'; nodeId: string }
  /** A passing sibling test, found automatically. */
  | { kind: 'sibling' }
  /** A saved recording. */
  | { kind: 'trace'; file: string };

export const BASELINE_SYNTAX =
  'auto, none, git, git:REF, last-pass, last-pass:REF, sibling, test:NODEID or trace:FILE';

export function parseBaseline(text: string): BaselineSpec {
  const t = text.trim();
  const colon = t.indexOf(':');
  const kind = colon < 0 ? t : t.slice(0, colon);
  const arg = colon < 0 ? '' : t.slice(colon + 1).trim();
  const need = (what: string): string => {
    if (!arg)
      throw new UserError('bad-argument', `--baseline ${kind}: give ${what} after "${kind}:".`);
    return arg;
  };
  switch (kind) {
    case 'auto':
    case 'none':
    case 'sibling':
      if (arg) break;
      return { kind };
    case 'git':
      return { kind: 'git', ref: arg || 'HEAD' };
    case 'last-pass':
      return { kind: 'last-pass', ref: arg || 'HEAD' };
    case 'test':
      return { kind: 'test', nodeId: need('a pytest node id') };
    case 'trace':
      return { kind: 'trace', file: need('a trace file') };
  }
  throw new UserError(
    'bad-argument',
    `--baseline must be one of ${BASELINE_SYNTAX} (got ${text}).`,
  );
}

/** A passing run to compare against, and how to name it. */
export interface Baseline {
  trace: Trace;
  /** A sentence: "the same test at HEAD (3f2a91c), where it passes". */
  description: string;
  labels: RunLabels;
  /** Its code must not be shown to the model (a benchmark's reference solution is the answer). */
  codeHidden?: boolean;
}

export interface BaselineContext {
  /** How the failing run was recorded. */
  rec: RecordOptions;
  failing: Trace;
  signal?: AbortSignal;
  /** Progress, one line each ("recording … at HEAD"). */
  log?: (line: string) => void;
}

export interface BaselineResult {
  baseline?: Baseline;
  /** Why the automatic choice found none, or what it skipped. */
  notes: string[];
}

function noBaseline(message: string, hint?: string): UserError {
  return new UserError('no-baseline', message, hint);
}

const A_FAILING = { a: 'the failing run', aShort: 'failing' };

function gitLabels(commit: Commit): RunLabels {
  const short = commit.label.replace(/ \(.*$/, '');
  return {
    a: 'the failing run',
    aShort: 'now',
    b: `the run at ${commit.label}`,
    bShort: `at ${short}`,
  };
}

/** The run must pass there, or there is nothing to compare against. */
function mustPass(trace: Trace, what: string): Trace {
  if (!tracePassed(trace))
    throw noBaseline(`${what} fails too: no passing run to compare against.`);
  return trace;
}

async function atCommit(ctx: BaselineContext, ref: string, search: boolean): Promise<Baseline> {
  const repo = await findRepo(ctx.rec.cwd, ctx.signal);
  const commitCtx: CommitRunContext = { repo, ...ctx };
  let commit = await resolveCommit(repo, ref, ctx.signal);
  if (search) commit = await lastPassingCommit(commitCtx, commit);
  const trace = mustPass(
    await recordAtCommit(commitCtx, commit),
    `${runName(ctx.failing)} at ${commit.label}`,
  );
  return {
    trace,
    description: `the same ${ctx.failing.program.kind === 'pytest' ? 'test' : 'program'} at ${commit.label}${commit.note ? ` (${commit.note})` : ''}, where it passes`,
    labels: gitLabels(commit),
  };
}

async function ofTest(ctx: BaselineContext, nodeId: string, why?: string): Promise<Baseline> {
  if (ctx.failing.program.kind !== 'pytest' && ctx.rec.target.kind !== 'pytest')
    throw new UserError(
      'bad-argument',
      '--baseline test:NODEID compares pytest tests: the failing run is not one.',
    );
  ctx.log?.(`recording ${nodeId}`);
  const { log: _log, ...rec } = ctx.rec;
  const trace = await recordTrace({
    ...rec,
    target: { kind: 'pytest', nodeId },
    ...interpreterFor(ctx.rec, ctx.failing),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  mustPass(trace, nodeId);
  const name = nodeId.slice(nodeId.indexOf('::') + 2) || nodeId;
  return {
    trace,
    description: `${nodeId}${why ? `, ${why}` : ''}, which passes`,
    labels: { ...A_FAILING, b: `the passing run of ${name}`, bShort: 'passing' },
  };
}

async function ofSibling(
  ctx: BaselineContext,
  scope: 'parametrizations' | 'callers',
): Promise<Baseline | undefined> {
  const sibling = await findPassingSibling(ctx, scope);
  return sibling ? ofTest(ctx, sibling.nodeId, sibling.why) : undefined;
}

async function ofFile(ctx: BaselineContext, file: string): Promise<Baseline> {
  const abs = path.resolve(ctx.rec.cwd, file);
  const trace = await readTraceFile(abs);
  const passed = tracePassed(trace);
  const name = path.basename(abs);
  return {
    trace,
    description: `the recording ${file}${passed ? ', which passed' : ' (it did not pass either)'}`,
    labels: { ...A_FAILING, b: `the run in ${name}`, bShort: name },
  };
}

/** The files the failing run executed (absolute). */
function executedFiles(t: Trace): string[] {
  return t.sources.map((s) => path.join(t.program.root, s.path));
}

/**
 * The automatic choice: HEAD when the files the failing run executed differ from it (a regression
 * of your uncommitted or staged work), else (or when it fails at HEAD too) another parametrization
 * of the failing test that passes.
 */
async function auto(ctx: BaselineContext): Promise<BaselineResult> {
  const notes: string[] = [];
  try {
    const repo = await findRepo(ctx.rec.cwd, ctx.signal);
    const head = await resolveCommit(repo, 'HEAD', ctx.signal);
    if (await changedSince(repo, head.sha, executedFiles(ctx.failing), ctx.signal)) {
      try {
        return { baseline: await atCommit(ctx, 'HEAD', false), notes };
      } catch (e) {
        if (!(e instanceof UserError) || e instanceof CancelledError) throw e;
        notes.push(e.message);
      }
    } else notes.push(`the code that ran is unchanged since ${head.label}`);
  } catch (e) {
    if (!(e instanceof UserError) || e instanceof CancelledError) throw e;
    notes.push(e.message);
  }
  // Automatically only another parametrization (one pytest run); tests calling the same function are
  // searched when asked (--baseline sibling).
  if (ctx.rec.target.kind === 'pytest' && /\[.*\]$/.test(ctx.rec.target.nodeId)) {
    try {
      const b = await ofSibling(ctx, 'parametrizations');
      if (b) return { baseline: b, notes };
      notes.push('no other parametrization of the test passes');
    } catch (e) {
      if (!(e instanceof UserError) || e instanceof CancelledError) throw e;
      notes.push(errorMessage(e));
    }
  }
  return { notes };
}

export async function obtainBaseline(
  spec: BaselineSpec,
  ctx: BaselineContext,
): Promise<BaselineResult> {
  switch (spec.kind) {
    case 'none':
      return { notes: [] };
    case 'auto':
      return auto(ctx);
    case 'git':
      return { baseline: await atCommit(ctx, spec.ref, false), notes: [] };
    case 'last-pass':
      return { baseline: await atCommit(ctx, spec.ref, true), notes: [] };
    case 'test':
      return { baseline: await ofTest(ctx, spec.nodeId), notes: [] };
    case 'trace':
      return { baseline: await ofFile(ctx, spec.file), notes: [] };
    case 'sibling': {
      const b = await ofSibling(ctx, 'callers');
      if (!b)
        throw noBaseline(
          `No passing sibling of ${runName(ctx.failing)}: no other parametrization passes and no passing test near it calls the same function.`,
          'Name one with --baseline test:NODEID.',
        );
      return { baseline: b, notes: [] };
    }
  }
}
