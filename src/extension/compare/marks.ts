// The inline marks of a comparison, free of `vscode` (unit-tested): on each line where the failing
// run parts from the passing one, what the passing run had there — its values where a value differs
// (`≠ at HEAD: w=3`), that it did not run the line, or the line it took instead.
import type { RunComparison } from '../../core/compare/compare';
import type { RunLabels } from '../../core/compare/format';
import type { Divergence } from '../../core/compare/divergence';
import { clip } from '../../core/render/valueHistory';

export interface CompareMark {
  /** The failing run's file (relative to its root) and recorded line. */
  file: string;
  line: number;
  text: string;
  /** The first divergence is on this line. */
  first: boolean;
}

const VALUE_WIDTH = 60;
const MARK_WIDTH = 160;

function markOf(d: Divergence, labels: RunLabels): Omit<CompareMark, 'first'> | undefined {
  const at = labels.bShort;
  if (d.kind === 'value' && d.a) {
    const values = d.values
      .map((v) => `${v.name}=${clip((v.b ?? '(not set)').replace(/\n/g, '\\n'), VALUE_WIDTH)}`)
      .join(', ');
    return { file: d.a.file, line: d.a.line, text: `≠ ${at}: ${values}` };
  }
  if (d.a && d.b)
    return {
      file: d.a.file,
      line: d.a.line,
      text: `≠ ${at} took ${d.b.file === d.a.file ? `its line ${d.b.line}` : `${d.b.file}:${d.b.line}`} instead`,
    };
  if (d.a) return { file: d.a.file, line: d.a.line, text: `≠ not run ${at}` };
  if (d.b && d.aNext)
    return {
      file: d.aNext.file,
      line: d.aNext.line,
      text: `≠ ${at} ran ${d.b.file}:${d.b.line}${d.b.source ? ` \`${clip(d.b.source, VALUE_WIDTH)}\`` : ''} before this`,
    };
  return undefined;
}

/** One mark per line (the divergences of one line joined), the first divergence's flagged. */
export function compareMarks(cmp: RunComparison, labels: RunLabels): CompareMark[] {
  const all = cmp.firstFlow ? [...cmp.divergences, cmp.firstFlow] : cmp.divergences;
  const byLine = new Map<string, CompareMark>();
  all.forEach((d, k) => {
    const m = markOf(d, labels);
    if (!m) return;
    const key = `${m.file}:${m.line}`;
    const known = byLine.get(key);
    if (known) known.text = clip(`${known.text} · ${m.text.replace(/^≠ /, '')}`, MARK_WIDTH);
    else byLine.set(key, { ...m, text: clip(m.text, MARK_WIDTH), first: k === 0 });
  });
  return [...byLine.values()];
}
