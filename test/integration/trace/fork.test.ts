// A forked child (os.fork, multiprocessing's fork start method) is not the program being recorded:
// its os._exit must not end the parent's recording, nor its records mix into the parent's.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordTrace } from '../../../src/core/trace/record';
import { PROGRAMS } from '../../support/python';

const DIR = path.join(PROGRAMS, 'outcomes');

describe('a program that forks', () => {
  for (const engine of ['fast', 'step'] as const) {
    it(`${engine} engine: the child's os._exit is not the program's end; the parent is recorded to its own`, async () => {
      const t = await recordTrace({
        target: { kind: 'script', path: 'fork_child_exit.py' },
        cwd: DIR,
        engine,
      });
      expect(t.outcome).toMatchObject({ status: 'completed', exitCode: 0, partial: false });
      expect(t.outcome.message ?? '').not.toMatch(/_exit/);
      // The parent's lines after the child ended are recorded, with the child's exit code.
      expect(t.events.some((e) => e.changed.code === '3')).toBe(true);
      expect(t.events.some((e) => e.changed.after === '4')).toBe(true);
      // Nothing of the child's (its loop) is in the trace.
      expect(t.events.filter((e) => e.function === 'child_work')).toEqual([]);
      expect(t.output.map((c) => c.text).join('')).toContain('child ended with 3');
    });
  }
});
