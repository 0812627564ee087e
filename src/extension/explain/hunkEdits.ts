// Turns the core's line hunks into character-offset replacements on the document text, so applying a
// fix is one WorkspaceEdit of minimal replacements (undoable as one step) that yields exactly what the
// core's applyHunks would: same line ends, same final-newline state. Free of `vscode` for unit tests.
import { splitLines, type Hunk } from '../../core/patch/hunks';

export interface TextReplacement {
  /** Character offsets into the old text, [start, end). */
  start: number;
  end: number;
  text: string;
}

/** Offsets of each line start; entry `lines.length` is the text's length. */
function lineStarts(text: string, count: number): number[] {
  const starts = [0];
  for (let i = 0; i < text.length && starts.length < count; i++)
    if (text[i] === '\n') starts.push(i + 1);
  while (starts.length < count) starts.push(text.length);
  starts.push(text.length);
  return starts;
}

/**
 * One replacement per hunk, in ascending order. Hunks must fit `text` (check with the traced-text
 * hash first); a hunk that does not is reported as an Error naming its line.
 */
export function hunkReplacements(text: string, hunks: readonly Hunk[]): TextReplacement[] {
  const { lines, eol, finalNewline } = splitLines(text);
  const starts = lineStarts(text, lines.length);
  const at = (i: number): number => starts[i] ?? text.length;
  const out: TextReplacement[] = [];
  for (const h of [...hunks].sort((a, b) => a.startLine - b.startLine)) {
    const fits =
      h.startLine >= 0 &&
      h.endLine >= h.startLine &&
      h.endLine <= lines.length &&
      h.oldLines.every((l, i) => lines[h.startLine + i] === l);
    if (!fits) throw new Error(`the change at line ${h.startLine + 1} does not fit the text`);
    const reachesEnd = h.endLine === lines.length;
    if (!reachesEnd || finalNewline) {
      // Whole lines with their line ends: [start of startLine, start of endLine).
      out.push({
        start: at(h.startLine),
        end: at(h.endLine),
        text: h.newLines.map((l) => l + eol).join(''),
      });
      continue;
    }
    // The hunk reaches a last line that has no line end: the result must not gain or lose one.
    if (h.newLines.length > 0) {
      const insertAtEnd = h.startLine === h.endLine && h.startLine > 0;
      out.push({
        start: insertAtEnd ? text.length : at(h.startLine),
        end: text.length,
        text: (insertAtEnd ? eol : '') + h.newLines.join(eol),
      });
    } else {
      // Deleting the last lines: also drop the line end before them (if any).
      const start = h.startLine > 0 ? at(h.startLine) - eol.length : 0;
      out.push({ start: Math.max(0, start), end: text.length, text: '' });
    }
  }
  return out;
}

/** The text after the replacements (what the editor will hold); for checks and tests. */
export function applyReplacements(text: string, reps: readonly TextReplacement[]): string {
  let result = text;
  for (const r of [...reps].sort((a, b) => b.start - a.start))
    result = result.slice(0, r.start) + r.text + result.slice(r.end);
  return result;
}
