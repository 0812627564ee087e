// The rationale shown while streaming and when done is the same text: nothing vanishes or jumps.
import { describe, expect, it } from 'vitest';
import { displayRationale, finalRationale } from '../../../src/extension/explain/display';

describe('displayRationale', () => {
  it('hides reasoning blocks, and everything after an unclosed <think> while it streams', () => {
    expect(displayRationale('<think>hmm</think>At (3) low is 0.')).toEqual({
      text: 'At (3) low is 0.',
      thinking: false,
    });
    expect(displayRationale('At (3) low is 0.\n<think>let me')).toEqual({
      text: 'At (3) low is 0.',
      thinking: true,
    });
  });

  it('drops bare Rationale / Fix headings and a trailing file label, keeps the Summary line', () => {
    const shown = displayRationale(
      '## Rationale\nAt (3) low is 0.\n\nSummary: start at values[0]\n\n**The fix:**\n`stats.py`:\n',
    );
    expect(shown.text).toBe('At (3) low is 0.\n\nSummary: start at values[0]');
  });

  it('"Rationale: text" loses the label only', () => {
    expect(displayRationale('Rationale: at (3) low is 0.').text).toBe('at (3) low is 0.');
  });
});

describe('finalRationale', () => {
  const streamed = 'At (3) `low` starts at 0.\n\nSummary: start low at the first value\n\n';
  it('keeps the streamed text when the parsed rationale is in it (the Summary line stays where it was)', () => {
    expect(
      finalRationale(streamed, {
        rationale: 'At (3) `low` starts at 0.',
        summary: 'start low at the first value',
      }),
    ).toBe(displayRationale(streamed).text);
  });

  it('uses the parsed rationale and summary when the stream stopped short (code quoted before the fix)', () => {
    const parsed = {
      rationale: 'The line\n```python\nlow = 0\n```\nstarts too low, so spread is 8.',
      summary: 'start low at values[0]',
    };
    expect(finalRationale('The line\n', parsed)).toBe(
      `${parsed.rationale}\n\nSummary: start low at values[0]`,
    );
  });

  it('nothing streamed (a provider that does not stream): the parsed text', () => {
    expect(finalRationale('', { rationale: 'Because.', summary: '' })).toBe('Because.');
  });
});
