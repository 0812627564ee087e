// A throw-away copy of the user's folder with patched files written into it, so a candidate fix
// can be run (and traced) without ever writing to the user's tree. Only what a run can need is
// copied: version control, virtual environments, caches and node_modules are left out, and the
// copy is bounded in files and bytes so a huge folder fails fast with a clear message. It holds
// real files only, plus links that resolve inside it: a symlinked file or folder from elsewhere is
// materialised, and patched files are written by resolved path (copyWrite.ts). The walk and the
// copies are asynchronous (the editor's extension host stays responsive) and cancellable.
import { existsSync, realpathSync, rmSync } from 'node:fs';
import {
  copyFile,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  realpath as realpathAsync,
  stat,
  symlink,
} from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancelledError, InternalError, UserError } from '../errors';
import { EDITOR_STATE_DIRS, NOT_USER_CODE_DIRS } from '../excludedDirs';
import { isInside, writePatched, type PatchedFile } from './copyWrite';

export { isInside, type PatchedFile };

/** Folder names never copied (at any depth). */
export const COPY_EXCLUDED_DIRS: ReadonlySet<string> = new Set([
  ...NOT_USER_CODE_DIRS,
  ...EDITOR_STATE_DIRS,
]);

export interface CopyLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = { maxFiles: 20_000, maxBytes: 200 * 1024 * 1024 };

/** Files copied at once. */
const COPY_CONCURRENCY = 16;

export interface WorkspaceCopy {
  /** The copied folder (absolute); same base name as the original. */
  root: string;
  /** The original folder (absolute, real path). */
  originalRoot: string;
  /** Every original folder copied: originalRoot and any extra folder (e.g. a working directory
   * outside it). A sandbox hides all of them. */
  originals: string[];
  /** The temporary folder holding the copy (and the verification's own files); removed by dispose. */
  dir: string;
  files: number;
  bytes: number;
  /** Maps an absolute path inside the original folder into the copy (other paths are returned as is). */
  map(p: string): string;
  /** Removes the copy; safe to call more than once. */
  dispose(): void;
}

function realpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** A virtual environment folder, whatever its name (it holds pyvenv.cfg). */
function isVenv(dir: string): boolean {
  return existsSync(path.join(dir, 'pyvenv.cfg'));
}

type Job =
  | { kind: 'dir'; dst: string }
  | { kind: 'file'; src: string; dst: string }
  | { kind: 'link'; target: string; dst: string; type: 'file' | 'dir' };

export interface CopyOptions {
  limits?: Partial<CopyLimits>;
  signal?: AbortSignal;
  /** More folders to copy beside the root (same limits in total), e.g. a working directory outside it. */
  extraFolders?: string[];
}

/**
 * Copies `rootIn` into a new temporary folder and writes `patched` (relative to `rootIn`) over the copies.
 * Throws UserError('bad-argument') when the folders exceed the limits, CancelledError when aborted;
 * in both cases nothing is left behind.
 */
