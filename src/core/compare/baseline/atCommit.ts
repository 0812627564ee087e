// The same program run at another commit: the commit is exported to a temporary folder (git.ts) and
// run there with the failing run's interpreter and debugpy, working directory and root mapped to
// the same places inside the export, the same arguments, stdin, environment and limits. The folders
// the failing run imported your code from are put first on PYTHONPATH (mapped), so an editable
// install of the project resolves to the exported commit, not to your working tree. Only your own
// code runs (the code of that commit), as when the failing test is recorded.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../../errors';
import type { Trace } from '../../trace/model';
import type { RecordOptions, RunTarget } from '../../trace/options';
import { recordTrace } from '../../trace/record';
import { runProgram } from '../../verify/runProgram';
import {
  ancestors,
  exportCommit,
  mapIntoExport,
  shortSha,
  type Commit,
  type ExportedCommit,
  type GitRepo,
} from './git';
import { interpreterFor } from './rerun';

export interface CommitRunContext {
  repo: GitRepo;
  /** How the failing run was recorded (cwd absolute). */
  rec: RecordOptions;
  failing: Trace;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Most first-parent commits searched back for one where the run passes. */
export const MAX_SEARCH_BACK = 64;

function noBaseline(message: string, hint?: string): UserError {
  return new UserError('no-baseline', message, hint);
}

/** What the run is called in messages: the test id, the script or the module. */
export function runName(t: Trace): string {
  return t.program.kind === 'module' ? `-m ${t.program.target}` : t.program.target;
}

/** The failing run's options, moved into an export of the repository. */
export function optionsInExport(ctx: CommitRunContext, exported: string): RecordOptions {
  const { repo, rec, failing } = ctx;
  const into = (p: string, what: string): string => {
    const mapped = mapIntoExport(repo, exported, p);
    if (!mapped)
      throw noBaseline(
        `The ${what} ${p} is outside the git repository at ${repo.top}, so it cannot be run at another commit.`,
      );
    return mapped;
  };
  const cwd = into(path.resolve(rec.cwd), 'working directory');
  const root = into(path.resolve(rec.cwd, rec.root ?? failing.program.root), 'project root');
  const target = mapTarget(rec.target, rec.cwd, (p) => into(p, 'file'));
  const env = { ...(rec.env ?? process.env) };
  const pythonPath = [
    ...importRoots(failing, root),
    ...splitPath(rec.programEnv?.PYTHONPATH ?? env.PYTHONPATH).map((p) =>
      path.isAbsolute(p) ? (mapIntoExport(repo, exported, p) ?? p) : p,
    ),
  ];
  const { log: _log, signal: _signal, ...base } = rec;
  return {
    ...base,
    target,
    cwd,
    root,
    ...interpreterFor(rec, failing),
    programEnv: {
      ...rec.programEnv,
      ...(pythonPath.length ? { PYTHONPATH: [...new Set(pythonPath)].join(path.delimiter) } : {}),
    },
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

function splitPath(v: string | undefined): string[] {
  return (v ?? '').split(path.delimiter).filter(Boolean);
}

function mapTarget(t: RunTarget, cwd: string, into: (p: string) => string): RunTarget {
  if (t.kind === 'module') return t;
  if (t.kind === 'script')
    return path.isAbsolute(t.path) ? { kind: 'script', path: into(t.path) } : t;
  const [file = '', ...rest] = t.nodeId.split('::');
  if (!path.isAbsolute(file)) return t;
  return { kind: 'pytest', nodeId: [into(path.resolve(cwd, file)), ...rest].join('::') };
}

/** The folders the failing run imported its recorded files from (the first folder above each
 * file's package), inside the export. */
function importRoots(failing: Trace, root: string): string[] {
  const out: string[] = [];
  for (const s of failing.sources) {
    let dir = path.dirname(path.join(root, s.path));
    while (dir.startsWith(root) && dir !== root && existsSync(path.join(dir, '__init__.py')))
      dir = path.dirname(dir);
    if (!out.includes(dir)) out.push(dir);
  }
  return out;
}

/** Records the run at `commit` (the commit must exist). UserError when it cannot run there. */
export async function recordAtCommit(ctx: CommitRunContext, commit: Commit): Promise<Trace> {
  const exported = await exportCommit(ctx.repo, commit.sha, ctx.signal);
  try {
    ctx.log?.(`recording ${runName(ctx.failing)} at ${commit.label}`);
    const opts = optionsInExport(ctx, exported.dir);
    let trace: Trace;
    try {
      trace = await recordTrace(opts);
    } catch (e) {
      throw explainAtCommit(e, ctx.failing, commit);
    }
    return trace;
  } finally {
    exported.dispose();
  }
}

/** A recorder error at another commit, said in terms of that commit. */
function explainAtCommit(e: unknown, failing: Trace, commit: Commit): unknown {
  if (!(e instanceof UserError)) return e;
  const what = runName(failing);
  if (
    e.code === 'file-not-found' ||
    (e.code === 'pytest-error' && /collected no test/.test(e.message))
  )
    return noBaseline(
      `${what} does not exist at ${commit.label}: no passing run to compare against.`,
    );
  if (e.code === 'syntax-error' || e.code === 'pytest-error')
    return noBaseline(`${what} cannot run at ${commit.label}: ${e.message}`);
  return e;
}

type RunStatus = 'pass' | 'fail' | 'missing';

/** Runs the program plainly (no recorder) in an export of `sha`: does it pass there? */
async function statusAt(ctx: CommitRunContext, sha: string): Promise<RunStatus> {
  let exported: ExportedCommit | undefined;
  try {
    exported = await exportCommit(ctx.repo, sha, ctx.signal);
    const o = optionsInExport(ctx, exported.dir);
    const argv =
      o.target.kind === 'pytest'
        ? ['-m', 'pytest', o.target.nodeId, '-q', '-p', 'no:cacheprovider', ...(o.args ?? [])]
        : o.target.kind === 'module'
          ? ['-m', o.target.module, ...(o.args ?? [])]
          : [o.target.path, ...(o.args ?? [])];
    if (o.target.kind === 'script' && !existsSync(path.resolve(o.cwd, o.target.path)))
      return 'missing';
    if (o.target.kind === 'pytest') {
      const file = path.resolve(o.cwd, o.target.nodeId.split('::')[0] ?? '');
      if (!existsSync(file)) return 'missing';
    }
    const run = await runProgram({
      python: o.python ?? interpreterFor(ctx.rec, ctx.failing).python,
      argv,
      cwd: o.cwd,
      env: {
        ...(o.env ?? process.env),
        ...o.programEnv,
        PYTHONHASHSEED: '0',
        PYTHONDONTWRITEBYTECODE: '1',
      },
      timeoutMs: ctx.failing.limits.timeoutMs * 3,
      ...(o.stdin !== undefined ? { stdin: o.stdin } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      maxOutputChars: 4000,
    });
    // pytest: 4 is "usage error" (the id is not found), 5 "no tests collected".
    if (o.target.kind === 'pytest' && (run.exitCode === 4 || run.exitCode === 5)) return 'missing';
    return run.exitCode === 0 ? 'pass' : 'fail';
  } finally {
    exported?.dispose();
  }
}

/**
 * The newest first-parent ancestor of `from` (itself included) where the run passes, found by
 * running it: `from`, then 1, 2, 4, … commits back until it passes, then a bisection between the
 * last failing and the first passing commit. UserError when it fails everywhere it was tried.
 */
export async function lastPassingCommit(ctx: CommitRunContext, from: Commit): Promise<Commit> {
  const what = runName(ctx.failing);
  const label = (sha: string, back: number): Commit => ({
    sha,
    label: shortSha(sha),
    note: `the last commit where it passed, ${back} before ${from.label}`,
  });
  ctx.log?.(`running ${what} at ${from.label}`);
  const first = await statusAt(ctx, from.sha);
  if (first === 'pass') return from;
  const history = await ancestors(ctx.repo, from.sha, MAX_SEARCH_BACK, ctx.signal);
  const status = async (k: number): Promise<RunStatus> => {
    ctx.log?.(`running ${what} ${k + 1} commit${k === 0 ? '' : 's'} before ${from.label}`);
    return statusAt(ctx, history[k] as string);
  };
  // Newest commits fail; further back it passes, and further still the test may not exist yet.
  let failing = -1;
  let passing = -1;
  let missing = history.length;
  // 1, 2, 4, … commits back, and the oldest one searched.
  const probes: number[] = [];
  for (let back = 1; back < history.length; back *= 2) probes.push(back - 1);
  if (history.length) probes.push(history.length - 1);
  for (const k of probes) {
    const s = await status(k);
    if (s === 'pass') passing = k;
    else if (s === 'missing') missing = k;
    else failing = k;
    if (s !== 'fail') break;
  }
  // Between the last failing commit and the first that passes (or lacks the run): bisect.
  let hi = passing >= 0 ? passing : missing;
  while (hi - failing > 1) {
    const mid = (hi + failing) >> 1;
    const s = await status(mid);
    if (s === 'fail') failing = mid;
    else {
      hi = mid;
      if (s === 'pass') passing = mid;
      else missing = mid;
    }
  }
  if (passing < 0 || passing !== hi) {
    if (missing < history.length)
      throw noBaseline(
        `${what} fails at ${from.label} and at every commit before it back to ${shortSha(history[missing] as string)}, where it does not exist yet: no passing run to compare against.`,
      );
    const oldest = history[history.length - 1];
    const shallow = ctx.repo.shallow && history.length < MAX_SEARCH_BACK;
    const tried = oldest
      ? ` and at every commit tried back to ${shortSha(oldest)}${history.length >= MAX_SEARCH_BACK ? ` (${MAX_SEARCH_BACK} commits)` : ''}`
      : ', the oldest commit there is';
    throw noBaseline(
      `${what} fails at ${from.label}${tried}: no passing run to compare against.`,
      shallow
        ? 'This is a shallow clone: git fetch --unshallow gives older commits to try.'
        : undefined,
    );
  }
  return label(history[passing] as string, passing + 1);
}
