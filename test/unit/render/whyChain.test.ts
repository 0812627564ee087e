// The editor's why-chain of a value (core/render/whyChain) and the hover's "why?" links that ask for
// it: on a recording with statement rows (sliceTraces.ts), the chain from the value asked about back
// to the line that made it, the lines to highlight, and a sentence when there is no answer.
import { describe, expect, it } from 'vitest';
import { buildHover, commandUri } from '../../../src/core/render/hover';
import { stepLabel, whyChain, type WhyChain } from '../../../src/core/render/whyChain';
import { HOVER_COMMANDS } from '../../../src/extension/contributes/commands';
import { boxTrace } from '../slice/sliceTraces';

function chainOf(r: WhyChain | { error: string }): WhyChain {
  if ('error' in r) throw new Error(r.error);
  return r;
}

describe('whyChain', () => {
  it('names the value and lists the steps that made it, where it was made first', () => {
    const t = boxTrace();
    const at = t.events.findIndex((e) => e.changed.r === '7');
    const c = chainOf(whyChain(t, 'r', at));
    expect(c.title).toBe(`why r = 7 at ${stepLabel(t, at)}`);
    const first = t.events.at(c.events[0]!)!;
    expect([first.kind, first.line]).toEqual(['line', 10]);
    const where = c.events.map((i) => `${t.events.at(i)!.kind} ${t.events.at(i)!.line}`);
    expect(where).toContain('line 3');
    expect(where).toContain('return 8');
    // The lines to highlight: each once, in chain order.
    expect(c.lines[0]).toEqual({ file: 'box.py', line: 10 });
    expect(c.lines).toContainEqual({ file: 'box.py', line: 3 });
    expect(new Set(c.lines.map((l) => l.line)).size).toBe(c.lines.length);
    expect(c.more).toBe(0);
  });

  it('asks about a return value and a path into an object', () => {
    const t = boxTrace();
    const ret = t.events.findIndex((e) => e.function === 'use' && e.kind === 'return');
    const c = chainOf(whyChain(t, '__return__', ret));
    expect(c.title).toMatch(
      /^why __return__ = 7 at \(after \d+\)$|^why __return__ = 7 at \(\d+\)$/,
    );
    expect(c.events[0]).toBe(ret);
    const use = t.events.findIndex((e) => e.function === 'use' && e.line === 8);
    const path = chainOf(whyChain(t, 'b.v', use));
    expect(t.events.at(path.events[0]!)).toMatchObject({ function: '__init__', line: 3 });
  });

  it('says why there is no chain', () => {
    const t = boxTrace();
    const last = t.events.length - 1;
    expect(whyChain(t, 'nope', last)).toEqual({
      error: expect.stringMatching(/^`nope` has no recorded value at \(/) as string,
    });
    expect(whyChain(t, 'r', 10_000)).toEqual({
      error: 'That step is not in the recording on screen.',
    });
    const old = boxTrace();
    delete old.uses;
    expect(whyChain(old, 'r', last)).toEqual({
      error: expect.stringContaining('record it again') as string,
    });
  });
});

describe('hover: why? links', () => {
  it('puts a why? link after each recorded value, naming its step and name', () => {
    const t = boxTrace();
    const h = buildHover(t, 'box.py', 9, { commands: HOVER_COMMANDS })!;
    const row = h.rows.find((r) => r.changed.some(([n]) => n === 'b'))!;
    expect(h.markdown).toContain(
      `b = \`Box#1(v=6)\` [why?](${commandUri('tracefix.why', { eventIndex: row.eventIndex, name: 'b' })} "Why does b have this value? Highlights the steps that made it")`,
    );
    const ret = buildHover(t, 'box.py', 8, { commands: HOVER_COMMANDS })!;
    const retRow = ret.rows.find((r) => r.kind === 'return')!;
    expect(ret.markdown).toContain(
      commandUri('tracefix.why', { eventIndex: retRow.eventIndex, name: '__return__' }),
    );
  });

  it('has no why? link on a recording without statement data (it could not answer)', () => {
    const t = boxTrace();
    delete t.uses;
    const h = buildHover(t, 'box.py', 9, { commands: HOVER_COMMANDS })!;
    expect(h.markdown).toContain('b = `Box#1(v=6)`');
    expect(h.markdown).not.toContain('why?');
    expect(h.markdown).not.toContain('tracefix.why');
  });
});
