// Minimal line hunks between the current file and the proposed text, a unified diff for display,
// and applying (a subset of) hunks back onto the file with its own line ends and final newline.
import { createTwoFilesPatch, diffArrays, FILE_HEADERS_ONLY } from 'diff';
import { UserError } from '../errors';

/**
 * One change, in terms of the OLD text's lines (0-based): old lines [startLine, endLine) are
 * replaced by `newLines`. `startLine === endLine` is a pure insertion before old line `startLine`
 * (== number of lines: at the end); empty `newLines` is a deletion. Lines carry no line ends.
 */
export interface Hunk {
  startLine: number;
  endLine: number;
  /** The old lines the hunk replaces, so applying it can check it still fits. */
  oldLines: string[];
  newLines: string[];
  /** E.g. "Change line 12", "Insert 2 lines after line 7", "Delete lines 3–4" (1-based, for people). */
  summary?: string;
}

export interface FilePatch {
  path: string;
  hunks: Hunk[];
  /** `--- a/path` / `+++ b/path` unified diff (LF line ends, 3 lines of context). */
  unifiedDiff: string;
  added: number;
  removed: number;
}

export interface SplitText {
  lines: string[];
  eol: '\n' | '\r\n';
  finalNewline: boolean;
}

/** Lines without their ends; the dominant line end; whether the text ends with one. */
export function splitLines(text: string): SplitText {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length;
  const eol = crlf > 0 && crlf * 2 >= lf ? '\r\n' : '\n';
  const finalNewline = /\n$/.test(text);
  const lines = text.split(/\r?\n/);
  if (finalNewline || text === '') lines.pop();
  return { lines, eol, finalNewline };
}

function summarize(h: Omit<Hunk, 'summary'>): string {
  const a = h.startLine + 1;
  const b = h.endLine;
  const range = b > a ? `lines ${a}–${b}` : `line ${a}`;
  const n = h.newLines.length;
  if (h.startLine === h.endLine)
    return h.startLine === 0
      ? `Insert ${n} line${n === 1 ? '' : 's'} at the top`
      : `Insert ${n} line${n === 1 ? '' : 's'} after line ${h.startLine}`;
  if (n === 0) return `Delete ${range}`;
  return `Change ${range}`;
}

/** Minimal hunks (Myers diff over lines; line ends ignored) turning `oldText` into `newText`. */
export function computeHunks(oldText: string, newText: string): Hunk[] {
  const oldLines = splitLines(oldText).lines;
  const newLines = splitLines(newText).lines;
  const hunks: Hunk[] = [];
  let oldIdx = 0;
  let cur: Omit<Hunk, 'summary'> | undefined;
  const flush = (): void => {
    if (cur) hunks.push({ ...cur, summary: summarize(cur) });
    cur = undefined;
  };
  for (const change of diffArrays(oldLines, newLines)) {
    if (!change.added && !change.removed) {
      flush();
      oldIdx += change.count;
      continue;
    }
    cur ??= { startLine: oldIdx, endLine: oldIdx, oldLines: [], newLines: [] };
    if (change.removed) {
      for (const l of change.value) cur.oldLines.push(l);
      oldIdx += change.count;
      cur.endLine = oldIdx;
    } else {
      for (const l of change.value) cur.newLines.push(l);
    }
  }
  flush();
  return hunks;
}

/** Unified diff with `a/` and `b/` paths, LF line ends. */
export function unifiedDiff(path: string, oldText: string, newText: string, context = 3): string {
  const lf = (t: string): string => t.replace(/\r\n/g, '\n');
  const p = path.replace(/\\/g, '/');
  return createTwoFilesPatch(`a/${p}`, `b/${p}`, lf(oldText), lf(newText), undefined, undefined, {
    context,
    headerOptions: FILE_HEADERS_ONLY,
  });
}

export function diffFile(path: string, oldText: string, newText: string): FilePatch {
  const hunks = computeHunks(oldText, newText);
  return {
    path,
    hunks,
    unifiedDiff: hunks.length ? unifiedDiff(path, oldText, newText) : '',
    added: hunks.reduce((n, h) => n + h.newLines.length, 0),
    removed: hunks.reduce((n, h) => n + h.oldLines.length, 0),
  };
}

/**
 * Applies hunks computed against `text` (any subset, any order), keeping the text's line ends and
 * final newline. Throws a `patch-conflict` UserError when a hunk's old lines are not where it says
 * (the text changed since the hunks were computed) or hunks overlap.
 */
export function applyHunks(text: string, hunks: readonly Hunk[]): string {
  const { lines, eol, finalNewline } = splitLines(text);
  const sorted = [...hunks].sort((a, b) => b.startLine - a.startLine || b.endLine - a.endLine);
  let limit = lines.length;
  for (const h of sorted) {
    const fits =
      h.startLine >= 0 &&
      h.endLine >= h.startLine &&
      h.endLine <= limit &&
      h.endLine - h.startLine === h.oldLines.length &&
      h.oldLines.every((l, i) => lines[h.startLine + i] === l);
    if (!fits) {
      throw new UserError(
        'patch-conflict',
        `The change at line ${h.startLine + 1} no longer matches the file (it was edited, or changes overlap).`,
        'Run Explain & Fix again on the current file.',
      );
    }
    const rest = lines.splice(h.startLine);
    for (const l of h.newLines) lines.push(l);
    for (let i = h.endLine - h.startLine; i < rest.length; i++) lines.push(rest[i] ?? '');
    limit = h.startLine;
  }
  const body = lines.join(eol);
  return finalNewline && lines.length ? body + eol : body;
}
