// `npm run bench -- trace`: the recorder's speed, memory and start-up, printed as tables.
//  1. events/s of the fast engine against an in-process sys.settrace reference recording the same
//     data (test/support/reference_tracer.py), on programs of ~2k, ~20k, ~200k and ~1M line events;
//  2. a whole `tracefix trace` of ~1M events: peak RSS of the CLI and the size of the JSON;
//  3. the workspace curve: a tiny script beside 0, 1,000 and 10,000 real .py files (CPython's
//     stdlib and test suite) and beside one 6,000-line module — the time must not follow the folder;
//  4. the stepping engine on ~2k events (the slow reference);
//  5. 60 objects that all reference each other against the same script without the cycle (each
//     refers to 60 leaf objects instead): the cycle must cost no more than 1.5x;
//  6. the real-library suite (test/support/realLibraries.ts): plain pytest vs recorded, per library,
//     on each interpreter of the test matrix (scripts/bench/libraries.ts).
// Options (env): BENCH_RUNS (default 3), BENCH_PYTHON / BENCH_DEBUGPY (interpreter / debugpy folder;
// without BENCH_PYTHON the library suite runs on pyenv's 3.11, 3.12 and 3.13), BENCH_SECTIONS (comma
// list of rate,memory,workspace,step,cyclic,libs), BENCH_LIBS (comma list of library ids).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findInterpreter } from '../../src/core/dap/python';
import { recordTrace } from '../../src/core/trace/record';
import { matrixPythons, PYTEST_LIBS } from '../setup/pythons.mjs';
import { benchInterpreters, libraries } from './libraries';

const repo = process.cwd();
const runs = Number(process.env.BENCH_RUNS ?? 3);
const sections = new Set(
  (process.env.BENCH_SECTIONS ?? 'rate,memory,workspace,step,cyclic,libs').split(','),
);
const interpOpts = {
  python: process.env.BENCH_PYTHON || undefined,
  // The checkout's bundled copy (the bench's bundle is not where the product looks for it).
  debugpyPath:
    process.env.BENCH_DEBUGPY ||
    (existsSync(path.join(repo, 'bundled/libs/debugpy'))
      ? path.join(repo, 'bundled/libs')
      : undefined),
};

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

const SIZES: [string, number][] = [
  ['~2,000', 560],
  ['~20,000', 5600],
  ['~200,000', 56_000],
  ['~1,000,000', 280_000],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function rate(dir: string, python: string): Promise<void> {
  const helper = path.join(repo, 'src/core/trace/debuggee');
  const reference = path.join(repo, 'test/support/reference_tracer.py');
  console.log('\n### 1. Events per second: fast engine vs an in-process sys.settrace reference\n');
  console.log(
    'events/s = line events / recording time measured inside the Python process (first event to last);',
  );
  console.log('wall = the whole recording (launch, record, shut down). Median of', runs, 'runs.\n');
  console.log(
    '| program | recorder | line events | reference events | lost | startup ms | recording ms | events/s | vs reference | wall ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [label, n] of SIZES) {
    const file = path.join(dir, `prog_${n}.py`);
    writeFileSync(file, program(n));
    const refRec: number[] = [];
    let refLines = 0;
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(python, [reference, helper, file], { encoding: 'utf8' });
      const r = JSON.parse(out) as { lines: number; recordingMs: number };
      refLines = r.lines;
      refRec.push(r.recordingMs);
    }
    const refRate = (refLines / Math.max(median(refRec), 0.1)) * 1000;
    console.log(
      `| ${label} | settrace reference | ${refLines} | ${refLines} | 0 | - | ${median(refRec)} | ${refRate.toFixed(0)} | 1.00 | - |`,
    );
    const walls: number[] = [];
    const startups: number[] = [];
    const recs: number[] = [];
    let lines = 0;
    let backend = '';
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      const t = await recordTrace({
        target: { kind: 'script', path: file },
        cwd: dir,
        ...interpOpts,
        limits: { maxSteps: 1e7, timeoutMs: 600_000 },
      });
      walls.push(Date.now() - t0);
      startups.push(t.outcome.startupMs);
      recs.push(t.outcome.recordingMs ?? NaN);
      lines = 0;
      for (const e of t.events) if (e.kind === 'line') lines++;
      backend = t.interpreter.backend ?? '';
    }
    const rec = median(recs);
    const r = (lines / Math.max(rec, 0.1)) * 1000;
    console.log(
      `| ${label} | fast (${backend}) | ${lines} | ${refLines} | ${refLines - lines} | ${median(startups)} | ${rec} | ${r.toFixed(0)} | ${(r / refRate).toFixed(2)} | ${median(walls)} |`,
    );
  }
}

