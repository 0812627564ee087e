// Every process a recording started, found again at its end: a traced program may start children in
// a new session (`start_new_session=True`, a double-forking daemon) that leave the process groups
// debugpy and the adapter kill. On Linux the adapter is made a child subreaper (PR_SET_CHILD_SUBREAPER,
// kept across exec), so such orphans are re-parented to it instead of to init and stay its
// descendants; the scan of /proc walks the parent links from the adapter and adds any process whose
// environment carries the recording's marker (for a child that outlived the adapter). Found processes
// are stopped first (so none can fork while the rest are killed), the scan repeated until it finds
// nothing new, then all are killed. Elsewhere (no /proc) only the process groups are killed.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';

/** The environment variable that marks the processes of one recording. */
export const RUN_MARKER_VAR = 'TRACEFIX_RUN';

export function newRunMarker(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * The adapter's command: on Linux it makes itself a child subreaper first, then runs
 * debugpy.adapter in the same interpreter (no second start-up).
 */
export function adapterArgs(): string[] {
  if (process.platform !== 'linux') return ['-m', 'debugpy.adapter'];
  const code = [
    'import ctypes, runpy',
    'try:',
    '    ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER',
    'except Exception:',
    '    pass',
    "runpy.run_module('debugpy.adapter', run_name='__main__', alter_sys=True)",
  ].join('\n');
  return ['-c', code];
}

interface ProcInfo {
  ppid: number;
  zombie: boolean;
}

function readProcs(): Map<number, ProcInfo> {
  const out = new Map<number, ProcInfo>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'latin1');
      // `pid (comm) state ppid …`: comm may hold spaces and parentheses; the last ')' ends it.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(e), { ppid: Number(rest[1]), zombie: rest[0] === 'Z' || rest[0] === 'X' });
    } catch {
      /* ended while we looked */
    }
  }
  return out;
}

function hasMarker(pid: number, needle: Buffer, uid: number | undefined): boolean {
  try {
    // Only our own processes can carry it (and only theirs are readable).
    if (uid !== undefined && statSync(`/proc/${pid}`).uid !== uid) return false;
    return readFileSync(`/proc/${pid}/environ`).includes(needle);
  } catch {
    return false;
  }
}

/** Live processes descending from `root` or marked with `marker` (never this process or its parents). */
export function processesOf(root: number | undefined, marker: string | undefined): number[] {
  if (process.platform !== 'linux') return [];
  const procs = readProcs();
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) {
    let list = children.get(p.ppid);
    if (!list) children.set(p.ppid, (list = []));
    list.push(pid);
  }
  const own = new Set<number>([process.pid, process.ppid]);
  const found = new Set<number>();
  const stack = root !== undefined ? [root] : [];
  while (stack.length) {
    const pid = stack.pop() as number;
    for (const c of children.get(pid) ?? []) {
      if (found.has(c) || own.has(c)) continue;
      found.add(c);
      stack.push(c);
    }
  }
  if (root !== undefined && procs.has(root) && !own.has(root)) found.add(root);
  if (marker) {
    const needle = Buffer.from(`${RUN_MARKER_VAR}=${marker}\0`);
    const uid = process.getuid?.();
    for (const pid of procs.keys())
      if (!found.has(pid) && !own.has(pid) && hasMarker(pid, needle, uid)) found.add(pid);
  }
  return [...found].filter((pid) => !procs.get(pid)?.zombie);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone already */
  }
}

/**
 * Kills `root`'s descendants and the processes marked `marker` (root included when `withRoot`).
 * Returns how many were found.
 */
export function killProcessTree(
  root: number | undefined,
  marker: string | undefined,
  withRoot = true,
): number {
  const stopped = new Set<number>();
  // Stop, rescan: a process that forked between the scan and its stop has its child found next time.
  for (let round = 0; round < 8; round++) {
    const fresh = processesOf(root, marker).filter(
      (p) => !stopped.has(p) && (withRoot || p !== root),
    );
    if (!fresh.length) break;
    for (const pid of fresh) {
      signal(pid, 'SIGSTOP');
      stopped.add(pid);
    }
  }
  for (const pid of stopped) signal(pid, 'SIGKILL');
  return stopped.size;
}
