// The seccomp filter bubblewrap applies to a sandboxed program (`--seccomp FD`): the kernel keyring
// calls (add_key, request_key, keyctl) fail with EPERM, as in Flatpak. A process keeps the session
// keyring of whoever started it, and possessing a keyring grants its keys whatever the user ids —
// without this, a patch read a key the caller had put in the session keyring (a Kerberos ticket, a
// cached passphrase) from inside its own user namespace, as another id. Everything else is allowed;
// the namespaces, ids and mounts (sandboxArgs.ts) do the rest. A classic BPF program, built here for
// x86-64 (with its i386 and x32 calls), ARM64 (with 32-bit ARM) and RISC-V 64; on other machines it
// allows everything.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// <linux/filter.h>, <linux/seccomp.h>, <linux/audit.h>
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const RET_K = 0x06;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;
/** offsetof(struct seccomp_data, nr / arch). */
const NR = 0;
const ARCH = 4;
const X32_BIT = 0x40000000;

/** The keyring calls' numbers (add_key, request_key, keyctl) per audit architecture. */
export const KEYRING_SYSCALLS: ReadonlyArray<{ name: string; arch: number; nrs: number[] }> = [
  {
    name: 'x86-64',
    arch: 0xc000003e,
    nrs: [248, 249, 250, X32_BIT | 248, X32_BIT | 249, X32_BIT | 250],
  },
  { name: 'i386', arch: 0x40000003, nrs: [286, 287, 288] },
  { name: 'aarch64', arch: 0xc00000b7, nrs: [217, 218, 219] },
  { name: 'arm', arch: 0x40000028, nrs: [309, 310, 311] },
  { name: 'riscv64', arch: 0xc00000f3, nrs: [217, 218, 219] },
];

interface Insn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** The filter's instructions: per architecture, deny its keyring calls; allow the rest. */
export function keyringFilter(): Insn[] {
  const out: Insn[] = [{ code: LD_W_ABS, jt: 0, jf: 0, k: ARCH }];
  // Each architecture's block: load nr, one jeq per call (to the shared deny), allow.
  const blocks = KEYRING_SYSCALLS.map((a) => a.nrs.length + 2);
  // After the load and one jeq per architecture, "allow" for any other; then the blocks.
  let blockStart = 1 + KEYRING_SYSCALLS.length + 1;
  const starts: number[] = [];
  for (const size of blocks) {
    starts.push(blockStart);
    blockStart += size;
  }
  const deny = blockStart;
  KEYRING_SYSCALLS.forEach((a, i) => {
    const here = 1 + i; // index of this jeq
    out.push({ code: JEQ_K, jt: (starts[i] ?? 0) - here - 1, jf: 0, k: a.arch });
  });
  out.push({ code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW });
  KEYRING_SYSCALLS.forEach((a) => {
    out.push({ code: LD_W_ABS, jt: 0, jf: 0, k: NR });
    for (const nr of a.nrs) {
      const here = out.length;
      out.push({ code: JEQ_K, jt: deny - here - 1, jf: 0, k: nr });
    }
    out.push({ code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW });
  });
  out.push({ code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ERRNO | EPERM });
  for (const insn of out)
    if (insn.jt > 255 || insn.jt < 0) throw new Error('seccomp filter: jump out of range');
  return out;
}

/** The filter as the kernel reads it: struct sock_filter[], in this machine's byte order. */
export function keyringFilterBytes(): Buffer {
  const insns = keyringFilter();
  const b = Buffer.alloc(insns.length * 8);
  const le = os.endianness() === 'LE';
  insns.forEach((insn, i) => {
    const o = i * 8;
    if (le) b.writeUInt16LE(insn.code, o);
    else b.writeUInt16BE(insn.code, o);
    b.writeUInt8(insn.jt, o + 2);
    b.writeUInt8(insn.jf, o + 3);
    if (le) b.writeUInt32LE(insn.k >>> 0, o + 4);
    else b.writeUInt32BE(insn.k >>> 0, o + 4);
  });
  return b;
}

let file: string | undefined;

/** A file holding the filter (written once per process into a private folder, removed at exit). */
export function seccompFilterFile(): string {
  if (file) return file;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-seccomp-'));
  const f = path.join(dir, 'keyring.bpf');
  writeFileSync(f, keyringFilterBytes(), { mode: 0o600 });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  file = f;
  return f;
}
