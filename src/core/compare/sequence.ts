// Aligns two sequences of integer tokens (a longest common subsequence, as a diff does): the common
// head and tail are matched first, the middle with Myers' O((N+M)·D) algorithm while the edit
// distance D stays small; a middle that differs too much (two runs that went separate ways for
// thousands of steps) is matched greedily in one linear pass with a bounded look-ahead. The edit
// searches of one alignment (every call of two runs) share one SearchBudget: once it is spent, the
// remaining middles are matched greedily too. So the cost of aligning two runs is linear in their
// lengths plus a bounded amount, whatever the sequences are and however many calls they made.

/** Most edits Myers' search explores before the middle is matched greedily. */
const MAX_EDITS = 1500;
/** Most snake steps (token comparisons) the Myers search may take in one middle. */
const MAX_WORK = 4_000_000;
/** How far the greedy pass looks ahead for a token of the other side. */
const LOOKAHEAD = 48;

export type Tokens = ArrayLike<number>;

/** Edit-search work (frontier cells and token comparisons) all alignments of two runs may spend. */
export const MAX_SEARCH_WORK = 60_000_000;

/** The edit-search work left to the alignments of two runs (one per pair of runs). */
export class SearchBudget {
  constructor(public left = MAX_SEARCH_WORK) {}

  get spent(): boolean {
    return this.left <= 0;
  }
}

/**
 * `matchOf[i]` = the index in `b` matched to `a[i]` (-1: none); matches are increasing in both.
 * Only equal tokens are matched.
 */
export function alignTokens(
  a: Tokens,
  b: Tokens,
  budget: SearchBudget = new SearchBudget(),
): Int32Array {
  const matchOf = new Int32Array(a.length).fill(-1);
  let start = 0;
  const n = a.length;
  const m = b.length;
  while (start < n && start < m && a[start] === b[start]) {
    matchOf[start] = start;
    start++;
  }
  let endA = n;
  let endB = m;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
    matchOf[endA] = endB;
  }
  if (endA > start && endB > start) {
    if (budget.spent || !myers(a, b, start, endA, start, endB, matchOf, budget))
      greedy(a, b, start, endA, start, endB, matchOf);
  }
  return matchOf;
}

/**
 * Myers' greedy LCS on a[a0, a1) × b[b0, b1), keeping each round's frontier to walk the path back.
 * False when the edit distance or the work exceeds the bounds (nothing is matched then). The work
 * done is taken from `budget` either way.
 */
function myers(
  a: Tokens,
  b: Tokens,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  matchOf: Int32Array,
  budget: SearchBudget,
): boolean {
  const n = a1 - a0;
  const m = b1 - b0;
  const maxD = Math.min(n + m, MAX_EDITS);
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const history: Int32Array[] = [];
  let work = 0;
  const limit = Math.min(MAX_WORK, budget.left);
  for (let d = 0; d <= maxD; d++) {
    work += d + 1;
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x++;
        y++;
        work++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        history.push(v.slice(offset - d - 1, offset + d + 2));
        backtrack(history, a0, b0, n, m, matchOf);
        budget.left -= work;
        return true;
      }
    }
    // Only the diagonals this round touched, so the history stays O(D²) in memory.
    history.push(v.slice(offset - d - 1, offset + d + 2));
    if (work > limit) break;
  }
  budget.left -= work;
  return false;
}

/** Walks the frontiers back from (n, m), marking the diagonal runs (the matches). `history[d]`
 * holds diagonals -d-1 … d+1 of the frontier after round d. */
function backtrack(
  history: Int32Array[],
  a0: number,
  b0: number,
  n: number,
  m: number,
  matchOf: Int32Array,
): void {
  let x = n;
  let y = m;
  for (let d = history.length - 1; d >= 0; d--) {
    const k = x - y;
    let prevX: number;
    let prevK: number;
    if (d === 0) {
      // The start: a virtual move down from (0, -1).
      prevK = 1;
      prevX = 0;
    } else {
      const prev = history[d - 1] as Int32Array;
      const at = (kk: number): number => prev[kk + d] as number;
      prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
      prevX = at(prevK);
    }
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      matchOf[a0 + x] = b0 + y;
    }
    x = prevX;
    y = prevY;
  }
}

/**
 * One linear pass: equal tokens match; on a difference, skip on the side whose next occurrence of
 * the other side's token is nearer (within LOOKAHEAD), else skip both.
 */
function greedy(
  a: Tokens,
  b: Tokens,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  matchOf: Int32Array,
): void {
  let i = a0;
  let j = b0;
  while (i < a1 && j < b1) {
    if (a[i] === b[j]) {
      matchOf[i++] = j++;
      continue;
    }
    let inB = -1;
    for (let k = 1; k <= LOOKAHEAD && j + k < b1; k++)
      if (b[j + k] === a[i]) {
        inB = k;
        break;
      }
    let inA = -1;
    for (let k = 1; k <= LOOKAHEAD && i + k < a1; k++)
      if (a[i + k] === b[j]) {
        inA = k;
        break;
      }
    if (inB > 0 && (inA < 0 || inB <= inA)) j += inB;
    else if (inA > 0) i += inA;
    else {
      i++;
      j++;
    }
  }
}
