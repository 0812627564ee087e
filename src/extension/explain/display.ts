// The rationale as the Explanation view shows it, the same way while it streams and once the round
// is done, so nothing jumps when the round ends: reasoning (`<think>`) hidden, bare "Rationale:" /
// "Fix:" headings dropped, and the "Summary:" line kept where the model wrote it (the Markdown
// renderer shows it as the summary). Free of `vscode` (unit-tested).

export interface RationaleDisplay {
  /** Markdown to render. */
  text: string;
  /** The answer is still inside a `<think>` block (a reasoning model thinking aloud). */
  thinking: boolean;
}

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;
const BARE_HEADING =
  /^[ \t]*(?:#{1,6}[ \t]*|\d+\.[ \t]*)?(?:\*\*|__)?(?:rationale|explanation|analysis|reasoning|(?:the )?(?:fix|fixed code|patch))(?:\*\*|__)?[ \t]*:?(?:\*\*|__)?[ \t]*$/gim;
const RATIONALE_PREFIX =
  /^([ \t]*)(?:\*\*|__)?(?:rationale|explanation)(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*/im;
/** A trailing line that only names the file the code block will be for ("**`stats.py`**:"). */
const FILE_LABEL =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:[*_`]*(?:file|in|updated|fixed|path)[*_`]*[ \t]*:?[ \t]*)?[*_`"']*[\w./\\-]+\.pyi?[*_`"']*[ \t]*:?[ \t]*$/i;

export function displayRationale(streamed: string): RationaleDisplay {
  let text = streamed.replace(/\r\n?/g, '\n').replace(THINK_BLOCK, '');
  let thinking = false;
  const open = text.search(/<think>/i);
  if (open >= 0) {
    text = text.slice(0, open);
    thinking = true;
  }
  const lines = text.replace(BARE_HEADING, '').replace(RATIONALE_PREFIX, '$1').split('\n');
  while (
    lines.length &&
    (!lines[lines.length - 1]?.trim() || FILE_LABEL.test(lines[lines.length - 1] ?? ''))
  )
    lines.pop();
  while (lines.length && !lines[0]?.trim()) lines.shift();
  return { text: lines.join('\n').replace(/\n{3,}/g, '\n\n'), thinking };
}

function norm(s: string): string {
  return s.replace(/[\s*_`#>-]+/g, ' ').trim();
}

/**
 * What a finished round shows: the streamed text when the parser's rationale is already in it (the
 * usual case: no jump), else the parser's rationale and summary (an answer that quoted code before
 * the fix streams only up to the quote).
 */
export function finalRationale(
  streamed: string,
  parsed: { rationale: string; summary: string },
): string {
  const shown = displayRationale(streamed).text;
  if (shown.trim() && norm(parsed.rationale).length <= norm(shown).length) return shown;
  return parsed.summary ? `${parsed.rationale}\n\nSummary: ${parsed.summary}` : parsed.rationale;
}