function memory(dir: string): void {
  console.log(
    '\n### 2. A whole `tracefix trace --format json` of ~1,000,000 events: memory and file size\n',
  );
  const file = path.join(dir, 'prog_mem.py');
  writeFileSync(file, program(280_000));
  const out = path.join(dir, 'mem.json');
  const args = [
    path.join(repo, 'dist/cli.js'),
    'trace',
    file,
    '--format',
    'json',
    '--out',
    out,
    '--max-events',
    '2000000',
    '--timeout',
    '600',
  ];
  if (interpOpts.python) args.push('--python', interpOpts.python);
  if (interpOpts.debugpyPath) args.push('--debugpy-path', interpOpts.debugpyPath);
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8' });
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
  const wall = /Elapsed \(wall clock\) time.*: ([\d:.]+)/.exec(r.stderr)?.[1];
  const events = (JSON.parse(readFileSync(out, 'utf8')) as { outcome: { eventCount: number } })
    .outcome.eventCount;
  const size = statSync(out).size;
  console.log(
    '| events | peak RSS of the CLI | bytes per event (RSS) | JSON size | JSON bytes per event | wall |',
  );
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| ${events} | ${rss ? `${(Number(rss) / 1024).toFixed(0)} MB` : '?'} | ${rss ? ((Number(rss) * 1024) / events).toFixed(0) : '?'} | ${(size / 1e6).toFixed(1)} MB | ${(size / events).toFixed(0)} | ${wall ?? '?'} |`,
  );
  if (r.status !== 0)
    console.log(`(exit ${r.status}: ${r.stderr.split('\n').slice(-5).join(' ')})`);
}

/** Real .py files from the interpreter's stdlib and test suite, copied into `dest` (at most `count`). */
function copyPythonFiles(src: string, dest: string, count: number): number {
  let n = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (n >= count) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === 'site-packages' || e.name === '__pycache__') continue;
        walk(p);
      } else if (e.name.endsWith('.py')) {
        const to = path.join(dest, path.relative(src, p));
        mkdirSync(path.dirname(to), { recursive: true });
        copyFileSync(p, to);
        n++;
      }
    }
  };
  walk(src);
  return n;
}

async function workspace(dir: string, stdlib: string): Promise<void> {
  console.log('\n### 3. Workspace curve: a tiny script beside other files that never run\n');
  console.log('| beside the script | files | whole recording ms (median) | vs empty folder |');
  console.log('|---|---|---|---|');
  const tiny = 'def add(a, b):\n    return a + b\n\n\nx = add(1, 2)\ny = add(x, 3)\n';
  const cases: [string, (d: string) => number][] = [
    ['nothing', () => 0],
    // In a subfolder, as a project's vendored code would be (at the top they would shadow the stdlib).
    ['1,000 .py files (CPython stdlib)', (d) => copyPythonFiles(stdlib, path.join(d, 'lib'), 1000)],
    [
      '10,000 .py files (the stdlib, copied as often as needed)',
      (d) => {
        let n = 0;
        for (let k = 0; n < 10_000; k++) {
          const got = copyPythonFiles(stdlib, path.join(d, `lib${k}`), 10_000 - n);
          if (got === 0) break;
          n += got;
        }
        return n;
      },
    ],
    [
      'one 6,000-line module',
      (d) => {
        const big = readFileSync(path.join(stdlib, '_pydecimal.py'), 'utf8');
        writeFileSync(
          path.join(d, 'big_module.py'),
          big + '\n'.repeat(Math.max(0, 6000 - big.split('\n').length)),
        );
        return 1;
      },
    ],
  ];
  let base = 0;
  for (const [label, fill] of cases) {
    const d = mkdtempSync(path.join(dir, 'ws-'));
    const files = fill(d);
    writeFileSync(path.join(d, 'tiny.py'), tiny);
    const walls: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      await recordTrace({ target: { kind: 'script', path: 'tiny.py' }, cwd: d, ...interpOpts });
      walls.push(Date.now() - t0);
    }
    const m = median(walls);
    if (!base) base = m;
    console.log(`| ${label} | ${files} | ${m} | ${(m / base).toFixed(2)} |`);
    rmSync(d, { recursive: true, force: true });
  }
}

async function step(dir: string): Promise<void> {
  console.log('\n### 4. The stepping engine (the correctness reference), ~2,000 events\n');
  const file = path.join(dir, 'prog_step.py');
  writeFileSync(file, program(560));
  const t = await recordTrace({
    target: { kind: 'script', path: file },
    cwd: dir,
    engine: 'step',
    ...interpOpts,
    limits: { maxSteps: 1e7, timeoutMs: 600_000 },
  });
  let lines = 0;
  for (const e of t.events) if (e.kind === 'line') lines++;
  console.log(
    `step engine: ${lines} line events in ${t.outcome.durationMs} ms (${((lines / t.outcome.durationMs) * 1000).toFixed(0)} events/s)`,
  );
}

/** 60 objects, each holding a list of 60 others: all of them (a cycle through every pair) or leaves. */
const graphProgram = (cyclic: boolean) => `class Node:
    def __init__(self, name):
        self.name = name
        self.peers = []


nodes = [Node("n%d" % i) for i in range(60)]
leaves = [Node("leaf%d" % i) for i in range(60)]
for a in nodes:
    for j in range(60):
        a.peers.append(${cyclic ? 'nodes[j]' : 'leaves[j]'})
total = sum(len(n.peers) for n in nodes)
assert total == 3600, total
`;

async function cyclic(dir: string): Promise<void> {
  console.log('\n### 5. 60 objects that all reference each other vs the same without the cycle\n');
  console.log('| script | recording ms (median) | events | status |');
  console.log('|---|---|---|---|');
  const ms: Record<string, number> = {};
  for (const kind of ['acyclic', 'cyclic'] as const) {
    const file = path.join(dir, `graph_${kind}.py`);
    writeFileSync(file, graphProgram(kind === 'cyclic'));
    const times: number[] = [];
    let events = 0;
    let status = '';
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const t = await recordTrace({
        target: { kind: 'script', path: file },
        cwd: dir,
        ...interpOpts,
      });
      times.push(performance.now() - t0);
      events = t.outcome.eventCount;
      status = t.outcome.status;
    }
    ms[kind] = median(times);
    console.log(`| ${kind} | ${Math.round(ms[kind])} | ${events} | ${status} |`);
  }
  console.log(
    `\ncyclic / acyclic: ${((ms.cyclic ?? NaN) / (ms.acyclic ?? NaN)).toFixed(2)} (target ≤ 1.5)`,
  );
}

async function main(): Promise<void> {
  const interp = await findInterpreter(interpOpts);
  // Real files for the workspace curve: a stdlib with its test suite (pyenv's builds have one;
  // Debian's python3 has none), else the interpreter's own.
  const stdlibOf = (python: string) =>
    execFileSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], {
      encoding: 'utf8',
    }).trim();
  let stdlib = stdlibOf(interp.python);
  try {
    const other = stdlibOf('python3');
    if (existsSync(path.join(other, 'test', 'test_grammar.py'))) stdlib = other;
  } catch {
    /* keep the interpreter's */
  }
  console.log(
    `python ${interp.version} (${interp.python}), debugpy ${interp.debugpyVersion} (${interp.debugpyPath}); ${runs} runs per figure`,
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'tfx-bench-'));
  try {
    if (sections.has('rate')) await rate(dir, interp.python);
    if (sections.has('memory')) {
      if (!existsSync(path.join(repo, 'dist/cli.js'))) throw new Error('npm run build first');
      memory(dir);
    }
    if (sections.has('workspace')) await workspace(dir, stdlib);
    if (sections.has('step')) await step(dir);
    if (sections.has('cyclic')) await cyclic(dir);
    if (sections.has('libs')) {
      const only = process.env.BENCH_LIBS ? new Set(process.env.BENCH_LIBS.split(',')) : undefined;
      await libraries(benchInterpreters(interpOpts, matrixPythons(), PYTEST_LIBS), runs, only);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
