import { describe, expect, it } from 'vitest';
import { buildHover, callerEvent, codeCell, commandUri } from '../../../src/core/render/hover';
import { calcTrace, loopTrace, zerosTrace } from './sampleTraces';
import { HOVER_COMMANDS } from '../../../src/extension/contributes/commands';

describe('buildHover', () => {
  it('tabulates every execution of a line with step, call and full values', () => {
    const trace = zerosTrace();
    const h = buildHover(trace, 'main.py', 9, { commands: HOVER_COMMANDS })!;
    expect(h.rows.map((r) => r.changed)).toEqual([
      [['out', '[0]']],
      [['out', '[0, 0]']],
      [['out', '[0, 0, 0]']],
    ]);
    expect(h.rows.every((r) => r.function === 'zeros' && r.callIndex === 1 && r.depth === 1)).toBe(
      true,
    );
    const lines = h.markdown.split('\n');
    expect(lines[0]).toBe('**Tracefix** · line 9 · ran 3× in zeros');
    const table = lines.filter((l) => l.startsWith('| ['));
    expect(table).toHaveLength(3);
    const step = trace.events.at(h.rows[1]!.eventIndex)!.step;
    expect(table[1]).toContain(
      `| [${step}](${commandUri('tracefix.showTimeline', { eventIndex: h.rows[1]!.eventIndex })} "Show step in timeline") |`,
    );
    expect(table[1]).toContain('| zeros #1 · depth 1 | out = `[0, 0]` |');
  });

  it('adds the return value and links to the caller and replay', () => {
    const trace = zerosTrace();
    const h = buildHover(trace, 'main.py', 12, { commands: HOVER_COMMANDS })!;
    const ret = h.rows.find((r) => r.kind === 'return')!;
    expect(ret.changed).toEqual([['__return__', '[0, 0, 0]']]);
    // The caller line is `result = zeros(3)` (line 19), recorded after the call returned.
    expect(trace.events.at(ret.callerIndex!)).toMatchObject({ line: 19, function: '<module>' });
    expect(h.markdown).toContain('\\_\\_return\\_\\_ = `[0, 0, 0]`');
    expect(h.markdown).toContain(
      `[Go to caller](${commandUri('tracefix.goToCaller', { eventIndex: ret.eventIndex })})`,
    );
    expect(h.markdown).toContain(
      `[Replay from this step](${commandUri('tracefix.replayFromStep', { eventIndex: ret.eventIndex })})`,
    );
  });

  it('heads the exception line with the exception and its message', () => {
    const h = buildHover(calcTrace(), 'calc.py', 3, { commands: HOVER_COMMANDS })!;
    expect(h.markdown).toContain('**✗ ZeroDivisionError**: `division by zero`');
    expect(h.rows[0]!.exception).toBe('ZeroDivisionError("division by zero")');
  });

  it('elides the middle of long histories but keeps first and last executions', () => {
    const h = buildHover(loopTrace(), 'loop.py', 3, { commands: HOVER_COMMANDS, maxRows: 4 })!;
    expect(h.rows).toHaveLength(10);
    const table = h.markdown.split('\n').filter((l) => l.startsWith('| '));
    expect(table.filter((l) => l.startsWith('| ['))).toHaveLength(4);
    expect(h.markdown).toContain('| … | 6 more executions | see the timeline | |');
    expect(table.at(-1)).toContain('total = `45`');
  });

  it('is undefined for lines without events and puts a note first', () => {
    expect(buildHover(zerosTrace(), 'main.py', 11, { commands: HOVER_COMMANDS })).toBeUndefined();
    expect(buildHover(zerosTrace(), 'other.py', 9, { commands: HOVER_COMMANDS })).toBeUndefined();
    expect(
      buildHover(zerosTrace(), 'main.py', 9, {
        commands: HOVER_COMMANDS,
        note: '*stale*',
      })!.markdown.startsWith('*stale*\n\n**Tracefix**'),
    ).toBe(true);
  });
});

describe('callerEvent', () => {
  it('is undefined at the outermost frame', () => {
    const t = calcTrace();
    expect(callerEvent(t, t.events.at(0)!)).toBeUndefined();
    // mean's exception is reported at the test's line 5, the next event of the calling frame.
    expect(
      callerEvent(
        t,
        t.events.find((e) => e.file === 'calc.py' && e.line === 3)!,
      ),
    ).toMatchObject({ file: 'test_calc.py', line: 5 });
  });
});

describe('codeCell', () => {
  it('keeps backticks, pipes and newlines from breaking the table', () => {
    expect(codeCell('[1, 2]')).toBe('`[1, 2]`');
    expect(codeCell("'a|b'")).toBe("`'a\\|b'`");
    expect(codeCell('x`y')).toBe('`` x`y ``');
    expect(codeCell('a\nb')).toBe('`a⏎b`');
  });
});
