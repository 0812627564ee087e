// The timeline's rows of a recording aligned with a passing run, free of `vscode` (unit-tested):
// the recording's own rows in order, each matched step carrying what the passing run changed there
// when that differs, the steps only the passing run took placed where they happened (negative row
// ids), and marks where the runs part.
import { alignmentOf, compareRuns, type RunComparison } from '../../core/compare/compare';
import { ROW_MARK } from '../../core/compare/divergence';
import { divergenceHead, type RunLabels } from '../../core/compare/format';
import { clip } from '../../core/render/valueHistory';
import type { Trace, TraceEvent } from '../../core/trace/model';
import type { CompareHeader, TimelineRow } from './protocol';
import { changeText, rowOf } from './rows';

const ROW_TEXT = 100;

export interface ComparedRows {
  rows: TimelineRow[];
  header: CompareHeader;
  comparison: RunComparison;
}

/** The row id of the passing run's event `j` (only-passing rows). */
export const passingRowId = (j: number): number => -(j + 1);
/** The passing run's event of a row id below 0. */
export const passingEventOf = (i: number): number => -i - 1;

export function comparedRows(
  failing: Trace,
  passing: Trace,
  o: { description: string; labels: RunLabels },
): ComparedRows {
  const al = alignmentOf(failing, passing);
  const marks = new Uint8Array(al.rows.length / 2);
  const comparison = compareRuns(failing, passing, { marks });
  const first = comparison.divergences[0];
  const firstId = first?.a ? first.a.index : first?.b ? passingRowId(first.b.index) : undefined;
  const rows: TimelineRow[] = [];
  for (let r = 0; r < marks.length; r++) {
    const x = al.rows[2 * r] as number;
    const y = al.rows[2 * r + 1] as number;
    const mark = marks[r] as number;
    let row: TimelineRow;
    if (x >= 0) {
      const e = failing.events.at(x) as TraceEvent;
      row = rowOf(e);
      if (y >= 0) {
        const theirs = clip(changeText(passing.events.at(y) as TraceEvent), ROW_TEXT);
        if (theirs !== row.text) row.b = theirs;
        if (mark === ROW_MARK.value) row.mark = 'value';
      } else row.mark = mark === ROW_MARK.notCompared ? 'skipped' : 'only-a';
    } else {
      const e = passing.events.at(y) as TraceEvent;
      row = { ...rowOf(e), i: passingRowId(y) };
      row.mark = mark === ROW_MARK.notCompared ? 'skipped' : 'only-b';
    }
    if (row.i === firstId) row.first = true;
    rows.push(row);
  }
  const header: CompareHeader = {
    title: `Compared with ${o.description}`,
    bShort: o.labels.bShort,
    summary: first
      ? `First divergence: ${divergenceHead(first, o.labels)} — ${comparison.steps} divergent step${comparison.steps === 1 ? '' : 's'} at ${comparison.places} place${comparison.places === 1 ? '' : 's'}`
      : 'No divergence: both runs took the same steps with the same values',
  };
  if (firstId !== undefined) header.first = firstId;
  return { rows, header, comparison };
}
