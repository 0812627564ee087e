// The Markdown of a model's rationale as the Explanation view shows it: parsed by markdown-it (the
// parser of VS Code's own Markdown preview: CommonMark with tables and strikethrough, raw HTML off,
// nesting bounded, linear on hostile text) and mapped to the small tree of plain data the webview
// renders (protocol.ts; no HTML string ever reaches the webview, it builds DOM nodes with
// textContent). Links open only http(s) addresses (through VS Code), images show their alt text,
// trace step references such as `(7)` become links, and the answer's "Summary:" line is a block of
// its own. markdown-it is loaded at the first explanation, not at activation (the production build
// keeps it in dist/vendor/markdown-it.js). Free of `vscode` (unit-tested).
import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { summaryOfLine } from '../../core/model/answer/prose';
import type { Block, Inline, ListItem } from './protocol';

/** Where a step reference `(k)` points: the recording it cites, or undefined (then it stays text). */
export type StepResolver = (
  step: number,
  following: string,
) => { rec: number; title: string } | undefined;

export interface RenderOptions {
  resolveStep?: StepResolver;
  /** The text is still streaming: a code span or bold opened in its last paragraph is shown closed,
   * so it does not flash as raw backticks / stars until the model closes it. */
  streaming?: boolean;
}

let loaded: MarkdownIt | undefined;

/** The parser (loaded once): raw HTML off, so an HTML tag the model writes stays text. */
function parser(): MarkdownIt {
  if (!loaded) {
    // A synchronous require keeps rendering synchronous; esbuild redirects it to the vendor file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ctor = require('markdown-it') as typeof MarkdownIt;
    loaded = new Ctor('default', { html: false, linkify: false, typographer: false });
  }
  return loaded;
}

/** Quotes and lists nest this deep in the view; deeper ones are shown flat. */
const MAX_DEPTH = 4;
/** How much of the source after a step reference the resolver sees (a cited value, e.g. `low=1`). */
const FOLLOWING = 80;
/** `(7)` (not `f(7)`), `step 7`, `steps (7)`: as the answer parser finds cited steps. */
const STEP = /(?<![\w)\]])\((\d{1,6})\)|\bsteps?\s+\(?(\d{1,6})\)?/gi;

export function parseMarkdown(text: string, opts: RenderOptions = {}): Block[] {
  const src = text.replace(/\r\n?/g, '\n');
  return document(opts.streaming ? closeOpenSpans(src) : src, opts);
}

/** Inline Markdown of `src` (one paragraph's worth). */
export function inline(src: string, opts: RenderOptions = {}): Inline[] {
  const tokens = parser().parseInline(src.replace(/\r\n?/g, '\n'), {});
  return new Inlines(tokens[0]?.children ?? [], opts).all();
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

/** The blocks of `src`, each Summary line (outside code) a block of its own between the parts. */
function document(src: string, opts: RenderOptions): Block[] {
  const tokens = parser().parse(src, {});
  const lines = src.split('\n');
  const code = new Set<number>();
  for (const t of tokens)
    if ((t.type === 'fence' || t.type === 'code_block') && t.map)
      for (let l = t.map[0]; l < t.map[1]; l++) code.add(l);
  const summaries = lines.flatMap((l, i) =>
    !code.has(i) && summaryOfLine(l) !== undefined ? [i] : [],
  );
  if (summaries.length === 0) return new Blocks(tokens, opts).all();
  const out: Block[] = [];
  let from = 0;
  for (const at of summaries) {
    if (at > from)
      out.push(...new Blocks(parser().parse(lines.slice(from, at).join('\n'), {}), opts).all());
    out.push({ t: 'summary', c: inline(summaryOfLine(lines[at] ?? '') ?? '', opts) });
    from = at + 1;
  }
  if (from < lines.length)
    out.push(...new Blocks(parser().parse(lines.slice(from).join('\n'), {}), opts).all());
  return out;
}

/** Joins neighbouring strings (text split around softbreaks, plain links, …) into one. */
function merged(list: readonly Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const x of list) {
    const prev = out[out.length - 1];
    if (typeof x === 'string' && typeof prev === 'string') out[out.length - 1] = prev + x;
    else if (x !== '') out.push(x);
  }
  return out;
}

