// compare_runs through a ToolSession, as every surface calls it: the answer over the session's two
// recordings, its refusals (no other recording, an unknown one), paging with from_step, and the
// call's time bound (an alignment stopped by it is not kept: the next call starts afresh).
import { describe, expect, it } from 'vitest';
import { COMPARE_RUNS, ToolSession, TRACE_TOOLS } from '../../../src/core/tools';
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder } from '../render/traceBuilder';

const SRC = [
  'def f(n):',
  '    t = 0',
  '    for i in range(n):',
  '        t = t + i',
  '    return t',
  '',
].join('\n');

/** f(n) looping n times; from `from` on, `t` is off by `off`. */
function loop(n: number, off = 0, from = n): Trace {
  const b = new TraceBuilder().source('m.py', SRC).call('m.py', 'f', 1, { n: String(n) });
  b.line(2, { t: '0' });
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += i;
    b.line(3, { i: String(i) }).line(4, { t: String(i >= from ? t + off : t) });
  }
  return b.ret(5, String(n > from ? t + off : t)).build();
}

describe('compare_runs', () => {
  it('answers where the failing run parts from the passing one, and pages on', () => {
    const s = new ToolSession(
      { failing: loop(50, 1, 10), passing: loop(50) },
      { tools: [...TRACE_TOOLS, COMPARE_RUNS] },
    );
    const a = s.call('compare_runs', { limit: 0 });
    expect(a.error).toBe(false);
    expect(a.text).toContain('First divergence');
    expect(a.text).toContain('t: 56 (failing) vs 55 (passing)');
    expect(a.text).toContain('Ask again with from_step=25');
    const later = s.call('compare_runs', { from_step: 25, limit: 1 });
    expect(later.error).toBe(false);
    expect(later.text).not.toContain('t: 56 (failing)');
    expect(later.text).toContain('__return__');
  });

  it('says so when there is nothing to compare with, or no such recording', () => {
    const one = new ToolSession(loop(3), { tools: [COMPARE_RUNS] });
    expect(one.call('compare_runs', {}).text).toBe(
      'Error: compare_runs: there is no passing run to compare with: only one recording is open.',
    );
    const two = new ToolSession({ failing: loop(3), passing: loop(3) }, { tools: [COMPARE_RUNS] });
    expect(two.call('compare_runs', { against: 'yesterday' }).text).toMatch(
      /no other recording named "yesterday"; recordings: failing, passing/,
    );
  });

  it('stops at the call time bound, and aligns afresh on the next call', () => {
    const failing = loop(3000, 1, 1500);
    const passing = loop(3000);
    const bounded = new ToolSession(
      { failing, passing },
      { tools: [COMPARE_RUNS], limits: { timeMs: 0 } },
    );
    const a = bounded.call('compare_runs', {});
    expect(a.error).toBe(true);
    expect(a.text).toMatch(
      /^Error: compare_runs: stopped after 0 s: these two recordings \(\d+ and \d+ events\) are too large to compare in one call/,
    );
    const s = new ToolSession({ failing, passing }, { tools: [COMPARE_RUNS] });
    const b = s.call('compare_runs', {});
    expect(b.error).toBe(false);
    expect(b.text).toContain('First divergence');
  });
});
