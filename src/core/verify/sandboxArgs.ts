// The command line of a sandboxed run (bubblewrap, util-linux, coreutils; checked on Debian 12's
// bwrap 0.8.0). What the program sees:
// - the filesystem read-only; the user's project, every home (/home, /root, $HOME), /run (and so
//   /var/run), /var/tmp, the mail spool, /mnt, /media and every top-level folder that is not the
//   system's (/srv, /work, /data…) hidden behind empty read-only folders, with the interpreter, its
//   libraries and debugpy bound back read-only where they lie under one;
// - writable only: its copy (a size-limited tmpfs at the copy's path, filled from the copy at start),
//   a private size-limited /tmp and /dev/shm; /dev otherwise read-only;
// - new pid, network (so no host socket, abstract ones included, and no network), ipc, uts and
//   cgroup namespaces, and a new session (no TIOCSTI into the user's terminal);
// - a user namespace of its own as an unprivileged id with no capabilities and no way to create
//   further user namespaces; a root caller's program first drops to SANDBOX_ID (setpriv);
// - the process, memory and file-size limits (prlimit) set inside that namespace;
// - no kernel keyring: a seccomp filter refuses add_key/request_key/keyctl (sandboxSeccomp.ts), so
//   the session keyring inherited from the caller is out of reach.
import { lstatSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { InternalError } from '../errors';
import { DEFAULT_SANDBOX_LIMITS, prlimitOptions, type SandboxLimits } from './sandboxLimits';

export type SandboxMode = 'user' | 'root' | 'root-no-userns';

/** Absolute paths of the programs a sandboxed run uses. */
export interface SandboxTools {
  bwrap: string;
  sh: string;
  cp: string;
  prlimit: string;
  /** Only for root. */
  setpriv?: string;
}

export type AvailableSandbox = {
  available: true;
  kind: 'bwrap';
  command: string;
  mode: SandboxMode;
  tools: SandboxTools;
};
export type SandboxStatus = AvailableSandbox | { available: false; reason: string };

/** The host user and group id a root caller's sandboxed program runs as: no account uses it, so it
 * owns nothing on the host and no other process runs as it. Inside, it is 65534 (nobody). */
export const SANDBOX_ID = 0x70000000;
/** The id the program has inside its user namespace. */
const INSIDE_ID = '65534';

/** Folders every sandbox hides (those that exist), besides the project and the caller's home. */
export const HIDDEN_DIRS: readonly string[] = [
  '/home',
  '/root',
  '/run',
  '/var/run',
  '/var/tmp',
  '/var/mail',
  '/var/spool/mail',
  '/mnt',
  '/media',
];

/** The top-level folders of the system, left visible (read-only). Any other folder at the top —
 * /srv, /work, /data, a second disk — holds someone's files, not the system's: hidden like a home
 * (an interpreter inside one is bound back, as in a home). */
export const SYSTEM_TOP_DIRS: ReadonlySet<string> = new Set([
  'bin',
  'sbin',
  'lib',
  'lib32',
  'lib64',
  'libx32',
  'usr',
  'etc',
  'opt',
  'var',
  'boot',
  'dev',
  'proc',
  'sys',
  'tmp',
  'run',
  'nix',
  'gnu',
  'snap',
]);

/** Where the copy is seen read-only inside, to fill its writable tmpfs from. */
export const STAGE_DIR = '/tmp/.tracefix-copy';

export interface SandboxSpec {
  /** Hidden behind empty read-only folders: the user's project folders and HIDDEN_DIRS/$HOME. */
  masked: string[];
  /** The copy's temporary folder: bound read-only at STAGE_DIR and copied at start into a tmpfs
   * at its own path of copyBytes + limits.diskBytes. None for the probe. */
  copyDir?: string;
  copyBytes?: number;
  copyFiles?: number;
  /** Bound back read-only when hidden (under a masked folder or /tmp): interpreter, libraries, debugpy. */
  readOnly: string[];
  /** Working directory of the program (inside the copy). */
  cwd: string;
  limits: SandboxLimits;
  /** Commands run instead of others inside (an interpreter's pyenv shim → its real executable). */
  commands?: Readonly<Record<string, string>>;
  /** cgroup.procs files the run's first process joins (createRunCgroup). */
  cgroupProcs?: string[];
  /** A file holding the seccomp filter (sandboxSeccomp.ts), handed to bwrap on SECCOMP_FD. */
  seccomp?: string;
}

/** Extra folders one spawn needs (the recorder's channel folder): bound read-only, their sockets
 * connectable. (`readWrite` is the name the DAP layer uses for "must be usable".) */
export interface ExtraBinds {
  readWrite?: string[];
  readOnly?: string[];
}

export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function unique(paths: string[]): string[] {
  return [...new Set(paths.filter(Boolean).map((p) => path.resolve(p)))];
}

function topLevelNames(): string[] {
  try {
    return readdirSync('/');
  } catch {
    return [];
  }
}

/** HIDDEN_DIRS, `home` and the top-level folders that are not the system's (`top`: the names in
 * /), those that exist as real folders here. */
export function hiddenDirs(home: string | undefined, top: string[] = topLevelNames()): string[] {
  const others = top.filter((n) => !SYSTEM_TOP_DIRS.has(n)).map((n) => `/${n}`);
  return unique([...HIDDEN_DIRS, ...others, home ?? '']).filter((d) => {
    try {
      const st = lstatSync(d);
      return st.isDirectory() && !st.isSymbolicLink() && d !== '/';
    } catch {
      return false;
    }
  });
}

/** The copy's tmpfs: its bytes, a page per file and folder (tmpfs rounds up), the disk limit. */
function copyTmpfsBytes(spec: SandboxSpec): number {
  const bytes = (spec.copyBytes ?? 0) + (spec.copyFiles ?? 0) * 2 * 4096 + spec.limits.diskBytes;
  return Math.ceil(bytes / 4096) * 4096 + (4 << 20);
}

/**
 * bubblewrap's mount options for `spec` (the first bwrap of the chain). Order matters: read-only
 * binds only the private /tmp hides, then the masks (shallowest first), the read-only binds inside
 * them (their missing parents made traversable), the extras, the copy; then masks and /dev turn
 * read-only. The copy may never contain a masked folder (it would expose it): InternalError.
 */
export function mountArgs(spec: SandboxSpec, extra: ExtraBinds = {}): string[] {
  const masked = unique(spec.masked).sort((a, b) => a.length - b.length);
  const extras = unique([...(extra.readWrite ?? []), ...(extra.readOnly ?? [])]);
  const copyDir = spec.copyDir ? path.resolve(spec.copyDir) : undefined;
  const readOnly = unique(spec.readOnly).filter((p) => !copyDir || !isInside(p, copyDir));
  for (const w of [...(copyDir ? [copyDir] : []), ...extras]) {
    const exposed = masked.find((m) => isInside(m, w));
    if (exposed)
      throw new InternalError(
        `Sandbox: the bound folder ${w} contains the hidden folder ${exposed}`,
      );
  }
  const l = spec.limits;
  const args = [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    ...['--perms', '1777', '--size', String(l.tmpBytes), '--tmpfs', '/tmp'],
    ...['--perms', '1777', '--size', String(Math.max(l.tmpBytes >> 2, 1 << 20))],
    ...['--tmpfs', '/dev/shm'],
  ];
  const tmpfsRoots = ['/tmp', ...masked];
  const made = new Set<string>();
  // Parents bwrap would create for a mount point inside a tmpfs of ours, made traversable by all
  // (bwrap makes them 0700 as root, which a root caller's unprivileged program could not enter).
  const parents = (dest: string): void => {
    const under = tmpfsRoots.filter((r) => isInside(dest, r) && r !== dest);
    const base = under.sort((a, b) => b.length - a.length)[0];
    if (!base) return;
    const chain: string[] = [];
    for (let d = path.dirname(dest); d !== base && isInside(d, base); d = path.dirname(d))
      chain.unshift(d);
    for (const d of chain) {
      if (made.has(d)) continue;
      made.add(d);
      args.push('--perms', '0755', '--dir', d);
    }
  };
  const insideMask = (p: string) => masked.some((m) => isInside(p, m));
  // Hidden by the private /tmp only: bound before the masks, so a mask inside one still covers.
  for (const p of readOnly)
    if (!insideMask(p) && isInside(p, '/tmp')) {
      parents(p);
      args.push('--ro-bind-try', p, p);
    }
  for (const m of masked) {
    parents(m);
    args.push('--tmpfs', m);
  }
  for (const p of readOnly)
    if (insideMask(p)) {
      parents(p);
      args.push('--ro-bind-try', p, p);
    }
  for (const p of extras) {
    parents(p);
    args.push('--ro-bind', p, p);
  }
  if (copyDir) {
    args.push('--ro-bind', copyDir, STAGE_DIR);
    parents(copyDir);
    args.push('--perms', '1777', '--size', String(copyTmpfsBytes(spec)), '--tmpfs', copyDir);
  }
  // Writing into a hidden folder fails (EROFS) instead of landing silently in a throw-away tmpfs.
  for (const m of masked) args.push('--remount-ro', m);
  args.push('--remount-ro', '/dev', '--chdir', '/');
  return args;
}

/** Fills the copy, enters the working directory, sets the limits, runs the program. */
const INIT = [
  'set -e',
  'cp=$1 prl=$2 stage=$3 dst=$4 cwd=$5',
  'shift 5',
  // Entry by entry: the tmpfs's own folder keeps its owner and times (a root caller's is not ours).
  'if [ -n "$dst" ]; then for f in "$stage"/* "$stage"/.[!.]* "$stage"/..?*; do',
  '  if [ -e "$f" ] || [ -L "$f" ]; then "$cp" -a -- "$f" "$dst/" || { echo "tracefix: the copy does not fit the sandbox" >&2; exit 125; }; fi',
  'done; fi',
  'cd -- "$cwd"',
  'exec "$prl" LIMITS -- "$@"',
].join('\n');

/** The descriptor the seccomp filter reaches bwrap on (opened by SECCOMP_OPEN; bwrap closes it). */
const SECCOMP_FD = '9';
const SECCOMP_OPEN = `exec ${SECCOMP_FD}<"$1" || exit 125; shift; exec "$@"`;

/** cgroup.procs files joined by the first process, before anything else starts. */
const JOIN =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"';

/** The whole command line that runs `command args` sandboxed per `spec`. */
export function sandboxCommand(
  status: AvailableSandbox,
  spec: SandboxSpec,
  command: string,
  args: string[],
  extra: ExtraBinds = {},
): { command: string; args: string[] } {
  const t = status.tools;
  const init = [
    t.sh,
    '-c',
    INIT.replace('LIMITS', prlimitOptions(spec.limits).join(' ')),
    'sh',
    t.cp,
    t.prlimit,
    spec.copyDir ? STAGE_DIR : '',
    spec.copyDir ? path.resolve(spec.copyDir) : '',
    spec.cwd,
    spec.commands?.[command] ?? command,
    ...args,
  ];
  const session = [
    '--die-with-parent',
    '--new-session',
    ...(spec.seccomp ? ['--seccomp', SECCOMP_FD] : []),
  ];
  const namespaces = ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts'];
  const ownUserns = [
    '--unshare-user',
    '--disable-userns',
    '--uid',
    INSIDE_ID,
    '--gid',
    INSIDE_ID,
    '--cap-drop',
    'ALL',
  ];
  let chain: string[];
  if (status.mode === 'user') {
    chain = [
      t.bwrap,
      ...session,
      ...namespaces,
      '--unshare-cgroup-try',
      ...ownUserns,
      ...mountArgs(spec, extra),
      '--',
      ...init,
    ];
  } else {
    const drop = [
      t.setpriv ?? 'setpriv',
      `--reuid=${SANDBOX_ID}`,
      `--regid=${SANDBOX_ID}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
      '--',
    ];
    const inner =
      status.mode === 'root'
        ? [t.bwrap, '--die-with-parent', ...ownUserns, '--dev-bind', '/', '/', '--']
        : [];
    chain = [
      t.bwrap,
      ...session,
      ...namespaces,
      '--unshare-cgroup-try',
      ...mountArgs(spec, extra),
      '--',
      ...drop,
      ...inner,
      ...init,
    ];
  }
  if (spec.seccomp) chain = [t.sh, '-c', SECCOMP_OPEN, 'sh', spec.seccomp, ...chain];
  const procs = spec.cgroupProcs ?? [];
  if (procs.length) chain = [t.sh, '-c', JOIN, 'sh', String(procs.length), ...procs, ...chain];
  const [head = t.bwrap, ...rest] = chain;
  return { command: head, args: rest };
}

/** The probe's command: the same chain with nothing to hide or copy, running `true`. */
export function probeCommand(
  status: AvailableSandbox,
  seccomp?: string,
): { command: string; args: string[] } {
  return sandboxCommand(
    status,
    {
      masked: hiddenDirs(undefined),
      readOnly: [],
      cwd: '/',
      limits: DEFAULT_SANDBOX_LIMITS,
      seccomp,
    },
    'true',
    [],
  );
}
