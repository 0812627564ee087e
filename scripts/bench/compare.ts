// `npm run bench -- compare`: the cost of comparing two recordings (compare/compare.ts: the source
// maps, the call-tree and line alignment, the divergence scan), on pairs of real recordings of
// ~200k events each:
//  1. the same program twice (no divergence: the whole of both runs aligned and compared);
//  2. a regression in a helper halfway through (every later value differs);
//  3. a branch that goes the other way halfway through (every later step differs in control flow);
//  4. the regression with lines added above it between the runs (the line maps at work);
//  5. both runs cut at the default --max-events (compared on what both kept).
// Each pair is recorded once; the comparison runs BENCH_RUNS times (default 5) on fresh copies of the
// two traces (nothing cached) and the median and the slowest are printed. BENCH_PYTHON picks the
// interpreter, BENCH_ITERATIONS the loop length (default 13,000: ~200k events).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compareRuns } from '../../src/core/compare/compare';
import { parseTrace, traceToJson } from '../../src/core/trace/json';
import type { Trace } from '../../src/core/trace/model';
import { recordTrace } from '../../src/core/trace/record';

const runs = Number(process.env.BENCH_RUNS ?? 5);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 13_000);
const python = process.env.BENCH_PYTHON || undefined;

interface Variant {
  /** Replaces `    return v * k` in scale(). */
  scale?: string;
  /** Replaces `    if v % 7 == 0:` in step(). */
  branch?: string;
  /** Lines put above everything. */
  header?: string;
}

function program(v: Variant): string {
  return `${v.header ?? ''}class Acc:
    def __init__(self):
        self.total = 0
        self.count = 0

    def add(self, x):
        self.total += x
        self.count += 1


def scale(v, k):
${v.scale ?? '    return v * k'}


def step(acc, i):
    v = scale(i, 3)
${v.branch ?? '    if v % 7 == 0:'}
        v = v // 7
    acc.add(v)
    return v


def run(n):
    acc = Acc()
    for i in range(n):
        step(acc, i)
    return acc.total


if __name__ == "__main__":
    print(run(${iterations}))
`;
}

const half = Math.floor(iterations / 2);
const variants: Record<string, Variant> = {
  base: {},
  regression: { scale: `    return v * k + (1 if v >= ${half} else 0)` },
  branch: { branch: `    if v % 7 == 0 or v > ${half * 3}:` },
  moved: {
    header: '"""Accumulation."""\nimport math\n\nLIMIT = 10\n\n\n',
    scale: `    return v * k + (1 if v >= ${half} else 0)`,
  },
};

async function record(dir: string, name: string, maxSteps: number): Promise<Trace> {
  const folder = path.join(dir, `${name}-${maxSteps}`);
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'prog.py'), program(variants[name] ?? {}));
  return recordTrace({
    target: { kind: 'script', path: 'prog.py' },
    cwd: folder,
    python,
    limits: { maxSteps, timeoutMs: 300_000 },
  });
}

interface Timing {
  /** Wall-clock ms per run, sorted. */
  ms: number[];
  /** CPU ms (user + system) of this process per run, sorted: on a machine shared with other work
   * this still measures the comparison itself. */
  cpu: number[];
  steps: number;
  places: number;
  matched: number;
}

function time(a: Trace, b: Trace): Timing {
  const ja = traceToJson(a);
  const jb = traceToJson(b);
  const ms: number[] = [];
  const cpu: number[] = [];
  let last = { steps: 0, places: 0, matched: 0 };
  for (let r = 0; r < runs; r++) {
    const fa = parseTrace(ja);
    const fb = parseTrace(jb);
    const started = performance.now();
    const c0 = process.cpuUsage();
    const c = compareRuns(fa, fb);
    const used = process.cpuUsage(c0);
    ms.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
    last = { steps: c.steps, places: c.places, matched: c.matched };
  }
  const sorted = (x: number[]): number[] => x.sort((p, q) => p - q);
  return { ms: sorted(ms), cpu: sorted(cpu), ...last };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tfx-bench-compare-'));
  try {
    const big = 1_000_000;
    process.stderr.write(`recording ${iterations} iterations of each program…\n`);
    const base = await record(dir, 'base', big);
    const base2 = await record(dir, 'base', big + 1);
    const regression = await record(dir, 'regression', big);
    const branch = await record(dir, 'branch', big);
    const moved = await record(dir, 'moved', big);
    const cutA = await record(dir, 'regression', 20_000);
    const cutB = await record(dir, 'base', 20_000);
    const rows: string[][] = [
      [
        'pair',
        'events A / B',
        'aligned',
        'divergent steps / places',
        'median',
        'slowest',
        'CPU median',
      ],
    ];
    const cases: [string, Trace, Trace][] = [
      ['same program twice', base, base2],
      ['regression halfway', regression, base],
      ['other branch halfway', branch, base],
      ['regression + lines added', moved, base],
      ['both cut at --max-events 20000', cutA, cutB],
    ];
    for (const [name, a, b] of cases) {
      const t = time(a, b);
      rows.push([
        name,
        `${a.outcome.eventCount} / ${b.outcome.eventCount}`,
        String(t.matched),
        `${t.steps} / ${t.places}`,
        `${Math.round(t.ms[Math.floor(t.ms.length / 2)] ?? 0)} ms`,
        `${Math.round(t.ms[t.ms.length - 1] ?? 0)} ms`,
        `${Math.round(t.cpu[Math.floor(t.cpu.length / 2)] ?? 0)} ms`,
      ]);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
    process.stdout.write(
      `compareRuns on real recordings (${runs} runs each, fresh traces, Node ${process.version})\n` +
        rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n') +
        '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
