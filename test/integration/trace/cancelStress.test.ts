// Cancel at random moments: before the adapter answers, while debugpy launches the program, while
// the helper installs, while the program runs. Every recording must reject with CancelledError (or
// have finished first), leave no unhandled rejection and no process behind. The seed is printed so a
// failure can be replayed: TRACEFIX_STRESS_SEED=<seed> npx vitest run <this file>.
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/core/errors';
import { recordTrace } from '../../../src/core/trace/record';
import { PROGRAMS, processesMentioning } from '../../support/python';

const ROUNDS = 10;
/** Start-up of a recording is 1–3 s here: delays cover it and the first moments of the run. */
const MAX_DELAY_MS = 3000;

/** mulberry32: a small seeded generator, so a failing sequence of delays can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

async function settle(): Promise<void> {
  // A rejection is reported as unhandled after the microtask queue drains; give timers a turn too.
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 20));
}

describe('cancelling a recording at random moments', () => {
  it(`${ROUNDS} recordings cancelled at random points all reject cleanly`, async () => {
    const seed = Number(process.env.TRACEFIX_STRESS_SEED) || Date.now() % 1_000_000;
    const random = prng(seed);
    const program = path.join(PROGRAMS, 'infinite_loop.py');
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Some rounds cancel almost at once (spawn, preflight), the rest anywhere in start-up or the run.
      const delay = Math.round(round % 4 === 0 ? random() * 150 : random() * MAX_DELAY_MS);
      const ac = new AbortController();
      const p = recordTrace({
        target: { kind: 'script', path: 'infinite_loop.py' },
        cwd: PROGRAMS,
        limits: { maxSteps: 1e9, timeoutMs: 60_000 },
        signal: ac.signal,
      });
      const timer = setTimeout(() => ac.abort(), delay);
      const result = await p.then(
        () => 'finished',
        (e: unknown) => (e instanceof CancelledError ? 'cancelled' : e),
      );
      clearTimeout(timer);
      await settle();
      outcomes.push(`${delay} ms: ${String(result)}`);
      const where = `seed ${seed}, round ${round}, cancelled after ${delay} ms`;
      expect(result, where).toBe('cancelled');
      expect(unhandled.map(String), where).toEqual([]);
    }
    for (let i = 0; i < 20 && processesMentioning(program).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(processesMentioning(program), `seed ${seed}`).toEqual([]);
    expect(processesMentioning('debugpy.adapter', process.pid), `seed ${seed}`).toEqual([]);
    expect(outcomes).toHaveLength(ROUNDS);
  }, 180_000);
});
