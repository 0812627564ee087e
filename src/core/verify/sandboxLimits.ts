// What a sandboxed run may use: processes, memory, disk, time. Always set inside the sandbox with
// setrlimit (prlimit), after its user namespace exists, so the process count is the run's own and
// not the user's; the writable space is size-limited tmpfs (sandbox.ts). Where the cgroup tree can
// be written (root on cgroup v1 or v2, a user's delegated cgroup v2 subtree), the whole run also gets
// one cgroup with a memory and a process limit — the only bound on the run's total memory.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export interface SandboxLimits {
  /** Processes and threads at once (RLIMIT_NPROC in the sandbox's own user namespace; pids.max). */
  processes: number;
  /** Memory of the whole run in a cgroup (memory.max / memory.limit_in_bytes); without a cgroup,
   * each process gets twice this much address space (RLIMIT_AS). */
  memoryBytes: number;
  /** Bytes the run may write in its copy beyond the copy's own size; also the largest file (RLIMIT_FSIZE). */
  diskBytes: number;
  /** Size of the private /tmp; /dev/shm gets a quarter of it. */
  tmpBytes: number;
}

const MiB = 1024 * 1024;

/** The defaults (README, "The sandbox"). The wall-clock limit is the run's own timeout. */
export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  processes: 256,
  memoryBytes: 2048 * MiB,
  diskBytes: 512 * MiB,
  tmpBytes: 256 * MiB,
};

/** prlimit options for one process tree (soft = hard, so the program cannot raise them). */
export function prlimitOptions(l: SandboxLimits): string[] {
  return [
    `--nproc=${l.processes}`,
    `--as=${l.memoryBytes * 2}`,
    `--fsize=${l.diskBytes}`,
    '--core=0',
  ];
}

/** A cgroup holding one sandboxed run; its `procs` files are joined by the run's first process. */
export interface RunCgroup {
  kind: 'v1' | 'v2';
  /** cgroup.procs files to write the first process's pid to (one per v1 hierarchy). */
  procs: string[];
  /** Times the kernel killed a process of the run for memory. */
  oomKills(): number;
  /** Kills what is left in it and removes it. */
  dispose(): Promise<void>;
}

interface Mount {
  point: string;
  type: string;
  superOptions: string[];
}

function mounts(): Mount[] {
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const point = left.split(' ')[4];
    const [type, , superOpts] = right.split(' ');
    if (point && type)
      out.push({
        point: point.replace(/\\040/g, ' '),
        type,
        superOptions: (superOpts ?? '').split(','),
      });
  }
  return out;
}

/** Own cgroup paths: key '' for v2, else the v1 controller name. */
function ownCgroups(): Map<string, string> {
  const own = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return own;
  }
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    for (const c of (m[1] ?? '').split(',')) own.set(c, m[2] ?? '/');
  }
  return own;
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function counter(text: string, key: string): number {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

function removeWhenEmpty(dirs: string[]): Promise<void> {
  return new Promise((resolve) => {
    let tries = 0;
    const attempt = (): void => {
      for (const d of dirs) {
        for (const pid of read(path.join(d, 'cgroup.procs')).split('\n').filter(Boolean)) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      const left = dirs.filter((d) => {
        try {
          if (existsSync(d)) rmdirSync(d);
          return false;
        } catch {
          return true;
        }
      });
      dirs = left;
      if (left.length === 0 || ++tries > 20) resolve();
      else setTimeout(attempt, 50);
    };
    attempt();
  });
}

function v1Cgroup(name: string, l: SandboxLimits, ms: Mount[], own: Map<string, string>) {
  const dirs: string[] = [];
  try {
    for (const controller of ['memory', 'pids']) {
      const m = ms.find((x) => x.type === 'cgroup' && x.superOptions.includes(controller));
      const mine = own.get(controller);
      if (!m || mine === undefined) throw new Error(`no ${controller} hierarchy`);
      const dir = path.join(m.point, mine, name);
      mkdirSync(dir);
      dirs.push(dir);
      if (controller === 'memory') {
        writeFileSync(path.join(dir, 'memory.limit_in_bytes'), String(l.memoryBytes));
        // No swap beyond the limit either, where swap is accounted.
        const memsw = path.join(dir, 'memory.memsw.limit_in_bytes');
        if (existsSync(memsw)) writeFileSync(memsw, String(l.memoryBytes));
      } else {
        writeFileSync(path.join(dir, 'pids.max'), String(l.processes));
      }
    }
  } catch {
    for (const d of dirs.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // left for the next dispose
      }
    }
    return undefined;
  }
  const [memory = ''] = dirs;
  const cg: RunCgroup = {
    kind: 'v1',
    procs: dirs.map((d) => path.join(d, 'cgroup.procs')),
    oomKills: () => counter(read(path.join(memory, 'memory.oom_control')), 'oom_kill'),
    dispose: () => removeWhenEmpty(dirs),
  };
  return cg;
}

function v2Cgroup(name: string, l: SandboxLimits, ms: Mount[], own: Map<string, string>) {
  const m = ms.find((x) => x.type === 'cgroup2');
  const mine = own.get('');
  if (!m || mine === undefined) return undefined;
  const available = read(path.join(m.point, mine, 'cgroup.controllers')).split(/\s+/);
  if (!available.includes('memory') || !available.includes('pids')) return undefined;
  // Beside our own cgroup (a cgroup with processes cannot have limited children); under the root
  // when we are in it (the root may hold processes and children both).
  const parent = mine === '/' ? '/' : path.posix.dirname(mine);
  const dir = path.join(m.point, parent, name);
  try {
    if (mine === '/') writeFileSync(path.join(m.point, 'cgroup.subtree_control'), '+memory +pids');
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  try {
    writeFileSync(path.join(dir, 'memory.max'), String(l.memoryBytes));
    if (existsSync(path.join(dir, 'memory.swap.max')))
      writeFileSync(path.join(dir, 'memory.swap.max'), '0');
    writeFileSync(path.join(dir, 'pids.max'), String(l.processes));
  } catch {
    try {
      rmdirSync(dir);
    } catch {
      // nothing to clean
    }
    return undefined;
  }
  const cg: RunCgroup = {
    kind: 'v2',
    procs: [path.join(dir, 'cgroup.procs')],
    oomKills: () => counter(read(path.join(dir, 'memory.events')), 'oom_kill'),
    dispose: async () => {
      try {
        writeFileSync(path.join(dir, 'cgroup.kill'), '1');
      } catch {
        // kernels before 5.14: removeWhenEmpty kills one by one
      }
      await removeWhenEmpty([dir]);
    },
  };
  return cg;
}

/** A new cgroup with `limits` for one run, or undefined where none can be made (no writable tree). */
export function createRunCgroup(limits: SandboxLimits, name: string): RunCgroup | undefined {
  if (process.platform !== 'linux') return undefined;
  const ms = mounts();
  const own = ownCgroups();
  // cgroup v1 where its memory and pids hierarchies are mounted (hybrid systems), else v2.
  return v1Cgroup(name, limits, ms, own) ?? v2Cgroup(name, limits, ms, own);
}
