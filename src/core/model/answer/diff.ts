// Applies a unified diff written by a model. Models get hunk line numbers and counts wrong, drop
// the leading space of blank context lines and add prose between hunks, so hunks are located by
// their content (exact, then ignoring trailing whitespace, then ignoring indentation), not by the
// numbers in the `@@` header. All texts use LF line ends. (The `diff` package's parsePatch trusts
// those counts — it cuts such a hunk short, drops a blank context line or throws — so it does not
// read a model's diff; Tracefix's own diffs are made with it, in patch/hunks.ts.)
import { spliceLines } from './splice';

export interface DiffHunk {
  /** 1-based old start from the header, used only when the hunk has no old lines to search for. */
  oldStart?: number;
  lines: string[];
}

export interface DiffFilePatch {
  oldPath?: string;
  newPath?: string;
  hunks: DiffHunk[];
}

export function looksLikeDiff(body: string): boolean {
  const first = body.split('\n').find((l) => l.trim()) ?? '';
  return /^(?:diff --git |--- \S|@@ |Index: )/.test(first);
}

function cleanPath(p: string | undefined): string | undefined {
  if (!p) return undefined;
  const path = p.split('\t')[0]?.trim().replace(/^"|"$/g, '') ?? '';
  if (!path || path === '/dev/null') return undefined;
  return path.replace(/^[ab]\//, '');
}

export function parseModelDiff(body: string): DiffFilePatch[] {
  const files: DiffFilePatch[] = [];
  let cur: DiffFilePatch | undefined;
  let hunk: DiffHunk | undefined;
  const ensureFile = (): DiffFilePatch => {
    if (!cur) {
      cur = { hunks: [] };
      files.push(cur);
    }
    return cur;
  };
  const all = body.split('\n');
  for (const [i, line] of all.entries()) {
    const git = /^diff --git a\/(\S+) b\/(\S+)/.exec(line);
    if (git) {
      cur = { oldPath: git[1], newPath: git[2], hunks: [] };
      files.push(cur);
      hunk = undefined;
      continue;
    }
    // `--- path` followed by `+++ path` is a file header (otherwise it may be a removed "-- …" line).
    if (line.startsWith('--- ') && (all[i + 1] ?? '').startsWith('+++ ')) {
      if (!cur || cur.hunks.length > 0 || cur.oldPath) {
        cur = { hunks: [] };
        files.push(cur);
      }
      cur.oldPath = cleanPath(line.slice(4));
      hunk = undefined;
      continue;
    }
    if (line.startsWith('+++ ') && (all[i - 1] ?? '').startsWith('--- ')) {
      ensureFile().newPath = cleanPath(line.slice(4));
      continue;
    }
    const header = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(line) ?? /^@@/.exec(line);
    if (header) {
      hunk = { lines: [] };
      if (header[1]) hunk.oldStart = Number(header[1]);
      ensureFile().hunks.push(hunk);
      continue;
    }
    if (!hunk) continue;
    if (line === '' || line.startsWith(' ') || line.startsWith('+') || line.startsWith('-'))
      hunk.lines.push(line === '' ? ' ' : line);
    else if (line.startsWith('\\'))
      continue; // "\ No newline at end of file"
    else hunk = undefined; // prose after the hunk
  }
  // Trailing blank context lines are usually the model's padding.
  for (const f of files)
    for (const h of f.hunks)
      while (h.lines.length && h.lines[h.lines.length - 1] === ' ') h.lines.pop();
  return files.filter((f) => f.hunks.length > 0);
}

function find(
  haystack: string[],
  needle: string[],
  from: number,
  norm: (s: string) => string,
): number {
  const n = needle.map(norm);
  const search = (lo: number, hi: number): number => {
    for (let i = lo; i <= hi - n.length; i++) {
      let ok = true;
      for (let k = 0; k < n.length && ok; k++) ok = norm(haystack[i + k] ?? '') === n[k];
      if (ok) return i;
    }
    return -1;
  };
  const hit = search(from, haystack.length);
  return hit >= 0 ? hit : search(0, Math.min(haystack.length, from + n.length - 1));
}

/** Applies hunks in order; returns the new text or the reason it failed. */
export function applyModelDiff(
  text: string,
  patch: DiffFilePatch,
): { text: string } | { error: string } {
  const file = text.split('\n');
  let cursor = 0;
  for (const [idx, h] of patch.hunks.entries()) {
    const oldLines = h.lines.filter((l) => !l.startsWith('+')).map((l) => l.slice(1));
    let at: number;
    if (oldLines.length === 0) {
      at = h.oldStart !== undefined ? Math.min(file.length, h.oldStart) : file.length;
    } else {
      at = find(file, oldLines, cursor, (s) => s);
      if (at < 0) at = find(file, oldLines, cursor, (s) => s.trimEnd());
      if (at < 0) at = find(file, oldLines, cursor, (s) => s.trim());
      if (at < 0)
        return {
          error: `hunk ${idx + 1} does not match the file (its context/removed lines were not found)`,
        };
    }
    // Context lines keep the file's own text (the model may have mangled their whitespace).
    const replacement: string[] = [];
    let oldIdx = 0;
    for (const l of h.lines) {
      if (l.startsWith('+')) replacement.push(l.slice(1));
      else {
        if (l.startsWith(' ')) replacement.push(file[at + oldIdx] ?? l.slice(1));
        oldIdx++;
      }
    }
    spliceLines(file, at, oldLines.length, replacement);
    cursor = at + replacement.length;
  }
  return { text: file.join('\n') };
}
