// `npm run bench -- model`: what the readers of one recording cost to index it, on a synthetic
// recording of ~300,000 events (BENCH_ITERATIONS outer iterations of ~10 events: a loop calling a
// function that loops and calls a recursive helper), assembled by the real assembler into the column
// store, kept whole (no gap) and again cut at the default limit (a gap). Per reader, in the order the
// editor and the first Explain & Fix prompt meet them: the time of its first and second ask and the
// heap it keeps. Figures are printed, never asserted.
import { indexTrace } from '../../src/core/render/traceIndex';
import { buildDecorations } from '../../src/core/render/decorations';
import { Timeline } from '../../src/core/replay/timeline';
import { traceView } from '../../src/core/tools/traceView';
import { TraceAssembler } from '../../src/core/trace/assemble';
import { localsAt } from '../../src/core/trace/locals';
import { DEFAULT_LIMITS, type Trace } from '../../src/core/trace/model';
import type { RawRecord } from '../../src/core/trace/records';
import { RecordingModel, recordingModel } from '../../src/core/trace/recordingModel'; // model-only
import { traceOfAssembly } from '../../test/support/recordedTrace';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 16_700);

const SOURCE = [
  'def g(n):',
  '    if n <= 0: return 0',
  '    return n + g(n - 1)',
  'def f(k):',
  '    acc = 0',
  '    for j in range(2):',
  '        acc += j * k',
  '    return acc + g(1)',
  'total = 0',
  'for k in range(N):',
  '    total += f(k)',
].join('\n');

function synthetic(maxEvents: number): Trace {
  const asm = new TraceAssembler(maxEvents);
  const NO = [0, 0, 0] as const;
  let id = 1;
  asm.push([
    ['F', 0, 'prog.py'],
    ['C', 1, 0, 0, 1, '<module>', 0, 0, 'm'],
    ['L', 1, 9],
    ['L', 1, 10, { total: '0' }],
  ]);
  let total = 0;
  for (let k = 0; k < iterations; k++) {
    const recs: RawRecord[] = [['L', 1, 11, { k: String(k) }]];
    const f = ++id;
    recs.push(
      ['C', f, 1, 0, 4, 'f', 1, { k: String(k) }, 'f'],
      ['L', f, 5],
      ['L', f, 6, { acc: '0' }],
    );
    let acc = 0;
    for (let j = 0; j < 2; j++) {
      recs.push(['L', f, 7, { j: String(j) }]);
      acc += j * k;
      recs.push(['L', f, 6, { acc: String(acc) }]);
    }
    recs.push(['L', f, 8]);
    const g1 = ++id;
    const g0 = ++id;
    recs.push(
      ['C', g1, f, 0, 1, 'g', 2, { n: '1' }, 'f'],
      ['L', g1, 2],
      ['L', g1, 3],
      ['C', g0, g1, 0, 1, 'g', 3, { n: '0' }, 'f'],
      ['L', g0, 2],
      ['R', g0, 2, 'r', '0', ...NO],
      ['R', g1, 3, 'r', '1', ...NO],
      ['R', f, 8, 'r', String(acc + 1), ...NO],
    );
    total += acc + 1;
    recs.push(['L', 1, 10, { total: String(total) }]);
    asm.push(recs);
  }
  asm.push([
    ['R', 1, 10, 'r', 'None', ...NO],
    ['E', 'exit', 0, 1, null],
  ]);
  asm.finish();
  return traceOfAssembly(asm, { file: 'prog.py', source: SOURCE, maxEvents });
}

function heap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
const ms = (t: number) => `${t.toFixed(1)} ms`;

function measure(label: string, fn: () => unknown, keep: unknown[]): void {
  const h0 = heap();
  const t0 = performance.now();
  keep.push(fn());
  const t1 = performance.now();
  const h1 = heap();
  const t2 = performance.now();
  fn();
  const t3 = performance.now();
  console.log(
    `  ${label.padEnd(34)} first ${ms(t1 - t0).padStart(10)}   again ${ms(t3 - t2).padStart(10)}   keeps ${mb(h1 - h0).padStart(9)}`,
  );
}

for (const [name, maxEvents] of [
  ['kept whole', 10_000_000],
  ['cut at the default limit', DEFAULT_LIMITS.maxSteps],
] as const) {
  const trace = synthetic(maxEvents);
  const keep: unknown[] = [];
  const start = heap();
  const builds = RecordingModel.builds; // model-only
  console.log(
    `${name}: ${trace.events.length.toLocaleString('en-US')} events kept of ${trace.outcome.eventCount.toLocaleString('en-US')}`,
  );
  measure('recording model', () => recordingModel(trace), keep); // model-only
  measure('NExT index (indexTrace)', () => indexTrace(trace), keep);
  measure('tools (traceView)', () => traceView(trace), keep);
  measure('replay (new Timeline)', () => new Timeline(trace.events, trace.elided), keep);
  measure('locals at the last event', () => localsAt(trace, trace.events.length - 1), keep);
  measure('decorations (buildDecorations)', () => buildDecorations(trace), keep);
  console.log(`  all of them keep ${mb(heap() - start)}`);
  console.log(`  recording models built: ${RecordingModel.builds - builds}`); // model-only
}
