// The prose of a model's answer: its Summary line, the rationale cleaned of headings the model
// wrote around the code, the trace steps it cites, and `<think>` blocks removed. Linear in the
// answer's length (no backtracking patterns, no recursion).

/** The answer's summary line — `Summary:`, `**Summary:**`, `- Summary:`, `## Summary:` — and its text. */
const SUMMARY_LINE =
  /^[ \t]*(?:[-*>#]+[ \t]*)?(?:\d+\.[ \t]*)?(?:\*\*|__)?summary(?:\*\*|__)?[ \t]*[:：][ \t]*(?:\*\*|__)?[ \t]*(.*)$/im;

const summaryText = (m: RegExpExecArray): string =>
  (m[1] ?? '').replace(/(?:\*\*|__)\s*$/, '').trim();

export function extractSummary(text: string): { summary: string; without: string } {
  const m = SUMMARY_LINE.exec(text);
  if (!m) return { summary: '', without: text };
  return {
    summary: summaryText(m),
    without: text.slice(0, m.index) + text.slice(m.index + m[0].length),
  };
}

/** What `line` says as the answer's summary line; undefined when it is not one. */
export function summaryOfLine(line: string): string | undefined {
  const m = SUMMARY_LINE.exec(line);
  return m ? summaryText(m) : undefined;
}

/** A line that only names a file, e.g. "**`src/x.py`**:" or "File: x.py", as models put before a block. */
const FILE_LABEL =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:[*_`]*(?:file|in|updated|fixed|path)[*_`]*[ \t]*:?[ \t]*)?[*_`"']*[\w./\\-]+\.pyi?[*_`"']*[ \t]*:?[ \t]*$/i;

export function cleanRationale(text: string): string {
  const ls = text.split('\n');
  while (ls.length && (!ls[ls.length - 1]?.trim() || FILE_LABEL.test(ls[ls.length - 1] ?? '')))
    ls.pop();
  return ls
    .join('\n')
    .replace(
      /^[ \t]*(?:#{1,6}[ \t]*|\d+\.[ \t]*)?(?:\*\*|__)?(?:rationale|explanation|analysis|reasoning)(?:\*\*|__)?[ \t]*:?(?:\*\*|__)?[ \t]*$/gim,
      '',
    )
    .replace(
      /^[ \t]*(?:\*\*|__)?(?:rationale|explanation)(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*/im,
      '',
    )
    .replace(
      /^[ \t]*(?:#{1,6}[ \t]*|\d+\.[ \t]*)?(?:\*\*|__)?(?:the )?(?:fix|fixed code|patch)(?:\*\*|__)?[ \t]*:?(?:\*\*|__)?[ \t]*$/gim,
      '',
    )
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function extractSteps(text: string, maxStep?: number): number[] {
  const found = new Set<number>();
  for (const m of text.matchAll(/(?<![\w)\]])\((\d{1,6})\)/g)) found.add(Number(m[1]));
  for (const m of text.matchAll(
    /\bsteps?\s+\(?(\d{1,6})\)?(?:\s*(?:,|and|to|-|–)\s*\(?(\d{1,6})\)?)?/gi,
  )) {
    found.add(Number(m[1]));
    if (m[2]) found.add(Number(m[2]));
  }
  return [...found].filter((n) => maxStep === undefined || n <= maxStep).sort((a, b) => a - b);
}

export function firstSentence(text: string): string {
  const flat = (text.split(/^[ \t]*(?:`{3,}|~{3,})/m)[0] ?? '').replace(/\s+/g, ' ').trim();
  const m = /^(.{10,200}?[.!?])(?:\s|$)/.exec(flat);
  return m?.[1] ?? flat.slice(0, 160);
}

/** Removes `<think>…</think>` blocks, and everything from an unclosed `<think>` that opens the answer. */
export function stripThinking(text: string): string {
  const open = /<think>/gi;
  const close = /<\/think>/gi;
  let out = '';
  let pos = 0;
  for (;;) {
    open.lastIndex = pos;
    const o = open.exec(text);
    if (!o) break;
    close.lastIndex = o.index + o[0].length;
    const c = close.exec(text);
    // No closing tag after this one means none after any later one either: stop (linear).
    if (!c) break;
    out += text.slice(pos, o.index);
    pos = c.index + c[0].length;
  }
  out += text.slice(pos);
  return /^\s*<think>/i.test(out) ? '' : out;
}