/** markdown-it's flat stream of block tokens → the block tree. */
class Blocks {
  private i = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly opts: RenderOptions,
  ) {}

  all(): Block[] {
    return this.until(undefined, 0);
  }

  /** Blocks up to the token closing the current container (consumed), or to the end. */
  private until(close: string | undefined, depth: number): Block[] {
    const out: Block[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.type === close) break;
      out.push(...this.block(t, depth));
    }
    return out;
  }

  private inlineUntil(close: string): Inline[] {
    let c: Inline[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.type === close) break;
      if (t.type === 'inline') c = new Inlines(t.children ?? [], this.opts).all();
    }
    return c;
  }

  private block(t: Token, depth: number): Block[] {
    switch (t.type) {
      case 'paragraph_open':
        return [{ t: 'p', c: this.inlineUntil('paragraph_close') }];
      case 'heading_open':
        return [{ t: 'h', level: Number(t.tag.slice(1)), c: this.inlineUntil('heading_close') }];
      case 'hr':
        return [{ t: 'hr' }];
      case 'fence':
      case 'code_block':
        return [
          {
            t: 'code',
            lang: t.info.trim().split(/\s+/)[0] ?? '',
            text: t.content.replace(/\n$/, ''),
          },
        ];
      case 'blockquote_open': {
        const c = this.until('blockquote_close', depth + 1);
        return depth >= MAX_DEPTH ? c : [{ t: 'quote', c }];
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        return this.list(t, depth);
      case 'table_open':
        return [this.table()];
      default:
        return [];
    }
  }

  private list(open: Token, depth: number): Block[] {
    const close = open.type === 'bullet_list_open' ? 'bullet_list_close' : 'ordered_list_close';
    const items: ListItem[] = [];
    const flat: Block[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.type === close) break;
      if (t.type !== 'list_item_open') continue;
      const [first, ...rest] = this.until('list_item_close', depth + 1);
      if (depth >= MAX_DEPTH) flat.push(...(first ? [first, ...rest] : []));
      else if (first?.t === 'p')
        items.push({ c: first.c, ...(rest.length ? { blocks: rest } : {}) });
      else items.push({ c: [], ...(first ? { blocks: [first, ...rest] } : {}) });
    }
    if (depth >= MAX_DEPTH) return flat;
    if (open.type === 'bullet_list_open') return [{ t: 'ul', items }];
    const start = Number(open.attrGet('start') ?? 1);
    return [{ t: 'ol', ...(start !== 1 ? { start } : {}), items }];
  }

  private table(): Block {
    const rows: Inline[][][] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.type === 'table_close') break;
      if (t.type === 'tr_open') rows.push([]);
      else if (t.type === 'inline')
        rows[rows.length - 1]?.push(new Inlines(t.children ?? [], this.opts).all());
    }
    const [head, ...body] = rows;
    return { t: 'table', head: head ?? [], rows: body };
  }
}

/** The source a token stands for, near enough to read a value cited after a step reference. */
function sourceOf(t: Token): string {
  switch (t.type) {
    case 'text':
      return t.content;
    case 'code_inline':
      return `${t.markup}${t.content}${t.markup}`;
    case 'softbreak':
    case 'hardbreak':
      return '\n';
    case 'link_open':
      return '[';
    case 'link_close':
      return ']';
    default:
      return t.markup;
  }
}

/** An inline token stream → inline nodes. */
class Inlines {
  private i = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly opts: RenderOptions,
  ) {}

  all(): Inline[] {
    return this.until(undefined);
  }

  private until(close: string | undefined): Inline[] {
    const out: Inline[] = [];
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.type === close) break;
      out.push(...this.inline(t));
    }
    return merged(out);
  }

  private inline(t: Token): Inline[] {
    switch (t.type) {
      case 'text':
        return this.withSteps(t.content);
      case 'code_inline':
        return [{ t: 'code', text: t.content }];
      case 'softbreak':
      case 'hardbreak':
        return [' '];
      case 'strong_open':
        return [{ t: 'b', c: this.until('strong_close') }];
      case 'em_open':
        return [{ t: 'i', c: this.until('em_close') }];
      case 's_open':
        return [{ t: 's', c: this.until('s_close') }];
      case 'link_open': {
        const href = t.attrGet('href') ?? '';
        const c = this.until('link_close');
        return /^https?:\/\//i.test(href) ? [{ t: 'link', href, c }] : c;
      }
      case 'image':
        return [`[image: ${t.content || t.attrGet('src') || ''}]`];
      default:
        return t.content ? [t.content] : [];
    }
  }

  /** A text, its step references linked where the resolver knows the step. */
  private withSteps(text: string): Inline[] {
    const resolve = this.opts.resolveStep;
    if (!resolve || !text) return text ? [text] : [];
    const out: Inline[] = [];
    let last = 0;
    for (const m of text.matchAll(STEP)) {
      const step = Number(m[1] ?? m[2]);
      const end = m.index + m[0].length;
      const target = resolve(step, this.following(text, end));
      if (!target) continue;
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push({ t: 'step', step, rec: target.rec, text: m[0], title: target.title });
      last = end;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  /** What follows position `end` of the text just read: "(2) `low = 1`" gives " `low = 1`". */
  private following(text: string, end: number): string {
    let s = text.slice(end);
    for (let j = this.i; j < this.tokens.length && s.length < FOLLOWING; j++)
      s += sourceOf(this.tokens[j]!);
    return s.slice(0, FOLLOWING);
  }
}
