import { describe, expect, it } from 'vitest';
import { isExpandable, splitRepr } from '../../../src/core/replay/reprSplit';

const values = (repr: string) =>
  splitRepr(repr)?.entries.map((e) => (e.key === undefined ? e.value : `${e.key} => ${e.value}`));

describe('splitRepr', () => {
  it('splits lists, tuples, sets and dicts at top-level commas', () => {
    expect(splitRepr('[1, 2, 3]')).toEqual({
      kind: 'list',
      entries: [{ value: '1' }, { value: '2' }, { value: '3' }],
      truncated: false,
    });
    expect(splitRepr('(1,)')).toMatchObject({ kind: 'tuple', entries: [{ value: '1' }] });
    expect(splitRepr('(1, (2, 3))')?.entries).toEqual([{ value: '1' }, { value: '(2, 3)' }]);
    expect(splitRepr('{1, 2}')).toMatchObject({
      kind: 'set',
      entries: [{ value: '1' }, { value: '2' }],
    });
    expect(splitRepr("{'count': 2, 'squares': [4, 9], 'range': (2, 3)}")).toMatchObject({
      kind: 'dict',
      entries: [
        { key: "'count'", value: '2' },
        { key: "'squares'", value: '[4, 9]' },
        { key: "'range'", value: '(2, 3)' },
      ],
    });
  });

  it('handles empty containers', () => {
    expect(splitRepr('[]')).toEqual({ kind: 'list', entries: [], truncated: false });
    expect(splitRepr('()')).toEqual({ kind: 'tuple', entries: [], truncated: false });
    expect(splitRepr('{}')).toEqual({ kind: 'dict', entries: [], truncated: false });
    expect(isExpandable('[]')).toBe(false);
  });

  it('does not split inside strings, whatever they contain', () => {
    expect(values(`['a, b', "it's", 'x]']`)).toEqual(["'a, b'", `"it's"`, "'x]'"]);
    expect(values(`{'k: v': 'a\\'b, c', "q": 1}`)).toEqual([`'k: v' => 'a\\'b, c'`, `"q" => 1`]);
    expect(values(`[b'\\x00,', r'\\d,']`)).toEqual([`b'\\x00,'`, `r'\\d,'`]);
  });

  it('keeps object reprs in angle brackets whole', () => {
    expect(
      values("[<function f at 0x7f0000000000>, <class 'int'>, <function <lambda> at 0x1>]"),
    ).toEqual(['<function f at 0x7f0000000000>', "<class 'int'>", '<function <lambda> at 0x1>']);
    expect(values("{'f': <Foo a=1, b=2>}")).toEqual(["'f' => <Foo a=1, b=2>"]);
  });

  it('keeps the complete items of a repr cut short by the recorder and flags it', () => {
    const cut = splitRepr(
      '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31...',
    );
    expect(cut?.truncated).toBe(true);
    expect(cut?.entries.map((e) => e.value)).toEqual(
      Array.from({ length: 31 }, (_, i) => String(i)),
    );
    expect(splitRepr("{'a': [1, 2], 'b': [3, 4...")).toEqual({
      kind: 'dict',
      entries: [{ key: "'a'", value: '[1, 2]' }],
      truncated: true,
    });
    expect(splitRepr("['abc', 'de...")).toEqual({
      kind: 'list',
      entries: [{ value: "'abc'" }],
      truncated: true,
    });
    expect(isExpandable('[12345...')).toBe(true);
  });

  it("reads the recorder's `...(N more)` marker as items left out, not as an item", () => {
    expect(splitRepr('[0, 1, 2, ...(57 more)]')).toEqual({
      kind: 'list',
      entries: [{ value: '0' }, { value: '1' }, { value: '2' }],
      truncated: true,
      more: 57,
    });
    expect(splitRepr("{'a': 1, 'b': 2, ...(8 more)}")).toMatchObject({
      kind: 'dict',
      entries: [
        { key: "'a'", value: '1' },
        { key: "'b'", value: '2' },
      ],
      more: 8,
    });
    expect(values('[[1, 2, ...(3 more)], ...(1 more)]')).toEqual(['[1, 2, ...(3 more)]']);
    expect(splitRepr('[...(100 more)]')).toEqual({
      kind: 'list',
      entries: [],
      truncated: true,
      more: 100,
    });
    expect(isExpandable('[...(100 more)]')).toBe(true);
    expect(values("['...(2 more)']")).toEqual(["'...(2 more)'"]);
  });

  it('expands single-argument wrappers', () => {
    expect(splitRepr('frozenset({1, 2})')).toMatchObject({
      kind: 'set',
      wrapper: 'frozenset',
      entries: [{ value: '1' }, { value: '2' }],
    });
    expect(splitRepr('deque([1, 2])')).toMatchObject({ kind: 'list', wrapper: 'deque' });
    expect(splitRepr("Counter({'a': 2})")).toMatchObject({
      kind: 'dict',
      wrapper: 'Counter',
      entries: [{ key: "'a'", value: '2' }],
    });
    expect(splitRepr('deque([1, 2], maxlen=3)')).toBeUndefined();
  });

  it('refuses what is not a container literal', () => {
    for (const repr of [
      '42',
      "'[1, 2]'",
      '(1+2j)',
      'set()',
      '[1, 2)',
      '[1, 2] + x',
      '[...]',
      '<object at 0x1>',
      'None',
      '[1,,2]',
      "{'a': 1, 2}",
    ]) {
      expect(splitRepr(repr), repr).toBeUndefined();
    }
  });
});
