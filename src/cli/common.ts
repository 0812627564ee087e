// Shared by the CLI commands: exit codes and the mapping of trace arguments to recorder options.
import { createWriteStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../core/errors';
import { recordOptionsFor, type RecordOptions } from '../core/trace/options';
import type { CommonTraceArgs } from './args';

/** Exit codes: 0 ok; 1 the command ran but found no verified fix; 2 user error; 3 internal error. */
export const EXIT = { ok: 0, notFixed: 1, userError: 2, internal: 3 } as const;

export function recordOptions(a: CommonTraceArgs, signal?: AbortSignal): RecordOptions {
  return recordOptionsFor(
    {
      target: a.target,
      args: a.programArgs,
      cwd: a.cwd,
      root: a.root,
      stdin: a.stdinFile !== undefined ? readFileSync(a.stdinFile, 'utf8') : undefined,
    },
    {
      python: a.python,
      debugpyPath: a.debugpyPath,
      engine: a.engine,
      recordImports: a.recordImports,
      limits: { maxSteps: a.maxSteps, timeoutMs: a.timeoutMs, reprLength: a.reprLength },
    },
    {
      log: a.verbose
        ? (dir, text) => process.stderr.write(`[dap ${dir}] ${text.slice(0, 2000)}\n`)
        : undefined,
      signal,
    },
  );
}

/** The files a trace command names: the script or test file, and the --stdin file. */
export function targetFiles(a: CommonTraceArgs): string[] {
  const t = a.target;
  const file = t.kind === 'script' ? t.path : t.kind === 'pytest' ? t.nodeId.split('::')[0] : '';
  return [file ? path.resolve(a.cwd, file) : '', a.stdinFile ?? ''].filter(Boolean);
}

/** Files `--out` never replaces: Python sources, notebooks, and stubs (a trace written over the
 * script it traced destroys the user's code). */
const SOURCE_FILE = /\.(?:py|pyw|pyi|pyx|pxd|ipynb)$/i;

/**
 * Fails before anything runs when `--out` cannot be written (missing folder, a folder given) or
 * would replace a source file (by its resolved path: a link to a `.py` counts); `protect` adds files
 * known to be the program's own (its sources once recorded, the target, the stdin file).
 */
export function checkOutputPath(out: string, protect: Iterable<string> = []): void {
  const abs = path.resolve(out);
  const dir = path.dirname(abs);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError('file-not-found', `--out: folder not found: ${dir}`);
  if (!existsSync(abs)) return;
  if (statSync(abs).isDirectory())
    throw new UserError('bad-argument', `--out: ${out} is a folder, not a file.`);
  const real = realpathSync(abs);
  const isProtected = [...protect].some((p) => realpathOr(path.resolve(p)) === real);
  if (isProtected || SOURCE_FILE.test(real) || SOURCE_FILE.test(abs))
    throw new UserError(
      'bad-argument',
      `--out: ${out} is a source file; Tracefix does not write a trace over it.`,
      'Give a new file name, e.g. --out trace.json.',
    );
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Writes text chunks to a file or stdout, waiting for the stream to drain (a 100 MB trace never
 * piles up in memory). */
export async function writeChunks(chunks: Iterable<string>, out?: string): Promise<void> {
  const stream: NodeJS.WritableStream = out ? createWriteStream(out) : process.stdout;
  const failed = new Promise<never>((_r, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  for (const chunk of chunks) {
    if (!stream.write(chunk))
      await Promise.race([new Promise((r) => stream.once('drain', r)), failed]);
  }
  if (out) await Promise.race([new Promise<void>((r) => stream.end(r)), failed]);
}
