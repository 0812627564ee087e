// Changes inside values whose repr is cut (deltas) read the same in every view: the NExT text, the
// inline decorations, the hover and the timeline's text (changesText).
import { describe, expect, it } from 'vitest';
import { changeParts, changesText, partText } from '../../../src/core/render/changes';
import { buildDecorations } from '../../../src/core/render/decorations';
import { buildHover } from '../../../src/core/render/hover';
import { renderNext } from '../../../src/core/render/next';
import type { Trace } from '../../../src/core/trace/model';
import { TraceBuilder } from './traceBuilder';
import { HOVER_COMMANDS } from '../../../src/extension/contributes/commands';

const SRC = [
  'memo = make()', // 1
  'for i, j in pairs:', // 2
  '    memo[i, j] = i * j', // 3
  'del book["x"]', // 4
  'seen.add(4)', // 5
  'tmp = 1', // 6
  'del tmp', // 7
].join('\n');

const CUT = '{(0, 0): 0, (0, 1): 0, ...(191 more)}';

function deltaTrace(): Trace {
  const b = new TraceBuilder().source('main.py', SRC).call('main.py', '<module>', 1);
  b.line(1, { memo: `defaultdict(${CUT})` });
  for (const [i, j] of [
    [3, 5],
    [3, 6],
    [4, 0],
  ] as const) {
    b.line(2, { i: String(i), j: String(j) });
    b.change(3, {}, { deltas: [{ path: `memo[${i}, ${j}]`, op: '=', value: String(i * j) }] });
  }
  b.change(4, {}, { deltas: [{ path: "book['x']", op: 'del' }] });
  b.change(
    5,
    {},
    {
      deltas: [
        { path: 'seen', op: 'add', value: '4' },
        { path: 'seen', op: 'add', value: '5' },
      ],
    },
  );
  b.line(6, { tmp: '1' });
  b.change(7, {}, { deleted: ['tmp'], deltas: [{ path: 'memo', op: 'more', value: '12' }] });
  return b.ret(7, 'None').build();
}

describe('what an event changed', () => {
  it('lists bindings, deletions, deltas, then return / exception, each as text', () => {
    const t = deltaTrace();
    const line7 = t.events.find((e) => e.line === 7 && e.kind === 'line')!;
    expect(changeParts(line7).map((p) => partText(p))).toEqual([
      'del tmp',
      '...(12 more changes in memo)',
    ]);
    const line3 = t.events.find((e) => e.line === 3)!;
    expect(changesText(line3)).toBe('memo[3, 5]=15');
    const line5 = t.events.find((e) => e.line === 5)!;
    expect(changesText(line5, { separator: ' ' })).toBe('seen.add(4) seen.add(5)');
    // Values are cut the NExT way, the container path never.
    expect(
      partText(changeParts(t.events.find((e) => e.line === 1 && e.kind === 'line')!)[0]!, 12),
    ).toBe('memo=defaultdi...');
  });

  it('writes deltas as NExT entries with `;`', () => {
    const text = renderNext(deltaTrace()).text;
    expect(text).toContain(
      '    memo[i, j] = i * j  # (3) memo[3, 5]=15; (5) memo[3, 6]=18; (7) memo[4, 0]=0;\n',
    );
    expect(text).toContain(`del book["x"]  # (8) del book['x'];\n`);
    expect(text).toContain('seen.add(4)  # (9) seen.add(4); seen.add(5);\n');
    expect(text).toContain('del tmp  # (11) del tmp; ...(12 more changes in memo);\n');
  });

  it('shows deltas inline as histories of their paths', () => {
    const [main] = buildDecorations(deltaTrace(), { maxWidth: 200 });
    const text = (line: number) => main!.lines.find((l) => l.line === line)?.text;
    expect(text(3)).toBe('memo[3, 5] = 15; memo[3, 6] = 18; memo[4, 0] = 0');
    expect(text(4)).toBe("del book['x']");
    expect(text(5)).toBe('seen.add(4 → 5)');
    expect(text(7)).toBe('del tmp; ...(12 more changes in memo)');
  });

  it('lists deltas in the hover row of each execution', () => {
    const hover = buildHover(deltaTrace(), 'main.py', 3, { commands: HOVER_COMMANDS })!;
    expect(hover.rows.map((r) => r.deltas)).toEqual([
      ['memo[3, 5]=15'],
      ['memo[3, 6]=18'],
      ['memo[4, 0]=0'],
    ]);
    expect(hover.markdown).toContain('`memo[3, 5]=15`');
    const del = buildHover(deltaTrace(), 'main.py', 7, { commands: HOVER_COMMANDS })!;
    expect(del.rows[0]).toMatchObject({
      deleted: ['tmp'],
      deltas: ['...(12 more changes in memo)'],
    });
  });
});
