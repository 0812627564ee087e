import { describe, expect, it } from 'vitest';
import { alignTokens, SearchBudget } from '../../../src/core/compare/sequence';

/** Length of the LCS by dynamic programming, for small inputs. */
function lcsLength(a: number[], b: number[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] =
        a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

function check(a: number[], b: number[], budget?: SearchBudget): number {
  const m = alignTokens(a, b, budget);
  let last = -1;
  let count = 0;
  m.forEach((j, i) => {
    if (j < 0) return;
    expect(a[i]).toBe(b[j]);
    expect(j).toBeGreaterThan(last);
    last = j;
    count++;
  });
  return count;
}

describe('alignTokens', () => {
  it('matches a longest common subsequence', () => {
    expect(check([1, 2, 3, 4, 5], [1, 2, 9, 4, 5])).toBe(4);
    expect(check([1, 2, 3], [])).toBe(0);
    expect(check([], [1])).toBe(0);
    expect(check([7, 1, 2, 3], [1, 2, 3, 7])).toBe(3);
  });

  it('is optimal on random small sequences', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let t = 0; t < 300; t++) {
      const a = Array.from({ length: Math.floor(rnd() * 30) }, () => Math.floor(rnd() * 5));
      const b = Array.from({ length: Math.floor(rnd() * 30) }, () => Math.floor(rnd() * 5));
      expect(check(a, b)).toBe(lcsLength(a, b));
    }
  });

  it('keeps an inserted block out and the rest matched', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [1, 2, 3, 10, 11, 4, 5, 6];
    const m = alignTokens(a, b);
    expect([...m]).toEqual([0, 1, 2, 5, 6, 7]);
  });

  it('still matches equal tokens of sequences that differ everywhere (greedy fallback)', () => {
    const n = 200_000;
    const a = Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
    const b = Array.from({ length: n }, (_, i) => (i * 104729) % 997);
    expect(check(a, b)).toBeGreaterThan(0);
  });

  it('shares one edit-search budget across the calls of two runs, then matches greedily', () => {
    // Many calls whose lines differ everywhere: each would search up to its edit bound.
    const budget = new SearchBudget(200_000);
    const a = Array.from({ length: 400 }, (_, i) => i % 13);
    const b = Array.from({ length: 400 }, (_, i) => (i * 5) % 11);
    const optimal = lcsLength(a, b);
    expect(check(a, b, budget)).toBe(optimal);
    const before = budget.left;
    expect(before).toBeLessThan(200_000);
    let calls = 0;
    while (!budget.spent && calls < 1000) {
      check(a, b, budget);
      calls++;
    }
    expect(budget.spent).toBe(true);
    // Spent: still a valid alignment that matches equal tokens, found in one linear pass.
    const greedy = check(a, b, budget);
    expect(greedy).toBeGreaterThan(0);
    expect(greedy).toBeLessThanOrEqual(optimal);
  });
});
