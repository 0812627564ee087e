// Hostile answers: each gets a clear outcome without overflowing the stack or going quadratic.
// Sizes are chosen so that a quadratic step would not finish within the test timeout
// (~10^11 operations), while the linear parser takes well under a second.
import { describe, expect, it } from 'vitest';
import { stripThinking } from '../../../../src/core/model/answer/prose';
import { MAX_ANSWER_CHARS, parseAnswer } from '../../../../src/core/model/answer/parse';
import { makePatch } from '../../../../src/core/fix/patchAdapter';
import { buildPrompt, fenceFor } from '../../../../src/core/model/prompt';

const FILE = {
  path: 'average.py',
  text: 'def average(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total / (len(xs) + 1)\n',
};
const wrap = (code: string, info = 'python average.py'): string =>
  `At (4) the total is right; (5) divides by len + 1.\n\nSummary: divide by len(xs)\n\n\`\`\`${info}\n${code}\n\`\`\`\n`;

describe('parseAnswer on hostile answers', () => {
  it('a 5 MB code block is refused in one clear sentence, keeping the rationale', () => {
    const code = `def average(xs):\n${'    x = 1\n'.repeat(500_000)}    return 1`;
    const p = parseAnswer(wrap(code), [FILE], { finishReason: 'stop' });
    expect(p.state).toBe('unparseable');
    expect(p.files).toBeNull();
    expect(p.problems).toEqual([
      'The answer is 5.0 million characters long, far more than any fix needs (at most 1.0 million characters); it was not used.',
    ]);
    expect(p.summary).toBe('divide by len(xs)');
    expect(p.steps).toEqual([4, 5]);
  });

  it('just under the limit: a 330,000-line function parses, patches and prompts without a stack overflow', () => {
    // Three characters a line: far more lines than Math.min(...lines) or splice(...lines) can take.
    const code = `def average(xs):\n${' x\n'.repeat(Math.floor((MAX_ANSWER_CHARS - 200) / 3) - 10)} return 1`;
    const answer = wrap(code);
    expect(answer.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
    const p = parseAnswer(answer, [FILE], { finishReason: 'stop' });
    expect(p.state).toBe('ok');
    const patch = makePatch([FILE], p.files ?? []);
    expect(patch.files[0]?.added).toBeGreaterThan(300_000);
    const prompt = buildPrompt({
      files: [FILE],
      command: 'pytest',
      previousAttempts: [{ patchSummary: patch.diff, failure: 'x' }],
    });
    expect(prompt.request.messages).toHaveLength(2);
  });

  it('unclosed <think> tags by the hundred thousand are stripped in one pass', () => {
    expect(stripThinking('<think>'.repeat(100_000))).toBe('');
    expect(stripThinking('a<think>b</think>c<THINK>d</think>e')).toBe('ace');
    expect(stripThinking('  <think>never closed\n```python\nx\n```')).toBe('');
    expect(stripThinking('keep <think> this')).toBe('keep <think> this');
    expect(parseAnswer('<think>'.repeat(100_000), [FILE]).state).toBe('no-code');
  });

  it('a 900,000-character word before a fence, and a line of spaces with many # (k) look-alikes, are handled in linear time', () => {
    const longWord = `${'a'.repeat(900_000)}\n${wrap('def average(xs):\n    return sum(xs) / len(xs)')}`;
    expect(parseAnswer(longWord, [FILE], { finishReason: 'stop' }).state).toBe('ok');
    const spaces = wrap(`def average(xs):\n    return sum(xs) / len(xs)${' #'.repeat(400_000)}`);
    expect(parseAnswer(spaces, [FILE], { finishReason: 'stop' }).state).toBe('ok');
    const blank = `x${'\n'.repeat(900_000)}y`;
    expect(parseAnswer(blank, [FILE]).state).toBe('no-code');
  });

  it('copied trace comments are still removed (also after a string holding "# (1)")', () => {
    const p = parseAnswer(
      wrap(
        'def average(xs):\n    s = "# (1) a"  # (3) s=1\n    return sum(xs) / len(xs)  # (9) __return__=2',
      ),
      [FILE],
    );
    expect(p.files?.[0]?.newText).toBe(
      'def average(xs):\n    s = "# (1) a"\n    return sum(xs) / len(xs)\n',
    );
  });

  it('a prompt quoting 200,000 separate backtick runs picks a longer fence without spreading them', () => {
    expect(fenceFor('`a'.repeat(200_000))).toBe('```');
    expect(fenceFor(`${'`a'.repeat(200_000)}\`\`\`\`\``)).toBe('``````');
  });
});
