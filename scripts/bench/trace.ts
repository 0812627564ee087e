// `npm run bench:trace`: events/s of the default (logpoint) engine, the stepping engine and an
// in-process sys.settrace reference on programs of ~20, ~2,000 and ~20,000 line events.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findInterpreter } from '../../src/core/dap/python';
import { recordTrace } from '../../src/core/trace/record';

const program = (iterations: number) => `def step(i, acc):
    acc.append(i % 7)
    return len(acc)


acc = []
total = 0
for i in range(${iterations}):
    if i % 3 == 0:
        total += step(i, acc)
    else:
        total += i
`;

const SIZES: [string, number][] = [['~20', 5], ['~2,000', 560], ['~20,000', 5600]];
const STEP_MAX = Number(process.env.BENCH_STEP_MAX ?? 2500);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const interp = await findInterpreter({});
  const dir = mkdtempSync(path.join(tmpdir(), 'tfx-bench-'));
  const helper = path.resolve(process.cwd(), 'src/core/trace/debuggee');
  const reference = path.resolve(process.cwd(), 'test/support/reference_tracer.py');
  console.log(`python ${interp.version} (${interp.python}), debugpy ${interp.debugpyVersion}; median of ${runs} runs`);
  console.log('events/s = line events / recording time (measured inside the Python process, from the start of');
  console.log('recording to its end); wall = whole run including launch and teardown.');
  console.log('| program | engine | line events | reference events | lost | wall ms | startup ms | recording ms | events/s | vs reference |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [label, n] of SIZES) {
    const file = path.join(dir, `prog_${n}.py`);
    writeFileSync(file, program(n));
    const refTimes: number[] = [];
    const refRec: number[] = [];
    let refLines = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const out = execFileSync(interp.python, [reference, helper, file], { encoding: 'utf8' });
      refTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const r = JSON.parse(out) as { lines: number; recordingMs: number };
      refLines = r.lines;
      refRec.push(r.recordingMs);
    }
    const refMs = median(refTimes);
    const refRate = (refLines / Math.max(median(refRec), 0.1)) * 1000;
    console.log(`| ${label} | settrace reference | ${refLines} | ${refLines} | 0 | ${refMs.toFixed(0)} | - | ${median(refRec)} | ${refRate.toFixed(0)} | 1.00 |`);
    for (const engine of ['fast', 'step'] as const) {
      if (engine === 'step' && refLines > STEP_MAX) {
        console.log(`| ${label} | step | (skipped: > ${STEP_MAX} events; set BENCH_STEP_MAX) | | | | | | |`);
        continue;
      }
      const walls: number[] = [];
      const startups: number[] = [];
      const recs: number[] = [];
      let lines = 0;
      for (let i = 0; i < (engine === 'step' ? 1 : runs); i++) {
        const t0 = Date.now();
        const t = await recordTrace({ target: { kind: 'script', path: file }, cwd: dir, engine, python: interp.python, limits: { maxSteps: 1e7, timeoutMs: 600_000 } });
        walls.push(Date.now() - t0);
        startups.push(t.outcome.startupMs);
        recs.push(t.outcome.recordingMs ?? NaN);
        lines = t.events.filter((e) => e.kind === 'line').length;
      }
      const wall = median(walls);
      const rec = median(recs);
      const rate = (lines / Math.max(rec, 0.1)) * 1000;
      console.log(`| ${label} | ${engine} | ${lines} | ${refLines} | ${refLines - lines} | ${wall} | ${median(startups)} | ${rec} | ${rate.toFixed(0)} | ${(rate / refRate).toFixed(2)} |`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
