// A throw-away copy of the user's root folder with patched files written into it, so a candidate fix
// can be run (and traced) without ever writing to the user's tree. Only what a run can need is
// copied: version control, virtual environments, caches and node_modules are left out, and the
// copy is bounded in files and bytes so a huge folder fails fast with a clear message.
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InternalError, UserError } from '../errors';

/** Folder names never copied (at any depth). */
export const COPY_EXCLUDED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.venv', 'venv', '.tox', '.nox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', 'dist-packages', '.idea', '.vscode-test',
]);

export interface CopyLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = { maxFiles: 20_000, maxBytes: 200 * 1024 * 1024 };

export interface PatchedFile {
  /** Relative to the root, forward or platform slashes. */
  path: string;
  text: string;
}

export interface WorkspaceCopy {
  /** The copied root (absolute); same base name as the original root. */
  root: string;
  /** The original root (absolute, real path). */
  originalRoot: string;
  files: number;
  bytes: number;
  /** Maps an absolute path inside the original root into the copy (other paths are returned as is). */
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

/** True when `p` is `dir` or inside it. */
export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A virtual environment folder, whatever its name (it holds pyvenv.cfg). */
function isVenv(dir: string): boolean {
  return existsSync(path.join(dir, 'pyvenv.cfg'));
}

/**
 * Copies `rootIn` into a new temporary folder and writes `patched` over the copies.
 * Throws UserError('bad-argument') when the folder exceeds the limits.
 */
export function copyWorkspace(rootIn: string, patched: PatchedFile[] = [], limits: Partial<CopyLimits> = {}): WorkspaceCopy {
  const lim: CopyLimits = { ...DEFAULT_COPY_LIMITS, ...limits };
  const originalRoot = realpath(rootIn);
  if (!statSync(originalRoot, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError('file-not-found', `Root folder not found: ${rootIn}`);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tracefix-verify-'));
  const root = path.join(tmp, path.basename(originalRoot) || 'root');
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  let files = 0;
  let bytes = 0;
  const tooBig = (): never => {
    throw new UserError('bad-argument',
      `The folder ${originalRoot} is too large to copy for verification (over ${lim.maxFiles} files or ${Math.round(lim.maxBytes / 1024 / 1024)} MB, not counting virtual environments, .git, node_modules and caches).`,
      'Point --root at the smaller folder that holds your code and its tests.');
  };
  const walk = (from: string, to: string): void => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      if (e.isSymbolicLink()) {
        copySymlink(src, dst);
        continue;
      }
      if (e.isDirectory()) {
        if (COPY_EXCLUDED_DIRS.has(e.name) || isVenv(src)) continue;
        walk(src, dst);
      } else if (e.isFile()) {
        const size = lstatSync(src).size;
        files += 1;
        bytes += size;
        if (files > lim.maxFiles || bytes > lim.maxBytes) tooBig();
        copyFileSync(src, dst);
      }
      // sockets, FIFOs and devices are skipped: a run must not block on them.
    }
  };
  // A symlinked file is copied as a file (a run may modify it); a symlinked folder stays a link to
  // the resolved target outside the copy, unless it points into the root, where it keeps its
  // relative form so it resolves inside the copy.
  const copySymlink = (src: string, dst: string): void => {
    const target = realpath(src);
    const st = statSync(target, { throwIfNoEntry: false });
    if (!st) return; // dangling
    if (st.isFile()) {
      files += 1;
      bytes += st.size;
      if (files > lim.maxFiles || bytes > lim.maxBytes) tooBig();
      copyFileSync(target, dst);
    } else if (st.isDirectory()) {
      if (isInside(originalRoot, target)) return; // a link to an ancestor would recurse
      const link = isInside(target, originalRoot) ? path.relative(path.dirname(src), target) || '.' : target;
      symlinkSync(link, dst, 'dir');
    }
  };
  try {
    walk(originalRoot, root);
    for (const f of patched) writePatched(root, f);
  } catch (e) {
    dispose();
    if (e instanceof UserError) throw e;
    throw new InternalError(`Could not copy ${originalRoot} for verification: ${(e as Error).message}`, { cause: e });
  }
  const map = (p: string): string => {
    const abs = realpath(p);
    return isInside(abs, originalRoot) ? path.join(root, path.relative(originalRoot, abs)) : p;
  };
  return { root, originalRoot, files, bytes, map, dispose };
}

function writePatched(root: string, f: PatchedFile): void {
  const rel = f.path.split(/[\\/]/).join(path.sep);
  const dst = path.resolve(root, rel);
  if (path.isAbsolute(rel) || !isInside(dst, root) || dst === root) {
    throw new UserError('bad-argument', `A patched file is outside the root folder: ${f.path}`);
  }
  mkdirSync(path.dirname(dst), { recursive: true });
  writeFileSync(dst, f.text);
}
