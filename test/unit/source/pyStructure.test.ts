import { describe, expect, it } from 'vitest';
import {
  docstringOf,
  findDefs,
  scanPython,
  topLevelStatements,
} from '../../../src/core/source/pyStructure';

const source = `import math

CONST = (1,
2)

@decorator
@other(arg=1)
def first(a,
          b):
    """Add two numbers.

    Returns the sum.
    """
    text = """
not code: def fake():
"""
    return a + b


# comment about Second
class Second:
    '''Holds things.'''

    def method(self):
        return [
    1]

    async def other(self): return 2

def third(): return 3

if __name__ == '__main__':
    print(first(1, 2))
`;

describe('pyStructure', () => {
  const lines = source.split('\n');

  it('marks lines inside triple-quoted strings and brackets as continuations', () => {
    const scanned = scanPython(lines);
    const fakeLine = lines.indexOf('not code: def fake():');
    expect(scanned[fakeLine]?.start).toBe(false);
    expect(scanned[lines.indexOf('2)')]?.start).toBe(false);
    expect(scanned[lines.indexOf('    1]')]?.start).toBe(false);
  });

  it('finds definitions with decorators, nesting and trimmed ends', () => {
    const defs = findDefs(lines);
    expect(defs.map((d) => d.qualname)).toEqual([
      'first',
      'Second',
      'Second.method',
      'Second.other',
      'third',
    ]);
    const first = defs[0]!;
    expect(lines[first.start]).toBe('@decorator');
    expect(lines[first.defLine]).toBe('def first(a,');
    expect(lines[first.end - 1]).toBe('    return a + b');
    const second = defs[1]!;
    // The comment above `class Second` is not part of `first`; the class ends before `def third`.
    expect(lines[second.end - 1]).toBe('    async def other(self): return 2');
    expect(defs[2]!.parent).toBe(1);
    expect(lines[defs[4]!.end - 1]).toBe('def third(): return 3');
  });

  it('reads docstrings', () => {
    const defs = findDefs(lines);
    expect(docstringOf(lines, defs[0]!)).toBe('Add two numbers.\n\nReturns the sum.');
    expect(docstringOf(lines, defs[1]!)).toBe('Holds things.');
    expect(docstringOf(lines, defs[2]!)).toBeUndefined();
  });

  it('lists top-level statements outside definitions', () => {
    expect(topLevelStatements(lines)).toEqual([
      'import math',
      'CONST = (1,',
      "if __name__ == '__main__':",
    ]);
  });
});
