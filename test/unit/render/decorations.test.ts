import { describe, expect, it } from 'vitest';
import { buildDecorations, neverExecuted } from '../../../src/core/render/decorations';
import { analyzePython } from '../../../src/core/source/pyStructure';
import { parseTrace } from '../../../src/core/trace/json';
import type { EventKind } from '../../../src/core/trace/model';
import { calcTrace, loopTrace, zerosTrace } from './sampleTraces';

describe('buildDecorations', () => {
  it('summarizes each executed line the way a person scans it', () => {
    const [main] = buildDecorations(zerosTrace());
    const text = (line: number) => main!.lines.find((l) => l.line === line)?.text;
    expect(main!.file).toBe('main.py');
    expect(text(7)).toBe('out = []');
    expect(text(8)).toBe('i = 0 → 1 → 2');
    expect(text(9)).toBe('out = [0] → [0, 0] → [0, 0, 0]');
    expect(text(10)).toBe('');
    expect(text(12)).toBe('__return__ = [0, 0, 0]');
    expect(text(19)).toBe('result = [0, 0, 0]');
    expect(text(5)).toBe('zeros = <function zeros at 0x7f01>; n = 3');
    expect(text(11)).toBeUndefined();
  });

  it('marks the exception line with type and message', () => {
    const [main] = buildDecorations(zerosTrace());
    expect(main!.exception).toEqual({
      line: 20,
      text: '✗ AssertionError: expected ones',
      type: 'AssertionError',
      message: 'expected ones',
    });
    expect(main!.lines.find((l) => l.line === 20)).toMatchObject({
      text: '✗ AssertionError: expected ones',
      raised: true,
    });
  });

  it('counts executions and elides long loops', () => {
    const [loop] = buildDecorations(loopTrace());
    expect(loop!.lines.find((l) => l.line === 2)).toMatchObject({
      text: 'i = 0 → 1 → 2 … 9 (×10)',
      executions: 11,
    });
    expect(loop!.lines.find((l) => l.line === 3)?.text).toBe('total = 0 → 1 → 3 … 45 (×10)');
    // A module frame's return (None) is not shown.
    expect(loop!.lines.find((l) => l.line === 4)).toMatchObject({ text: '', executions: 1 });
  });

  it('fits every summary to the width', () => {
    for (const fd of buildDecorations(zerosTrace(), { maxWidth: 16 })) {
      for (const l of fd.lines) expect(l.text.length).toBeLessThanOrEqual(16);
      expect(fd.exception?.text).toBe('✗ AssertionErro…');
    }
  });

  it('lists executed lines and never-executed code in the scopes that ran', () => {
    const [main] = buildDecorations(zerosTrace());
    expect(main!.executed).toEqual([1, 2, 5, 7, 8, 9, 10, 12, 15, 19, 20]);
    // The raise never ran; `unused` was never called, so its body is not dimmed; docstrings never count.
    expect(main!.neverExecuted).toEqual([11]);
  });

  it('dims nothing in a partial trace', () => {
    const [loop] = buildDecorations(loopTrace(true));
    expect(loop!.neverExecuted).toEqual([]);
    const [full] = buildDecorations(loopTrace(false));
    expect(full!.neverExecuted).toEqual([]);
  });

  it('shows the exception path across files and the surfacing line in its own file', () => {
    const [calc, test] = buildDecorations(calcTrace());
    expect(calc!.file).toBe('calc.py');
    expect(calc!.exception?.line).toBe(3);
    expect(calc!.lines.map((l) => [l.line, l.text])).toEqual([
      [1, 'xs = []'],
      [2, 'total = 0'],
      [3, '✗ ZeroDivisionError: division by zero'],
    ]);
    expect(test!.file).toBe('test_calc.py');
    expect(test!.exception).toBeUndefined();
    expect(test!.lines.map((l) => [l.line, l.text])).toEqual([
      [4, ''],
      [5, '✗ ZeroDivisionError'],
    ]);
    // Only the test function ran in test_calc.py (no module-level events): its import line is not dimmed.
    expect(test!.neverExecuted).toEqual([]);
  });
});

describe('neverExecuted', () => {
  it('dims a whole multi-line statement that never ran, and counts any of its lines as running it', () => {
    const src = analyzePython(
      ['def f(a):', '    if a:', '        x = g(1,', '              2)', '    return 0', ''].join(
        '\n',
      ),
    );
    expect(neverExecuted(src, kinds({ 1: ['call'], 2: ['line'], 5: ['line', 'return'] }))).toEqual([
      3, 4,
    ]);
    expect(
      neverExecuted(src, kinds({ 1: ['call'], 2: ['line'], 4: ['line'], 5: ['line', 'return'] })),
    ).toEqual([]);
  });

  it('treats a function as run from its call event alone', () => {
    const src = analyzePython(['def f():', '    return 1', ''].join('\n'));
    expect(neverExecuted(src, kinds({ 1: ['call'] }))).toEqual([2]);
    expect(neverExecuted(src, kinds({}))).toEqual([]);
  });

  it('does not count a call event on a def line as running the enclosing module', () => {
    const src = analyzePython(['import os', 'def f():', '    return 1', ''].join('\n'));
    expect(neverExecuted(src, kinds({ 2: ['call'], 3: ['line', 'return'] }))).toEqual([]);
    expect(neverExecuted(src, kinds({ 2: ['line'] }))).toEqual([1]);
  });
});

function kinds(spec: Record<number, EventKind[]>): Map<number, Set<EventKind>> {
  return new Map(Object.entries(spec).map(([line, ks]) => [Number(line), new Set(ks)]));
}

describe('buildDecorations on a recorded fixture trace', () => {
  it('reads test/fixtures/traces/average_bug.json the way the editor shows it', async () => {
    const { readFileSync } = await import('node:fs');
    const trace = parseTrace(
      readFileSync(new URL('../../fixtures/traces/average_bug.json', import.meta.url), 'utf8'),
    );
    const [file] = buildDecorations(trace);
    const text = (line: number) => file!.lines.find((l) => l.line === line)?.text;
    expect(file!.file).toBe('average_bug.py');
    // The call's arguments show on the def line (module-level functions are not recorded as values).
    expect(text(1)).toBe('values = [3, 5, 8]');
    expect(text(3)).toBe('i = 0 → 1 → 2 → 3');
    expect(text(4)).toBe('total = 3 → 8 → 16; ✗ IndexError: list index out of range');
    expect(file!.exception?.line).toBe(4);
    // The exception left main() at line 10 and the module at line 14.
    expect(text(10)).toBe('✗ IndexError');
    expect(text(14)).toBe('✗ IndexError');
    // `return total / len(values)` never ran: the loop raised first.
    expect(file!.neverExecuted).toEqual([5, 11]);
  });
});
