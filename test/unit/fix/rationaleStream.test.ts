import { describe, expect, it } from 'vitest';
import { RationaleStream } from '../../../src/core/fix/rationaleStream';

function run(deltas: string[]): string {
  const s = new RationaleStream();
  return deltas.map((d) => s.push(d)).join('') + s.flush();
}

describe('RationaleStream', () => {
  const answer =
    'At step (8) the mean is 3.0.\nSummary: divide by len(xs).\n\n```python average.py\ndef average(xs):\n    return sum(xs) / len(xs)\n```\nDone.\n';

  it('passes the text before the first code fence, whatever the chunking', () => {
    const expected = 'At step (8) the mean is 3.0.\nSummary: divide by len(xs).\n\n';
    expect(run([answer])).toBe(expected);
    expect(run(answer.split(''))).toBe(expected);
    for (const size of [2, 3, 5, 7, 13]) {
      const chunks: string[] = [];
      for (let i = 0; i < answer.length; i += size) chunks.push(answer.slice(i, i + size));
      expect(run(chunks)).toBe(expected);
    }
  });

  it('streams a line as soon as it cannot be a fence, and holds back only possible fence starts', () => {
    const s = new RationaleStream();
    expect(s.push('The')).toBe('The');
    expect(s.push(' loop\n  ')).toBe(' loop\n');
    expect(s.push('`x` is')).toBe('  `x` is');
    expect(s.push('\n``')).toBe('\n');
    expect(s.push('`py')).toBe('');
    expect(s.done).toBe(true);
    expect(s.push('more')).toBe('');
  });

  it('recognises tilde fences and flushes a held-back tail at the end', () => {
    expect(run(['Why.\n~~~\ncode\n~~~\n'])).toBe('Why.\n');
    expect(run(['Only prose, ending in ', '\n  '])).toBe('Only prose, ending in \n  ');
  });
});