export async function copyWorkspace(
  rootIn: string,
  patched: PatchedFile[] = [],
  options: CopyOptions = {},
): Promise<WorkspaceCopy> {
  const { signal } = options;
  const lim: CopyLimits = { ...DEFAULT_COPY_LIMITS, ...options.limits };
  const originalRoot = realpath(rootIn);
  for (const folder of [rootIn, ...(options.extraFolders ?? [])]) {
    if (!(await stat(folder).catch(() => undefined))?.isDirectory()) {
      throw new UserError(
        'file-not-found',
        folder === rootIn ? `Root folder not found: ${rootIn}` : `Folder not found: ${folder}`,
      );
    }
  }
  const extras = (options.extraFolders ?? [])
    .map(realpath)
    .filter((f) => !isInside(f, originalRoot));
  // Copy the enclosing folder as the root instead (its copy holds this one).
  if (extras.some((f) => isInside(originalRoot, f)))
    throw new InternalError(`copyWorkspace: an extra folder contains the root ${originalRoot}`);
  if (signal?.aborted) throw new CancelledError();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracefix-verify-'));
  const copyName = (p: string) => {
    const base = path.basename(p) || 'root';
    return base === '.tracefix' ? '.tracefix-root' : base;
  };
  const root = path.join(dir, copyName(originalRoot));
  // Extra folders go to dir/.extra-N/<name>, so their names cannot clash with the root's copy.
  const pairs = [
    { from: originalRoot, to: root },
    ...extras.map((from, i) => ({ from, to: path.join(dir, `.extra-${i + 1}`, copyName(from)) })),
  ];
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  let files = 0;
  let bytes = 0;
  const check = (): void => {
    if (signal?.aborted) throw new CancelledError();
  };
  const count = (size: number): void => {
    files += 1;
    bytes += size;
    if (files > lim.maxFiles || bytes > lim.maxBytes) {
      throw new UserError(
        'bad-argument',
        `${pairs.length > 1 ? `The folders ${pairs.map((p) => p.from).join(' and ')} are` : `The folder ${originalRoot} is`} too large to copy for verification (over ${lim.maxFiles} files or ${Math.round(lim.maxBytes / 1024 / 1024)} MB, not counting virtual environments, .git, node_modules and caches).`,
        'Point --root at the smaller folder that holds your code and its tests.',
      );
    }
  };
  // Walk first (bounded by the limits), then create the folders in order and copy files in parallel.
  const jobs: Job[] = [];
  // Where an original real path is in the copy, when the walk copies it (undefined: not copied —
  // outside every copied folder, or under an excluded folder or a virtual environment).
  const copiedAt = (real: string, isDir: boolean): string | undefined => {
    const pair = pairs.find((p) => isInside(real, p.from));
    if (!pair) return undefined;
    let dir = pair.from;
    for (const part of path.relative(pair.from, real).split(path.sep).filter(Boolean)) {
      dir = path.join(dir, part);
      const folder = dir !== real || isDir;
      if (folder && (COPY_EXCLUDED_DIRS.has(part) || isVenv(dir))) return undefined;
    }
    return path.join(pair.to, path.relative(pair.from, real));
  };
  /** `from` is a real folder; `walking` holds the real folders being walked (a link to one recurses). */
  const walk = async (from: string, to: string, walking: ReadonlySet<string>): Promise<void> => {
    check();
    jobs.push({ kind: 'dir', dst: to });
    const inner = new Set(walking).add(from);
    const entries = await readdir(from, { withFileTypes: true });
    for (const e of entries) {
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      if (e.isSymbolicLink()) {
        await planSymlink(src, dst, inner);
      } else if (e.isDirectory()) {
        if (COPY_EXCLUDED_DIRS.has(e.name) || isVenv(src)) continue;
        await walk(src, dst, inner);
      } else if (e.isFile()) {
        count((await lstat(src)).size);
        jobs.push({ kind: 'file', src, dst });
      }
      // sockets, FIFOs and devices are skipped: a run must not block on them.
    }
  };
  // The copy holds real files and folders, and links only into itself: a link whose target is
  // copied anyway becomes a relative link to that copy (a patch to the target is seen through the
  // link, as in the user's tree); any other link is materialised — a file is copied, a folder is
  // walked like a folder of the project — so nothing written in the copy can reach the user's files.
  const planSymlink = async (src: string, dst: string, walking: ReadonlySet<string>) => {
    const target = await realpathAsync(src).catch(() => undefined);
    const st = target ? await stat(target).catch(() => undefined) : undefined;
    if (!target || !st) return; // dangling
    if (!st.isFile() && !st.isDirectory()) return;
    const there = copiedAt(target, st.isDirectory());
    if (there) {
      jobs.push({
        kind: 'link',
        target: path.relative(path.dirname(dst), there) || '.',
        dst,
        type: st.isDirectory() ? 'dir' : 'file',
      });
    } else if (st.isFile()) {
      count(st.size);
      jobs.push({ kind: 'file', src: target, dst });
    } else if (![...walking, ...pairs.map((p) => p.from)].some((w) => isInside(w, target))) {
      // (A link to a folder being walked, or holding one, would recurse: left out.)
      await walk(target, dst, walking);
    }
  };
  try {
    for (const p of pairs) await walk(p.from, p.to, new Set());
    for (const j of jobs) if (j.kind === 'dir') await mkdir(j.dst, { recursive: true });
    const rest = jobs.filter((j) => j.kind !== 'dir');
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < rest.length) {
        check();
        const j = rest[next++];
        if (j?.kind === 'file') await copyFile(j.src, j.dst);
        else if (j?.kind === 'link') await symlink(j.target, j.dst, j.type);
      }
    };
    await Promise.all(Array.from({ length: Math.min(COPY_CONCURRENCY, rest.length) }, worker));
    check();
    for (const f of patched) await writePatched(root, dir, f);
  } catch (e) {
    dispose();
    if (e instanceof UserError) throw e;
    throw new InternalError(
      `Could not copy ${originalRoot} for verification: ${(e as Error).message}`,
      { cause: e },
    );
  }
  // Most specific first: an extra folder never lies inside the root, but the root may lie inside one.
  const byDepth = [...pairs].sort((a, b) => b.from.length - a.from.length);
  const map = (p: string): string => {
    const abs = realpath(p);
    const pair = byDepth.find((x) => isInside(abs, x.from));
    return pair ? path.join(pair.to, path.relative(pair.from, abs)) : p;
  };
  return {
    root,
    originalRoot,
    originals: pairs.map((p) => p.from),
    dir,
    files,
    bytes,
    map,
    dispose,
  };
}
