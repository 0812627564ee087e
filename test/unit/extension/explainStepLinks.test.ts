// A step reference opens the run it cites: the round's own run unless the value quoted after it
// only matches the other run.
import { describe, expect, it } from 'vitest';
import {
  eventOfStep,
  stepResolver,
  type StepSource,
} from '../../../src/extension/explain/stepLinks';
import { TraceBuilder } from '../render/traceBuilder';

function spreadRun(lowInit: string, extraSteps = 0) {
  const b = new TraceBuilder().source('stats.py', 'x');
  b.call('stats.py', 'spread', 11, { values: '[3, 5, 8]' })
    .line(12, { low: lowInit })
    .line(13, { high: '3' });
  for (let i = 0; i < extraSteps; i++) b.line(14, { v: String(i) });
  return b.build();
}

const original: StepSource = { rec: 1, trace: spreadRun('0'), label: 'the failing run' };
const patched: StepSource = {
  rec: 2,
  trace: spreadRun('1', 3),
  label: "the run with round 1's fix",
};

describe('stepResolver', () => {
  it('round 1: the failing run', () => {
    const r = stepResolver([original], original);
    expect(r(2, ' low=0')?.rec).toBe(1);
    expect(r(9, '')).toBeUndefined();
  });

  it('a later round: its own run by default, the other when only that one has the cited value', () => {
    const r = stepResolver([patched, original], patched);
    expect(eventOfStep(patched.trace, 2)?.changed).toEqual({ low: '1' });
    expect(r(2, ' low=1, still below 3')?.rec).toBe(2);
    expect(r(2, ': `low = 0`')?.rec).toBe(1);
    expect(r(3, ' then')?.rec).toBe(2);
    expect(r(2, ' low=0')?.title).toBe(
      'Step 2 of the failing run: select it in the timeline and show its line',
    );
  });

  it('a step only the other run has goes there', () => {
    const r = stepResolver([original, patched], original);
    expect(r(5, '')?.rec).toBe(2);
  });
});
