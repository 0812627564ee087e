import { describe, expect, it } from 'vitest';
import { renderNext } from '../../../src/core/render/next';
import { selectCode } from '../../../src/core/render/codeExcerpt';
import { ToolSession, TRACE_TOOLS } from '../../../src/core/tools';
import { boxTrace } from './sliceTraces';

describe('rendering by the slice', () => {
  it('shows the line that made the wrong value, with its values, before what the failure did not read', () => {
    const full = renderNext(boxTrace(), { budget: 4000 }).text;
    expect(full).toMatch(/ {8}self\.v = v \* 2 {2}# \(\d+\) self=Box#1\(v=6\);/);
    // A budget too small for everything keeps the constructor where the value was made.
    const small = renderNext(boxTrace(), { budget: 200 });
    expect(small.tokens).toBeLessThanOrEqual(200);
    expect(small.text).toMatch(/^# Not shown within the 200-token budget/);
    expect(small.text).toMatch(/self\.v = v \* 2 {2}# \(\d+\) self=Box#1\(v=6\);/);
  });

  it('puts the slice first in the code excerpt', () => {
    const code = selectCode(boxTrace(), { budget: 90 });
    const shown = code.files.map((f) => f.shown ?? f.text).join('\n');
    expect(shown).toContain('self.v = v * 2');
  });
});

describe('the why tool', () => {
  it('answers with the steps that produced a value, citing them', () => {
    const s = new ToolSession(boxTrace(), { tools: TRACE_TOOLS });
    const a = s.call('why', { name: 'r' });
    expect(a.error).toBe(false);
    expect(a.text).toMatch(/^Why `r` has its value at \(\d+\) box\.py:11/);
    expect(a.text).toMatch(/box\.py:3 __init__#1 `self\.v = v \* 2` {2}self=Box#1\(v=6\)/);
    expect(a.text).not.toContain('noise');
    expect(a.steps.length).toBeGreaterThan(2);
  });

  it('says what is wrong with a question it cannot answer', () => {
    const s = new ToolSession(boxTrace(), { tools: TRACE_TOOLS });
    expect(s.call('why', { name: 'zzz' }).text).toMatch(/`zzz` has no recorded value/);
    expect(s.call('why', { name: 'r', step: 999 }).text).toMatch(/there is no step \(999\)/);
    expect(s.call('why', {}).text).toMatch(/name is required/);
  });
});
