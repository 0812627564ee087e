// The Explanation view's Markdown: what the model writes becomes a tree of plain data, never HTML;
// step references become links only where the resolver knows the step.
import { describe, expect, it } from 'vitest';
import { inline, parseMarkdown, type StepResolver } from '../../../src/extension/explain/markdown';
import type { Block, Inline } from '../../../src/extension/explain/protocol';

/** The text a block tree reads as. */
function plainText(tree: readonly Block[]): string {
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
        return b.items
          .map((it) => [inl(it.c), ...(it.blocks ?? []).map(block)].join('\n'))
          .join('\n');
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

const known: StepResolver = (step) => (step <= 10 ? { rec: 7, title: `step ${step}` } : undefined);

describe('parseMarkdown', () => {
  it('renders code spans, bold, italic and strikethrough instead of showing the marks', () => {
    expect(inline('At (3) `low` is **0**, *not* ~~5~~.')).toEqual([
      'At (3) ',
      { t: 'code', text: 'low' },
      ' is ',
      { t: 'b', c: ['0'] },
      ', ',
      { t: 'i', c: ['not'] },
      ' ',
      { t: 's', c: ['5'] },
      '.',
    ]);
  });

  it('keeps snake_case names and lone stars as text', () => {
    expect(inline('low_value and high_value * 2')).toEqual(['low_value and high_value * 2']);
    expect(inline('a ** b')).toEqual(['a ** b']);
  });

  it('code spans of several backticks, and an unclosed one stays text', () => {
    expect(inline('``a ` b`` and `x')).toEqual([{ t: 'code', text: 'a ` b' }, ' and `x']);
  });

  it('turns step references into links to the recording the resolver names', () => {
    expect(
      inline('At (3) low=0; see step 4, and f(5) is a call, (42) is beyond the trace.', {
        resolveStep: known,
      }),
    ).toEqual([
      'At ',
      { t: 'step', step: 3, rec: 7, text: '(3)', title: 'step 3' },
      ' low=0; see ',
      { t: 'step', step: 4, rec: 7, text: 'step 4', title: 'step 4' },
      ', and f(5) is a call, (42) is beyond the trace.',
    ]);
  });

  it('passes what follows a reference to the resolver (to tell which run it cites)', () => {
    const seen: string[] = [];
    inline('(2) `low = 1` then (3)', {
      resolveStep: (step, following) => (seen.push(`${step}:${following}`), undefined),
    });
    expect(seen).toEqual(['2: `low = 1` then (3)', '3:']);
  });

  it('does not link steps inside code spans', () => {
    expect(inline('`f(3)` and `(3)`', { resolveStep: known })).toEqual([
      { t: 'code', text: 'f(3)' },
      ' and ',
      { t: 'code', text: '(3)' },
    ]);
  });

  it('links only http(s) addresses (opened through VS Code), shows images as their alt text, never HTML', () => {
    expect(
      inline(
        '[docs](https://docs.python.org/3/) [x](javascript:void) ![chart](https://e.com/c.png) <b>bold</b> <https://a.b/c>',
      ),
    ).toEqual([
      { t: 'link', href: 'https://docs.python.org/3/', c: ['docs'] },
      // A link to anything but http(s) is not a link: it reads as the model wrote it.
      ' [x](javascript:void) [image: chart] <b>bold</b> ',
      { t: 'link', href: 'https://a.b/c', c: ['https://a.b/c'] },
    ]);
  });

  it('blocks: headings, lists with a nested list, quotes, fenced code, tables, rules and the Summary line', () => {
    const md = [
      '## Why it fails',
      '',
      'The loop starts',
      'from 0.',
      '',
      '1. first',
      '2. second',
      '   - nested',
      '',
      '> quoted `x`',
      '',
      '```python',
      'low = values[0]',
      '```',
      '',
      '| name | value |',
      '|------|-------|',
      '| low | 0 |',
      '',
      '---',
      '**Summary:** start `low` at the first value',
    ].join('\n');
    const tree = parseMarkdown(md);
    expect(tree.map((b) => b.t)).toEqual([
      'h',
      'p',
      'ol',
      'quote',
      'code',
      'table',
      'hr',
      'summary',
    ]);
    expect(tree[1]).toEqual({ t: 'p', c: ['The loop starts from 0.'] });
    const ol = tree[2] as Extract<Block, { items: unknown }>;
    expect(ol.items.map((i) => i.c)).toEqual([['first'], ['second']]);
    expect(ol.items[1]?.blocks).toEqual([{ t: 'ul', items: [{ c: ['nested'] }] }]);
    expect(tree[4]).toEqual({ t: 'code', lang: 'python', text: 'low = values[0]' });
    expect(tree[5]).toEqual({ t: 'table', head: [['name'], ['value']], rows: [[['low'], ['0']]] });
    expect(tree[7]).toEqual({
      t: 'summary',
      c: ['start ', { t: 'code', text: 'low' }, ' at the first value'],
    });
  });

  it('a numbered list may start elsewhere and keeps going over blank lines', () => {
    const tree = parseMarkdown('3. c\n\n4. d\n\nafter');
    expect(tree[0]).toEqual({ t: 'ol', start: 3, items: [{ c: ['c'] }, { c: ['d'] }] });
    expect(tree[1]).toEqual({ t: 'p', c: ['after'] });
  });

  it('an unterminated fence while streaming shows what came so far as code', () => {
    expect(parseMarkdown('text\n```py\nx = 1')).toEqual([
      { t: 'p', c: ['text'] },
      { t: 'code', lang: 'py', text: 'x = 1' },
    ]);
  });

  it('while streaming, a code span or bold still open in the last paragraph is shown closed', () => {
    expect(parseMarkdown('First `a` done.\n\nso `spre', { streaming: true })).toEqual([
      { t: 'p', c: ['First ', { t: 'code', text: 'a' }, ' done.'] },
      { t: 'p', c: ['so ', { t: 'code', text: 'spre' }] },
    ]);
    expect(parseMarkdown('a **bold', { streaming: true })).toEqual([
      { t: 'p', c: ['a ', { t: 'b', c: ['bold'] }] },
    ]);
    expect(parseMarkdown('so `spre')).toEqual([{ t: 'p', c: ['so `spre'] }]);
  });

  it('plainText reads the tree as text', () => {
    expect(
      plainText(
        parseMarkdown('At (3) `low` is **0**.\n\nSummary: start at values[0]', {
          resolveStep: known,
        }),
      ),
    ).toBe('At (3) low is 0.\nSummary: start at values[0]');
  });

  it('a Summary line splits the text around it, but not inside code', () => {
    const tree = parseMarkdown(
      [
        'The loop starts at 0',
        'Summary: start at `values[0]`',
        'more',
        '',
        '```python',
        '# Summary: not this',
        '```',
      ].join('\n'),
    );
    expect(tree).toEqual([
      { t: 'p', c: ['The loop starts at 0'] },
      { t: 'summary', c: ['start at ', { t: 'code', text: 'values[0]' }] },
      { t: 'p', c: ['more'] },
      { t: 'code', lang: 'python', text: '# Summary: not this' },
    ]);
  });

  it('deep quotes and lists are shown flat past a few levels, with all their text', () => {
    const deep = parseMarkdown(`${'>'.repeat(10)} deep`);
    let quotes = 0;
    for (let b: Block | undefined = deep[0]; b?.t === 'quote'; b = b.c[0]) quotes++;
    expect(quotes).toBe(4);
    expect(plainText(deep)).toBe('deep');
    const list = Array.from({ length: 10 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    expect(plainText(parseMarkdown(list)).split('\n')).toEqual(
      Array.from({ length: 10 }, (_, i) => `item ${i}`),
    );
  });

  it('hostile nesting (2,000 levels of lists or quotes) renders without blowing the stack', () => {
    const lists = Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i * 2)}- a`).join('\n');
    expect(parseMarkdown(lists).length).toBeGreaterThan(0);
    expect(parseMarkdown(`${'>'.repeat(2000)} a`).length).toBeGreaterThan(0);
  });

  it('a long text full of stray marks renders (emphasis closes only nearby)', () => {
    const text = `${'* a '.repeat(20_000)}\n\n${'`'.repeat(3)}x`;
    const tree = parseMarkdown(text.replace(/^\* /, 'x '));
    expect(plainText(tree).length).toBeGreaterThan(50_000);
  });
});
