// The keyring filter, run through a small interpreter of the cBPF it is made of: the keyring calls
// are refused with EPERM on every architecture it knows (x32 and the 32-bit compat calls included),
// every other call and every other architecture are allowed.
import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  KEYRING_SYSCALLS,
  keyringFilter,
  keyringFilterBytes,
} from '../../../src/core/verify/sandboxSeccomp';

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;

/** Runs the filter on seccomp_data {nr, arch} (only the instructions it uses). */
function run(nr: number, arch: number): number {
  const prog = keyringFilter();
  let a = 0;
  for (let pc = 0; pc < prog.length;) {
    const i = prog[pc];
    if (!i) break;
    if (i.code === 0x20) {
      a = i.k === 0 ? nr : arch;
      pc += 1;
    } else if (i.code === 0x15) pc += 1 + (a === i.k >>> 0 ? i.jt : i.jf);
    else if (i.code === 0x06) return i.k;
    else throw new Error(`unexpected instruction ${i.code}`);
  }
  throw new Error('ran off the end');
}

describe('keyring seccomp filter', () => {
  it('refuses add_key, request_key and keyctl on each architecture it knows, allows the rest', () => {
    for (const a of KEYRING_SYSCALLS) {
      for (const nr of a.nrs) expect(run(nr, a.arch), `${a.name} ${nr}`).toBe(EPERM);
      for (const nr of [0, 1, 2, 56, 57, 59, 60, 101, 165, 231, 272, 435])
        if (!a.nrs.includes(nr)) expect(run(nr, a.arch), `${a.name} ${nr}`).toBe(ALLOW);
    }
    // x86-64's keyctl number under i386 is another call there (and the reverse): allowed.
    expect(run(250, 0x40000003)).toBe(ALLOW);
    expect(run(288, 0xc000003e)).toBe(ALLOW);
    // An architecture it does not know: nothing refused.
    expect(run(250, 0x80000016)).toBe(ALLOW);
  });

  it('is a struct sock_filter array: 8 bytes per instruction, in this machine’s byte order', () => {
    const b = keyringFilterBytes();
    const insns = keyringFilter();
    expect(b.length).toBe(insns.length * 8);
    const last = insns[insns.length - 1];
    const k =
      os.endianness() === 'LE' ? b.readUInt32LE(b.length - 4) : b.readUInt32BE(b.length - 4);
    expect(k).toBe(last?.k);
  });
});
