import { describe, expect, it } from 'vitest';
import { analyzePython, blockAt } from '../../../src/core/source/pyStructure';
import { isPytestFile, pytestFunctionAt, pytestFunctions } from '../../../src/core/source/pytest';

const SRC = [
  '"""Module docstring."""', // 1
  'import os  # trailing', // 2
  '', // 3
  '@decorator', // 4
  '@other(', // 5
  '    1)', // 6
  'def f(a,', // 7
  '      b):', // 8
  '    """Doc', // 9
  '    string."""', // 10
  '    # comment only', // 11
  '    x = [', // 12
  '        1, "]",', // 13
  '    ]', // 14
  '    if a:', // 15
  '        y = 1 + \\', // 16
  '            2', // 17
  '    else:', // 18
  '        global z', // 19
  '    try:', // 20
  '        pass', // 21
  '    finally:', // 22
  "        s = '#not a comment'", // 23
  '    return x', // 24
  '', // 25
  'class TestThing:', // 26
  '    def test_one(self):', // 27
  '        assert True', // 28
  '', // 29
  '    def helper(self):', // 30
  '        pass', // 31
  '', // 32
  'def test_two():', // 33
  '    def inner():', // 34
  '        return 2', // 35
  '    assert inner() == 2', // 36
].join('\n');

describe('analyzePython', () => {
  const src = analyzePython(SRC);
  const at = (line: number) => src.statements.find((s) => s.start <= line && line <= s.end);

  it('joins bracket, backslash and triple-quoted continuations into one statement', () => {
    expect(at(13)).toMatchObject({ start: 12, end: 14, code: true });
    expect(at(17)).toMatchObject({ start: 16, end: 17, code: true });
    expect(at(10)).toMatchObject({ start: 9, end: 10, code: false });
  });

  it('merges decorators into the def they decorate', () => {
    expect(at(5)).toMatchObject({ start: 4, end: 8, code: true });
    expect(src.blocks.find((b) => b.name === 'f')).toMatchObject({
      kind: 'def',
      header: 7,
      start: 4,
      end: 24,
    });
  });

  it('says which statements cannot carry a line event', () => {
    expect(at(1)?.code).toBe(false); // docstring
    expect(at(18)?.code).toBe(false); // else:
    expect(at(19)?.code).toBe(false); // global
    expect(at(20)?.code).toBe(false); // try:
    expect(at(22)?.code).toBe(false); // finally:
    expect(at(21)?.code).toBe(true); // pass
    expect(at(23)?.code).toBe(true); // '#' inside a string is not a comment
    expect(at(11)).toBeUndefined(); // comment-only line
    expect(at(3)).toBeUndefined(); // blank
  });

  it('finds the innermost block of a line, headers belonging to the enclosing scope', () => {
    expect(blockAt(src, 7)).toBeUndefined();
    expect(blockAt(src, 24)?.name).toBe('f');
    expect(blockAt(src, 28)?.name).toBe('test_one');
    expect(blockAt(src, 27)?.name).toBe('TestThing');
    expect(blockAt(src, 35)?.name).toBe('inner');
    expect(blockAt(src, 36)?.name).toBe('test_two');
    expect(blockAt(src, 2)).toBeUndefined();
  });

  it('lists pytest test functions with class-qualified ids', () => {
    expect(pytestFunctions(src).map((t) => t.id)).toEqual(['TestThing::test_one', 'test_two']);
    expect(pytestFunctionAt(src, 36)?.id).toBe('test_two');
    expect(pytestFunctionAt(src, 33)?.id).toBe('test_two');
    expect(pytestFunctionAt(src, 31)).toBeUndefined();
    expect(pytestFunctionAt(src, 24)).toBeUndefined();
  });

  it('copes with CRLF, tabs and an unterminated string without throwing', () => {
    const s = analyzePython('def g():\r\n\tx = 1\r\n\treturn """open\r\n');
    expect(s.blocks[0]).toMatchObject({ name: 'g', end: 4 });
    expect(s.statements.map((t) => [t.start, t.end])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);
  });
});

describe('isPytestFile', () => {
  it('follows pytest default patterns', () => {
    expect(isPytestFile('tests/test_calc.py')).toBe(true);
    expect(isPytestFile('C:\\w\\calc_test.py')).toBe(true);
    expect(isPytestFile('calc.py')).toBe(false);
    expect(isPytestFile('testing.py')).toBe(false);
    expect(isPytestFile('_test.py')).toBe(false);
  });
});
