// Test helpers: the interpreter the tests use and a scan for leftover processes.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const PROGRAMS = path.resolve(__dirname, '../fixtures/programs');

/** Pids of live processes whose command line mentions `needle` (zombies excluded), optionally only
 * the children of `parentPid` (other test workers run their own adapters at the same time). */
export function processesMentioning(needle: string, parentPid?: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (
        cmd.includes(needle) &&
        state !== 'Z' &&
        (parentPid === undefined || Number(ppid) === parentPid)
      )
        out.push(Number(entry));
    } catch {
      /* the process ended while we looked */
    }
  }
  return out;
}
