// The find_first condition language: parsing, evaluation over reprs, and hostile input (it is text
// from a model: never evaluated, always bounded).
import { describe, expect, it } from 'vitest';
import {
  conditionNames,
  evaluate,
  numericValue,
  parseCondition,
} from '../../../src/core/tools/condition';
import { ToolInputError } from '../../../src/core/tools/types';

function holds(cond: string, values: Record<string, string>): boolean {
  return evaluate(parseCondition(cond), (n) => values[n]);
}

describe('condition language', () => {
  it('compares reprs: numbers as numbers, text with or without the repr quotes', () => {
    expect(holds("n == '3'", { n: '3' })).toBe(true);
    expect(holds("n == '3'", { n: "'3'" })).toBe(true);
    expect(holds('n == 3', { n: '3.0' })).toBe(true);
    expect(holds('n == 3', { n: "'3'" })).toBe(true);
    expect(holds('n != 3', { n: '4' })).toBe(true);
    expect(holds('n > 2.5 and n <= 3', { n: '3' })).toBe(true);
    expect(holds('n > 2', { n: "'9'" })).toBe(false);
    expect(holds('n >= -1e3', { n: '-1000' })).toBe(true);
    expect(holds("s == 'abc'", { s: "'abc'" })).toBe(true);
    expect(holds('s == "it\'s"', { s: `"it's"` })).toBe(true);
    expect(holds('x == None', { x: 'None' })).toBe(true);
    expect(holds('d == Decimal', { d: "Decimal('1.5')" })).toBe(false);
    expect(holds('d > 1', { d: "Decimal('1.5')" })).toBe(true);
    expect(holds('f < 0.6', { f: 'Fraction(1, 2)' })).toBe(true);
    expect(holds('v > 1', { v: 'np.float64(1.5)' })).toBe(true);
    expect(holds('a == b', { a: '[1, 2]', b: '[1, 2]' })).toBe(true);
  });

  it('contains / in / startswith, truthiness, and/or/not with parentheses', () => {
    expect(holds("items contains 'x'", { items: "['a', 'x']" })).toBe(true);
    expect(holds("'x' in items", { items: "['a', 'b']" })).toBe(false);
    expect(holds("s startswith 'ab'", { s: "'abc'" })).toBe(true);
    expect(holds('flag', { flag: 'True' })).toBe(true);
    expect(holds('flag', { flag: '[]' })).toBe(false);
    expect(holds('not flag', { flag: '0' })).toBe(true);
    expect(holds('a == 1 or (b == 2 and not c)', { a: '0', b: '2', c: 'None' })).toBe(true);
    expect(holds('a == 1 or b == 2 and c', { a: '0', b: '2', c: '0' })).toBe(false);
  });

  it('an unbound name makes its comparison false (either way)', () => {
    expect(holds('missing == 1', {})).toBe(false);
    expect(holds('missing != 1', {})).toBe(false);
    expect(holds('not missing == 1', {})).toBe(true);
    expect(holds('missing', {})).toBe(false);
  });

  it('paths into values and pseudo-names are names; their spaces do not matter', () => {
    expect([
      ...conditionNames(
        parseCondition("memo[3, 5] == 30 and self.count > 1 and book['a b'] and __return__"),
      ),
    ]).toEqual(['memo[3,5]', 'self.count', "book['ab']", '__return__']);
  });

  it('reports where a condition is malformed', () => {
    const msg = (c: string) => {
      try {
        parseCondition(c);
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(ToolInputError);
        return (e as Error).message;
      }
    };
    expect(msg('x >')).toBe(
      'condition: expected a name or a value at column 4 (end of the condition)',
    );
    expect(msg('x = 3')).toBe('condition: use == to compare at column 3');
    expect(msg("x == 'abc")).toBe('condition: unterminated string at column 10');
    expect(msg('(x == 1')).toMatch(/expected "\)"/);
    expect(msg('x == 1 y')).toBe('condition: unexpected "y" at column 8');
    expect(msg('x; import os')).toBe('condition: unexpected ";" at column 2');
    expect(msg('')).toBe('condition is empty');
  });

  it('hostile input: deep nesting, huge input and code are refused or inert', () => {
    expect(() => parseCondition(`${'('.repeat(200)}x${')'.repeat(200)}`)).toThrow(
      /too deeply nested/,
    );
    expect(() => parseCondition(`${'not '.repeat(100)}x`)).toThrow(/too deeply nested/);
    expect(() => parseCondition('x == 1 or '.repeat(100))).toThrow(/longer than 500/);
    // Calls are not part of the language: refused, never run.
    expect(() => parseCondition("__import__('os').system('echo hi') == 0")).toThrow(
      /^condition: unexpected/,
    );
    // A path with nested brackets is one name, compared as text.
    expect(holds(`x[${'['.repeat(50)}${']'.repeat(50)}] == 1`, {})).toBe(false);
    expect(() => parseCondition('x[[[')).toThrow(/unclosed "\["/);
  });

  it('numeric reprs', () => {
    expect(numericValue('12')).toBe(12);
    expect(numericValue('-0.5')).toBe(-0.5);
    expect(numericValue('1e-05')).toBe(0.00001);
    expect(numericValue('inf')).toBe(Infinity);
    expect(numericValue("'12'")).toBeUndefined();
    expect(numericValue('[1]')).toBeUndefined();
    expect(numericValue('Fraction(3, 0)')).toBeUndefined();
  });
});
