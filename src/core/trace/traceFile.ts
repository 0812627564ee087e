// Reading a saved trace file: a regular file only (a FIFO made load_trace wait forever, a device
// never ends), of bounded size, checked as it is opened (no stat-then-open race), then parsed and
// validated (json.ts, traceChecks.ts).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserError, errorMessage } from '../errors';
import { parseTrace } from './json';
import type { Trace } from './model';

/** Larger trace files are not read (a trace is ~100 bytes per event; 20,000 events by default). */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024;

/** The text of a regular file of at most `maxBytes`; UserError for anything else. */
export async function readRegularFile(
  file: string,
  maxBytes: number,
  what = 'trace file',
): Promise<string> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? 'file-not-found' : 'bad-argument',
      `Cannot read the ${what} ${file}: ${code === 'ENOENT' ? 'no such file' : errorMessage(e)}`,
    );
  }
  try {
    const st = await handle.stat();
    if (!st.isFile())
      throw new UserError(
        'bad-argument',
        `${file} is not a regular file (${st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe' : 'a device or socket'}); a ${what} is read from a file.`,
      );
    if (st.size > maxBytes)
      throw new UserError(
        'bad-argument',
        `${file} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; record a shorter trace.`,
      );
    // Read at most maxBytes + 1: a file that grows while it is read is refused too.
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got === buf.length) {
        if (got > maxBytes)
          throw new UserError(
            'bad-argument',
            `${file} grew past ${Math.round(maxBytes / 1024 / 1024)} MB while it was read.`,
          );
        break;
      }
    }
    return buf.toString('utf8', 0, got);
  } finally {
    await handle.close();
  }
}

/** A saved trace, read and validated. */
export async function readTraceFile(file: string, origin = file): Promise<Trace> {
  return parseTrace(await readRegularFile(file, MAX_TRACE_FILE_BYTES), origin);
}
