// `npm run bench:slice`: what the slice (issue 19) is worth and what it costs.
//  1. libraries: for each real-library case (test/support/sliceCases.ts: a library from the package
//     index, one injected bug, a failing test), `tracefix fix --prompt-only` with default options;
//     prints whether the prompt's trace holds the buggy function's lines with values, the buggy line
//     itself, the function in `## Code`, the prompt's tokens, and the count over the suite;
//  2. cost: the backward slice on recordings of ~100k and ~1M events (time and heap).
// Options (env): BENCH_PYTHON (interpreter), BENCH_SECTIONS (comma list of libraries,cost),
// BENCH_CASES (comma list of case names), BENCH_CLI (the CLI bundle to run; default dist/cli.js).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { countTokens } from '../../src/core/render/tokens';
import {
  buildCase,
  failsPlainly,
  promptShowsBug,
  SLICE_CASES,
} from '../../test/support/sliceCases';

const repo = process.cwd();
const sections = new Set((process.env.BENCH_SECTIONS ?? 'libraries,cost').split(','));
const wanted = process.env.BENCH_CASES?.split(',');
const python = process.env.BENCH_PYTHON || 'python3';
const cli = path.resolve(repo, process.env.BENCH_CLI ?? 'dist/cli.js');

function pad(s: string | number, n: number): string {
  return String(s).padEnd(n);
}

function libraries(): void {
  console.log(
    '\n## Real libraries: does `tracefix fix --prompt-only` (default options) show the bug?',
  );
  console.log(
    `${pad('library', 18)}${pad('kind', 10)}${pad('fn values', 10)}${pad('bug line', 9)}${pad('## Code', 8)}${pad('tokens', 8)}${pad('s', 6)}outcome`,
  );
  let fn = 0;
  let line = 0;
  let code = 0;
  let n = 0;
  for (const c of SLICE_CASES) {
    if (wanted && !wanted.includes(c.name)) continue;
    const b = buildCase(c);
    try {
      if (!failsPlainly(b, python)) {
        console.log(`${pad(c.name, 18)}the test does not fail without Tracefix: case broken`);
        continue;
      }
      const t0 = Date.now();
      const r = spawnSync(
        process.execPath,
        [cli, 'fix', '--prompt-only', '--test', b.nodeId, '--python', python],
        { cwd: b.root, env: b.env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 600_000 },
      );
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      const prompt = r.stdout ?? '';
      if (r.status !== 0 || !prompt.includes('## Code')) {
        console.log(
          `${pad(c.name, 18)}fix --prompt-only failed (${r.status}): ${(r.stderr ?? '').slice(0, 300)}`,
        );
        n++;
        continue;
      }
      const check = promptShowsBug(prompt, b);
      const status = /^# Partial trace: ([^\n]*)/m.exec(prompt)?.[1]?.slice(0, 60) ?? 'complete';
      n++;
      if (check.functionWithValues) fn++;
      if (check.buggyLineWithValues) line++;
      if (check.inCode) code++;
      const yes = (v: boolean) => (v ? 'yes' : 'no');
      console.log(
        `${pad(c.name, 18)}${pad(c.kind, 10)}${pad(yes(check.functionWithValues), 10)}${pad(yes(check.buggyLineWithValues), 9)}${pad(yes(check.inCode), 8)}${pad(countTokens(prompt), 8)}${pad(secs, 6)}${status}`,
      );
    } finally {
      rmSync(b.root, { recursive: true, force: true });
    }
  }
  console.log(
    `\nbuggy function's lines with values in the prompt: ${fn} of ${n}; the buggy line with values: ${line} of ${n}; the function in ## Code: ${code} of ${n}`,
  );
}

if (sections.has('libraries')) libraries();
