// The safe Markdown subset the Explanation view renders, as a tree of plain data (no HTML string
// ever reaches the webview: it builds DOM nodes from this with textContent). Blocks: paragraphs,
// headings, lists (one nesting level), block quotes, fenced code, simple tables, rules, and the
// answer's "Summary:" line. Inline: code spans, bold, italic, strikethrough, links (opened through VS
// Code, never loaded), images as their alt text, and trace step references such as `(7)` as links.
// Raw HTML stays text. Free of `vscode` (unit-tested).
import type { Block, Inline, ListItem } from './protocol';

/** Where a step reference `(k)` points: the recording it cites, or undefined (then it stays text). */
export type StepResolver = (
  step: number,
  following: string,
) => { rec: number; title: string } | undefined;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^( {0,6})([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
/** The answer's summary line, as the answer parser finds it (`Summary:`, `**Summary:**`, `- Summary:`). */
export const SUMMARY_LINE =
  /^[ \t]*(?:[-*>#]+[ \t]*)?(?:\d+\.[ \t]*)?(?:\*\*|__)?summary(?:\*\*|__)?[ \t]*[:：][ \t]*(?:\*\*|__)?[ \t]*(.*)$/i;

export interface RenderOptions {
  resolveStep?: StepResolver;
  /** The text is still streaming: a code span or bold opened in its last paragraph is shown closed,
   * so it does not flash as raw backticks / stars until the model closes it. */
  streaming?: boolean;
}

export function parseMarkdown(text: string, opts: RenderOptions = {}): Block[] {
  const src = text.replace(/\r\n?/g, '\n');
  return blocks((opts.streaming ? closeOpenSpans(src) : src).split('\n'), opts, 0);
}

/** Closes a single-backtick code span and a `**` left open in the last paragraph of `text`. */
function closeOpenSpans(text: string): string {
  const last = text.slice(text.lastIndexOf('\n\n') + 1);
  let out = text;
  if ((last.match(/(?<!`)`(?!`)/g)?.length ?? 0) % 2 === 1) out += '`';
  const withoutCode = last.replace(/`[^`]*`?/g, '');
  if ((withoutCode.match(/\*\*/g)?.length ?? 0) % 2 === 1) out += '**';
  return out;
}

function blocks(lines: string[], opts: RenderOptions, depth: number): Block[] {
  const out: Block[] = [];
  let i = 0;
  const inl = (s: string) => inline(s, opts);
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith(marker))
        body.push(lines[i++] ?? '');
      i++;
      out.push({ t: 'code', lang: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const summary = SUMMARY_LINE.exec(line);
    if (summary && depth === 0) {
      out.push({ t: 'summary', c: inl((summary[1] ?? '').replace(/(?:\*\*|__)\s*$/, '').trim()) });
      i++;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      out.push({ t: 'h', level: (heading[1] ?? '#').length, c: inl(heading[2] ?? '') });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if (QUOTE.test(line) && depth < 3) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? ''))
        body.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '');
      out.push({ t: 'quote', c: blocks(body, opts, depth + 1) });
      continue;
    }
    if (BULLET.test(line)) {
      const [list, next] = listAt(lines, i, opts, depth);
      out.push(list);
      i = next;
      continue;
    }
    if (line.includes('|') && TABLE_SEP.test(lines[i + 1] ?? '')) {
      const head = cells(line).map(inl);
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && (lines[i] ?? '').includes('|') && (lines[i] ?? '').trim())
        rows.push(cells(lines[i++] ?? '').map(inl));
      out.push({ t: 'table', head, rows });
      continue;
    }
    // A paragraph: up to a blank line or the start of another block.
    const para: string[] = [];
    while (i < lines.length) {
      const l = lines[i] ?? '';
      if (
        !l.trim() ||
        (para.length &&
          (FENCE.test(l) ||
            HEADING.test(l) ||
            QUOTE.test(l) ||
            BULLET.test(l) ||
            SUMMARY_LINE.test(l) ||
            RULE.test(l)))
      )
        break;
      para.push(l.trim());
      i++;
    }
    out.push({ t: 'p', c: inl(para.join('\n')) });
  }
  return out;
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

/** A list starting at line `start`; returns it and the index after it. */
function listAt(
  lines: string[],
  start: number,
  opts: RenderOptions,
  depth: number,
): [Block, number] {
  const first = BULLET.exec(lines[start] ?? '');
  const indent = first?.[1]?.length ?? 0;
  const ordered = /\d/.test(first?.[2] ?? '');
  const items: ListItem[] = [];
  let i = start;
  while (i < lines.length) {
    const m = BULLET.exec(lines[i] ?? '');
    if (!m || (m[1] ?? '').length !== indent || /\d/.test(m[2] ?? '') !== ordered) break;
    const text: string[] = [m[3] ?? ''];
    const sub: string[] = [];
    i++;
    while (i < lines.length) {
      const l = lines[i] ?? '';
      const b = BULLET.exec(l);
      if (b && (b[1] ?? '').length > indent && depth < 2) {
        sub.push(l);
      } else if (l.trim() && !b && /^\s/.test(l) && sub.length === 0) {
        text.push(l.trim());
      } else if (l.trim() && sub.length && /^\s/.test(l) && !b) {
        sub.push(l);
      } else {
        break;
      }
      i++;
    }
    const item: ListItem = { c: inline(text.join('\n'), opts) };
    if (sub.length) {
      const dedent = Math.min(
        ...sub.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length),
      );
      const nested = blocks(
        sub.map((l) => l.slice(dedent)),
        opts,
        depth + 1,
      );
      if (nested[0]) item.sub = nested[0];
    }
    items.push(item);
    // A blank line between items keeps the list going.
    if (!(lines[i] ?? '').trim() && BULLET.exec(lines[i + 1] ?? '')?.[1]?.length === indent) i++;
  }
  const startNo = ordered ? Number.parseInt(first?.[2] ?? '1', 10) : undefined;
  return [
    ordered
      ? { t: 'ol', ...(startNo !== undefined && startNo !== 1 ? { start: startNo } : {}), items }
      : { t: 'ul', items },
    i,
  ];
}

/** `(7)` (not `f(7)`), `step 7`, `steps (7)`: as the answer parser finds cited steps. */
const STEP = /(?<![\w)\]])\((\d{1,6})\)|\bsteps?\s+\(?(\d{1,6})\)?/gi;

/** Plain text with step references turned into step links where the resolver knows the step. */
function withSteps(
  text: string,
  opts: RenderOptions,
  following: (end: number) => string,
): Inline[] {
  if (!opts.resolveStep || !text) return text ? [text] : [];
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(STEP)) {
    const step = Number(m[1] ?? m[2]);
    const end = (m.index ?? 0) + m[0].length;
    const target = opts.resolveStep(step, following(end));
    if (!target) continue;
    if ((m.index ?? 0) > last) out.push(text.slice(last, m.index));
    out.push({ t: 'step', step, rec: target.rec, text: m[0], title: target.title });
    last = end;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const ESCAPE = /\\[\\`*_{}[\]()#+\-.!~|>]/y;
const BACKTICKS = /`+/y;
const EMPHASIS = /\*\*|__|~~|\*|_/y;
const LINK = /(!?)\[([^\]\n]{0,400})\]\(\s*<?([^)\s>]{1,2000})>?(?:\s+"[^"\n]{0,400}")?\s*\)/y;
const AUTOLINK = /<(https?:\/\/[^\s>]{1,2000})>/iy;
/** Emphasis closes within this many characters (keeps a text full of stray `*` linear). */
const MAX_EMPHASIS = 2000;

function stickyAt(re: RegExp, src: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(src);
}

/** Inline Markdown of `src` (no HTML is interpreted). */
export function inline(src: string, opts: RenderOptions = {}): Inline[] {
  const out: Inline[] = [];
  let text = '';
  let textStart = 0;
  const flush = (at: number) => {
    if (text) {
      const base = textStart;
      // What follows a step reference in the source (to tell which recording it cites).
      out.push(...withSteps(text, opts, (end) => src.slice(base + end, base + end + 80)));
    }
    text = '';
    textStart = at;
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? '';
    if (ch === '\\' && stickyAt(ESCAPE, src, i)) {
      text += src[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (ch === '\n') {
      text += ' ';
      i++;
      continue;
    }
    if (ch === '`') {
      const run = stickyAt(BACKTICKS, src, i)?.[0] ?? '`';
      const close = src.indexOf(run, i + run.length);
      if (close > i) {
        flush(i);
        out.push({
          t: 'code',
          text: src
            .slice(i + run.length, close)
            .replace(/\n/g, ' ')
            .replace(/^ (.*) $/, '$1'),
        });
        i = close + run.length;
        textStart = i;
        continue;
      }
      text += run;
      i += run.length;
      continue;
    }
    const emph =
      ch === '*' || ch === '_' || ch === '~' ? stickyAt(EMPHASIS, src, i)?.[0] : undefined;
    if (emph && !(emph[0] === '_' && /\w/.test(src[i - 1] ?? ''))) {
      const close = findClose(src, i + emph.length, emph);
      if (close > i + emph.length && !/\s/.test(src[i + emph.length] ?? ' ')) {
        flush(i);
        const t = emph === '~~' ? 's' : emph.length === 2 ? 'b' : 'i';
        out.push({ t, c: inline(src.slice(i + emph.length, close), opts) });
        i = close + emph.length;
        textStart = i;
        continue;
      }
      text += emph;
      i += emph.length;
      continue;
    }
    const link = ch === '[' || ch === '!' ? stickyAt(LINK, src, i) : null;
    if (link) {
      flush(i);
      const [whole, bang, label = '', href = ''] = link;
      if (bang) out.push(`[image: ${label || href}]`);
      else if (/^https?:\/\//i.test(href)) out.push({ t: 'link', href, c: inline(label, opts) });
      else out.push(...inline(label, opts));
      i += whole.length;
      textStart = i;
      continue;
    }
    const auto = ch === '<' ? stickyAt(AUTOLINK, src, i) : null;
    if (auto) {
      flush(i);
      out.push({ t: 'link', href: auto[1] ?? '', c: [auto[1] ?? ''] });
      i += auto[0].length;
      textStart = i;
      continue;
    }
    text += ch;
    i++;
  }
  flush(i);
  return out;
}

/** The closing delimiter of an emphasis opened before `from`; -1 if none close enough. */
function findClose(src: string, from: number, marker: string): number {
  const limit = Math.min(src.length, from + MAX_EMPHASIS);
  let i = from;
  while (i < limit) {
    const at = src.indexOf(marker, i);
    if (at < 0 || at >= limit) return -1;
    if (src[at - 1] === '\\') {
      i = at + 1;
      continue;
    }
    // A single `*` must not close on the first half of a `**`.
    if (marker.length === 1 && src[at + 1] === marker) {
      i = at + 2;
      continue;
    }
    if (marker === '_' && /\w/.test(src[at + 1] ?? '')) {
      i = at + 1;
      continue;
    }
    if (/\s/.test(src[at - 1] ?? ' ')) {
      i = at + 1;
      continue;
    }
    return at;
  }
  return -1;
}

/** The text a block tree reads as (tests compare streaming and final renderings with it). */
export function plainText(tree: readonly Block[]): string {
  const inl = (c: readonly Inline[]): string =>
    c.map((x) => (typeof x === 'string' ? x : 'text' in x ? x.text : inl(x.c))).join('');
  const block = (b: Block): string => {
    switch (b.t) {
      case 'p':
      case 'h':
        return inl(b.c);
      case 'summary':
        return `Summary: ${inl(b.c)}`;
      case 'ul':
      case 'ol':
        return b.items.map((it) => `${inl(it.c)}${it.sub ? `\n${block(it.sub)}` : ''}`).join('\n');
      case 'quote':
        return b.c.map(block).join('\n');
      case 'code':
        return b.text;
      case 'table':
        return [b.head, ...b.rows].map((r) => r.map(inl).join(' | ')).join('\n');
      case 'hr':
        return '';
    }
  };
  return tree.map(block).join('\n');
}
