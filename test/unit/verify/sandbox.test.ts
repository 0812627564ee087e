import { afterEach, describe, expect, it } from 'vitest';
import { InternalError } from '../../../src/core/errors';
import {
  bwrapArgs,
  probeSandbox,
  resetSandboxProbe,
  sandboxWrapper,
} from '../../../src/core/verify/sandbox';

afterEach(() => resetSandboxProbe());

/** Index of the option `flag` with the given operands, -1 when absent. */
function at(args: string[], flag: string, ...operands: string[]): number {
  return args.findIndex((a, i) => a === flag && operands.every((o, k) => args[i + 1 + k] === o));
}

describe('bwrapArgs', () => {
  const spec = {
    masked: ['/home/u/proj'],
    readWrite: ['/tmp/tracefix-verify-1'],
    readOnly: ['/home/u/proj/.venv', '/usr', '/tmp/py'],
    cwd: '/tmp/tracefix-verify-1/proj',
  };

  it('read-only root, private /tmp and /dev and /proc, every namespace unshared (network too), a new session', () => {
    const args = bwrapArgs(spec);
    for (const f of ['--unshare-all', '--new-session', '--die-with-parent'])
      expect(args).toContain(f);
    expect(at(args, '--ro-bind', '/', '/')).toBeGreaterThanOrEqual(0);
    expect(at(args, '--tmpfs', '/tmp')).toBeGreaterThan(at(args, '--ro-bind', '/', '/'));
    expect(at(args, '--setenv', 'TMPDIR', '/tmp')).toBeGreaterThanOrEqual(0);
    expect(args.slice(-2)).toEqual(['--chdir', spec.cwd]);
  });

  it('hides the project, then re-binds what is needed inside it read-only, then binds the copy writable, then makes the mask read-only', () => {
    const args = bwrapArgs(spec);
    const mask = at(args, '--tmpfs', '/home/u/proj');
    const venv = at(args, '--ro-bind-try', '/home/u/proj/.venv', '/home/u/proj/.venv');
    const copy = at(args, '--bind', '/tmp/tracefix-verify-1', '/tmp/tracefix-verify-1');
    const ro = at(args, '--remount-ro', '/home/u/proj');
    expect(mask).toBeGreaterThan(0);
    expect(venv).toBeGreaterThan(mask);
    expect(copy).toBeGreaterThan(venv);
    expect(ro).toBeGreaterThan(copy);
    // Visible anyway through the read-only root: not bound again.
    expect(at(args, '--ro-bind-try', '/usr', '/usr')).toBe(-1);
    // Hidden by the private /tmp: bound before the masks.
    expect(at(args, '--ro-bind-try', '/tmp/py', '/tmp/py')).toBeLessThan(mask);
  });

  it('takes extra binds per call (a recorder socket folder)', () => {
    const args = bwrapArgs(spec, { readWrite: ['/tmp/tfx-sock-1'] });
    expect(at(args, '--bind', '/tmp/tfx-sock-1', '/tmp/tfx-sock-1')).toBeGreaterThan(0);
  });

  it('never binds writable a folder that holds a hidden one', () => {
    expect(() => bwrapArgs({ ...spec, readWrite: ['/home/u'] })).toThrow(InternalError);
    expect(() => bwrapArgs(spec, { readWrite: ['/home/u/proj'] })).toThrow(InternalError);
  });

  it('a read-only path that holds the hidden project under /tmp is bound before the mask, so the mask still covers it', () => {
    const args = bwrapArgs({
      masked: ['/tmp/work/proj'],
      readWrite: ['/tmp/tracefix-verify-2'],
      readOnly: ['/tmp/work'],
      cwd: '/tmp/tracefix-verify-2',
    });
    expect(at(args, '--ro-bind-try', '/tmp/work', '/tmp/work')).toBeLessThan(
      at(args, '--tmpfs', '/tmp/work/proj'),
    );
  });

  it('sandboxWrapper puts bwrap and its arguments before the wrapped command', () => {
    const wrap = sandboxWrapper({ available: true, kind: 'bwrap', command: 'bwrap' }, spec);
    const w = wrap('/usr/bin/python3', ['-m', 'debugpy.adapter'], { readWrite: ['/tmp/s'] });
    expect(w.command).toBe('bwrap');
    expect(w.args.slice(-3)).toEqual(['/usr/bin/python3', '-m', 'debugpy.adapter']);
    expect(at(w.args, '--bind', '/tmp/s', '/tmp/s')).toBeGreaterThan(0);
  });
});

describe('probeSandbox', () => {
  it(`TRACEFIX_SANDBOX=off reports no sandbox with the reason`, async () => {
    const s = await probeSandbox({ TRACEFIX_SANDBOX: 'off' });
    expect(s).toEqual({
      available: false,
      reason: 'sandboxing is turned off (TRACEFIX_SANDBOX=off)',
    });
  });

  it('runs bwrap once and caches the answer', async () => {
    const a = probeSandbox({});
    expect(probeSandbox({})).toBe(a);
    const s = await a;
    // This machine has bubblewrap (the CI installs it); elsewhere the reason says what is missing.
    if (s.available) expect(s.command).toBe('bwrap');
    else expect(s.reason).toMatch(/bubblewrap|bwrap/);
  });
});
