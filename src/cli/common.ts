// Shared by the CLI commands: exit codes and the mapping of trace arguments to recorder options.
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
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

/** Fails before anything runs when `--out` cannot be written (missing folder, a folder given). */
export function checkOutputPath(out: string): void {
  const dir = path.dirname(path.resolve(out));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UserError('file-not-found', `--out: folder not found: ${dir}`);
  if (existsSync(out) && statSync(out).isDirectory())
    throw new UserError('bad-argument', `--out: ${out} is a folder, not a file.`);
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
