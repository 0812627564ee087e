// `npm run bench -- slice`: what the slice (issue 19) is worth and what it costs.
//  1. suite / libraries: for each library of the real-library suite (test/support/realLibraries.ts)
//     and each slice case (test/support/sliceCases.ts) — a library from the package index, one
//     injected bug, a failing test — `tracefix fix --prompt-only` with default options;
//     prints whether the prompt's trace holds the buggy function's lines with values, the buggy line
//     itself, the function in `## Code`, the prompt's tokens, and the count over the suite;
//  2. cost: the backward slice on recordings of ~100k and ~1M events (time and heap).
// Options (env): BENCH_PYTHON (interpreter), BENCH_SECTIONS (comma list of suite,libraries,cost),
// BENCH_CASES (comma list of case names), BENCH_CLI (the CLI bundle to run; default dist/cli.js),
// BENCH_COMPARE (another CLI bundle run on the same cases, e.g. main's before the slice),
// BENCH_TIMEOUT (--timeout seconds; default the CLI's own).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { countTokens } from '../../src/core/render/tokens';
import { REAL_LIBRARIES } from '../../test/support/realLibraries';
import {
  buildCase,
  buildLibrary,
  failsPlainly,
  promptShowsBug,
  SLICE_CASES,
  type BuiltCase,
} from '../../test/support/sliceCases';
import { sliceCost } from './sliceCost';

const repo = process.cwd();
const sections = new Set((process.env.BENCH_SECTIONS ?? 'suite,libraries,cost').split(','));
const wanted = process.env.BENCH_CASES?.split(',');
const python = process.env.BENCH_PYTHON || 'python3';
const cli = path.resolve(repo, process.env.BENCH_CLI ?? 'dist/cli.js');
/** Another CLI bundle to measure beside it (e.g. a build of main before the slice). */
const compare = process.env.BENCH_COMPARE ? path.resolve(process.env.BENCH_COMPARE) : undefined;
/** `--timeout` seconds to pass (default: none, the CLI's default). */
const timeout = process.env.BENCH_TIMEOUT;

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

interface Row {
  fn: boolean;
  line: boolean;
  code: boolean;
  text: string;
}

/** One `fix --prompt-only` run of a built case with one CLI bundle. */
function measure(b: BuiltCase, cliPath: string): Row {
  const t0 = Date.now();
  const extra = timeout ? ['--timeout', timeout] : [];
  const r = spawnSync(
    process.execPath,
    [cliPath, 'fix', '--prompt-only', '--test', b.nodeId, '--python', python, ...extra],
    { cwd: b.root, env: b.env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 900_000 },
  );
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const prompt = r.stdout ?? '';
  if (r.status !== 0 || !prompt.includes('## Code')) {
    const why =
      (r.stderr ?? '')
        .split('\n')
        .filter((l) => l.trim())
        .slice(-1)[0] ?? '';
    return {
      fn: false,
      line: false,
      code: false,
      text: `failed (${r.status}): ${why.slice(0, 100)}`,
    };
  }
  const check = promptShowsBug(prompt, b);
  const status = /^# Partial trace: ([^\n]*)/m.exec(prompt)?.[1]?.slice(0, 50) ?? 'complete';
  const yes = (v: boolean) => (v ? 'yes' : 'no');
  return {
    fn: check.functionWithValues,
    line: check.buggyLineWithValues,
    code: check.inCode,
    text: `${pad(yes(check.functionWithValues), 10)}${pad(yes(check.buggyLineWithValues), 9)}${pad(yes(check.inCode), 8)}${pad(countTokens(prompt), 8)}${pad(secs, 7)}${status}`,
  };
}

function libraries(
  title: string,
  cases: { name: string; kind: string; build: () => BuiltCase }[],
): void {
  const clis: [string, string][] = [['after', cli]];
  if (compare) clis.unshift(['before', compare]);
  console.log(
    `\n## ${title}: does \`tracefix fix --prompt-only\` (default options${timeout ? `, --timeout ${timeout}` : ''}) show the bug?`,
  );
  console.log(
    `${pad('library', 18)}${pad('kind', 20)}${compare ? pad('cli', 8) : ''}${pad('fn values', 10)}${pad('bug line', 9)}${pad('## Code', 8)}${pad('tokens', 8)}${pad('s', 7)}outcome`,
  );
  const totals = new Map(clis.map(([label]) => [label, { fn: 0, line: 0, code: 0, n: 0 }]));
  for (const c of cases) {
    if (wanted && !wanted.includes(c.name)) continue;
    const b = c.build();
    try {
      if (!failsPlainly(b, python)) {
        console.log(`${pad(c.name, 18)}the test does not fail without Tracefix: case broken`);
        continue;
      }
      for (const [label, path] of clis) {
        const row = measure(b, path);
        const t = totals.get(label)!;
        t.n++;
        if (row.fn) t.fn++;
        if (row.line) t.line++;
        if (row.code) t.code++;
        console.log(
          `${pad(c.name, 18)}${pad(c.kind.slice(0, 19), 20)}${compare ? pad(label, 8) : ''}${row.text}`,
        );
      }
    } finally {
      rmSync(b.root, { recursive: true, force: true });
    }
  }
  for (const [label, t] of totals)
    console.log(
      `${compare ? `${label}: ` : ''}buggy function's lines with values in the prompt: ${t.fn} of ${t.n}; the buggy line with values: ${t.line} of ${t.n}; the function in ## Code: ${t.code} of ${t.n}`,
    );
}

async function main(): Promise<void> {
  if (sections.has('suite'))
    libraries(
      'The real-library suite (test/support/realLibraries.ts)',
      REAL_LIBRARIES.map((lib) => ({
        name: lib.id,
        kind: lib.kind,
        build: () => buildLibrary(lib),
      })),
    );
  if (sections.has('libraries'))
    libraries(
      'Slice cases (test/support/sliceCases.ts)',
      SLICE_CASES.map((c) => ({ name: c.name, kind: c.kind, build: () => buildCase(c) })),
    );
  if (sections.has('cost')) await sliceCost(process.env.BENCH_PYTHON || undefined);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
