// The code of another commit, without harm to the user's repository: a commit is exported into a
// temporary folder through a temporary index file (`GIT_INDEX_FILE=… git read-tree`, then
// `checkout-index` into the folder), so the user's working tree, index, stash and worktree list are
// never written — uncommitted and staged changes stay as they are. Every git call runs with
// GIT_OPTIONAL_LOCKS=0 (a `git diff` would otherwise refresh the index's stat data) and without a
// shell. The folder is removed afterwards.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancelledError, UserError } from '../../errors';

export interface GitRepo {
  /** The working tree's top folder (real path). */
  top: string;
  shallow: boolean;
}

export interface Commit {
  sha: string;
  /** `HEAD (3f2a91c)`, `v1.2 (3f2a91c)`, `3f2a91c`. */
  label: string;
  /** More about how it was chosen: "the last commit where it passed, 4 before HEAD (f00a867)". */
  note?: string;
}

/** Most output of one git command kept (a ref list, a status). */
const MAX_BUFFER = 16 * 1024 * 1024;
const GIT_TIMEOUT_MS = 120_000;

function noBaseline(message: string, hint?: string): UserError {
  return new UserError('no-baseline', message, hint);
}

/** Runs git without a shell; resolves stdout. ENOENT (no git installed) is a UserError. */
export function git(
  args: string[],
  cwd: string,
  opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<string> {
  if (opts.signal?.aborted) return Promise.reject(new CancelledError());
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: { ...process.env, ...opts.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
        maxBuffer: MAX_BUFFER,
        timeout: GIT_TIMEOUT_MS,
        signal: opts.signal,
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { code?: string | number };
        if (opts.signal?.aborted) return reject(new CancelledError());
        if (e.code === 'ENOENT')
          return reject(noBaseline('git is not installed, so no other commit can be run.'));
        reject(new GitError(args, stderr.trim() || e.message));
      },
    );
  });
}

export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: string[],
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')}: ${stderr.split('\n')[0] ?? ''}`);
  }
}

/** The repository `dir` is in: UserError when git is missing or `dir` is not in a repository. */
export async function findRepo(dir: string, signal?: AbortSignal): Promise<GitRepo> {
  let out: string;
  try {
    out = await git(['rev-parse', '--show-toplevel', '--is-shallow-repository'], dir, { signal });
  } catch (e) {
    if (e instanceof GitError)
      throw noBaseline(`${dir} is not in a git repository, so there is no earlier commit to run.`);
    throw e;
  }
  const [top = '', shallow = 'false'] = out.trim().split('\n');
  return { top: realpathSync(top), shallow: shallow.trim() === 'true' };
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The commit `ref` names; UserError when there is none (a shallow clone is named as the likely cause). */
export async function resolveCommit(
  repo: GitRepo,
  ref: string,
  signal?: AbortSignal,
): Promise<Commit> {
  if (!ref || ref.startsWith('-') || /[\0\n]/.test(ref))
    throw noBaseline(`"${ref}" is not a git revision.`);
  let sha: string;
  try {
    sha = (
      await git(
        ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
        repo.top,
        {
          signal,
        },
      )
    ).trim();
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    sha = '';
  }
  if (!/^[0-9a-f]{40,64}$/.test(sha)) {
    if (repo.shallow)
      throw noBaseline(
        `No commit ${ref} in this shallow clone of ${repo.top}.`,
        'Fetch the history first: git fetch --unshallow.',
      );
    throw noBaseline(`No commit ${ref} in the git repository at ${repo.top}.`);
  }
  return { sha, label: `${ref} (${shortSha(sha)})` };
}

/** The first-parent ancestors of `sha`, newest first, `count` at most (not `sha` itself). */
export async function ancestors(
  repo: GitRepo,
  sha: string,
  count: number,
  signal?: AbortSignal,
): Promise<string[]> {
  const out = await git(['rev-list', '--first-parent', `--max-count=${count + 1}`, sha], repo.top, {
    signal,
  });
  return out.trim().split('\n').filter(Boolean).slice(1);
}

/**
 * Whether any of `files` (absolute, inside the repository) differs between commit `sha` and the
 * working tree — staged or not.
 */
export async function changedSince(
  repo: GitRepo,
  sha: string,
  files: string[],
  signal?: AbortSignal,
): Promise<boolean> {
  const rel = files
    .map((f) => path.relative(repo.top, f))
    .filter((r) => r && !r.startsWith('..') && !path.isAbsolute(r));
  if (!rel.length) return false;
  try {
    await git(['diff', '--quiet', sha, '--', ...rel.map((r) => `:(literal)${r}`)], repo.top, {
      signal,
    });
    return false;
  } catch (e) {
    if (e instanceof GitError) return true;
    throw e;
  }
}

export interface ExportedCommit {
  /** The folder holding the commit's files (the repository's top folder, mapped). */
  dir: string;
  dispose(): void;
}

/** Writes commit `sha`'s files into a new temporary folder (submodules are not included). */
export async function exportCommit(
  repo: GitRepo,
  sha: string,
  signal?: AbortSignal,
): Promise<ExportedCommit> {
  const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'tfx-base-')));
  const dir = path.join(tmp, path.basename(repo.top) || 'repo');
  const dispose = (): void => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  try {
    // A temporary index of our own: the user's .git/index is never read for writing.
    const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
    mkdirSync(dir);
    await git(['read-tree', sha], repo.top, { env, signal });
    await git([`--work-tree=${dir}`, 'checkout-index', '--all', '--force'], repo.top, {
      env,
      signal,
    });
    rmSync(env.GIT_INDEX_FILE, { force: true });
    return { dir, dispose };
  } catch (e) {
    dispose();
    if (e instanceof GitError)
      throw noBaseline(
        `Could not export commit ${shortSha(sha)}: ${e.stderr.split('\n')[0] ?? ''}`,
      );
    throw e;
  }
}

/** `p` (absolute) inside the repository, as the same path inside an export of it. */
export function mapIntoExport(repo: GitRepo, exported: string, p: string): string | undefined {
  const rel = path.relative(repo.top, realpathOr(p));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return path.join(exported, rel);
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
