// Scripted model answers for the `average` fixture (test/fixtures/fix/average).
export const RIGHT_FIX = [
  'The loop adds every element: total=12 at step (7). The function then returns 3.0 at step (8) because it divides by len(xs) + 1 = 4 instead of 3.',
  'Summary: Divide by len(xs) instead of len(xs) + 1.',
  '',
  '```python average.py',
  'def average(xs):',
  '    """Return the arithmetic mean of the numbers in xs."""',
  '    total = 0',
  '    for x in xs:',
  '        total += x',
  '    return total / len(xs)',
  '```',
  '',
].join('\n');

/** Plausible but wrong: still not the mean. */
export const WRONG_FIX = RIGHT_FIX.replace(
  'return total / len(xs)',
  'return total / (len(xs) + 0.5)',
).replace(
  'Summary: Divide by len(xs) instead of len(xs) + 1.',
  'Summary: Use a smaller correction in the divisor.',
);

export const NO_CODE = 'I am not sure what the problem is. Perhaps the tests are wrong?\n';
