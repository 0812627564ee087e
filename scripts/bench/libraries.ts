// The real-library section of `npm run bench -- trace`: each library of test/support/realLibraries.ts
// (its failing test, its injected bug) under plain pytest and recorded with default options, on
// each interpreter. Target: every one completes within 3 s + 8× its plain pytest time.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { recordTrace } from '../../src/core/trace/record';
import type { Trace } from '../../src/core/trace/model';
import { completed, REAL_LIBRARIES, libraryWorkspace } from '../../test/support/realLibraries';

export interface BenchInterpreter {
  label: string;
  python?: string;
  debugpyPath?: string;
  /** Environment of the program and of plain pytest (e.g. pytest's folder on PYTHONPATH). */
  env: NodeJS.ProcessEnv;
}

export interface LibraryFigure {
  id: string;
  plainMs: number;
  recordMs: number;
  events: number;
  status: string;
  completed: boolean;
  withinTarget: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Wall time of `python -m pytest NODE` in the workspace (the whole process, as a user runs it). */
function plainPytest(python: string, root: string, nodeId: string, env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', nodeId], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  if (r.status !== 1) throw new Error(`plain pytest of ${nodeId} exited ${r.status}: ${r.stdout}`);
  return ms;
}

export async function libraries(
  interps: BenchInterpreter[],
  runs: number,
  only?: Set<string>,
): Promise<LibraryFigure[]> {
  console.log(
    '\n### Real libraries: a failing test of each, plain pytest vs recorded (defaults)\n',
  );
  console.log(
    'plain = `python -m pytest -q NODE` wall time; recorded = the whole recording (launch → trace), default options;',
  );
  console.log(`target: recorded ≤ 3 s + 8 × plain. Median of ${runs} runs.\n`);
  const all: LibraryFigure[] = [];
  for (const interp of interps) {
    console.log(`\n#### ${interp.label}\n`);
    console.log(
      '| library | plain ms | recorded ms | ratio | events | outcome | completed | within target |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const lib of REAL_LIBRARIES) {
      if (only && !only.has(lib.id)) continue;
      const root = libraryWorkspace(lib);
      try {
        const python = interp.python ?? 'python3';
        const plain: number[] = [];
        const rec: number[] = [];
        let last: Trace | undefined;
        for (let i = 0; i < runs; i++) {
          plain.push(plainPytest(python, root, lib.test.nodeId, interp.env));
          const t0 = performance.now();
          last = await recordTrace({
            target: { kind: 'pytest', nodeId: lib.test.nodeId },
            cwd: root,
            python: interp.python,
            debugpyPath: interp.debugpyPath,
            env: interp.env,
          });
          rec.push(performance.now() - t0);
        }
        const p = median(plain);
        const r = median(rec);
        const t = last as Trace;
        const fig: LibraryFigure = {
          id: lib.id,
          plainMs: Math.round(p),
          recordMs: Math.round(r),
          events: t.outcome.eventCount,
          status: t.outcome.status,
          completed: completed(t),
          withinTarget: completed(t) && r <= 3000 + 8 * p,
        };
        all.push(fig);
        console.log(
          `| ${lib.id} | ${fig.plainMs} | ${fig.recordMs} | ${(r / p).toFixed(1)} | ${fig.events} | ${fig.status} | ${fig.completed ? 'yes' : 'NO'} | ${fig.withinTarget ? 'yes' : 'NO'} |`,
        );
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  }
  const missed = all.filter((f) => !f.withinTarget).map((f) => f.id);
  console.log(
    `\n${all.length - missed.length} of ${all.length} within target${missed.length ? `; missed: ${missed.join(', ')}` : ''}`,
  );
  return all;
}

/** The interpreters of the test matrix (pyenv 3.11–3.13 with the bundled debugpy), or the one given. */
export function benchInterpreters(
  given: { python?: string; debugpyPath?: string },
  matrix: { version: string; python: string }[],
  pytestLibs: string,
): BenchInterpreter[] {
  const withPytest = (python: string): NodeJS.ProcessEnv => {
    const r = spawnSync(python, ['-c', 'import pytest'], { stdio: 'ignore' });
    if (r.status === 0) return { ...process.env };
    const pp = [pytestLibs, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
    return { ...process.env, PYTHONPATH: pp };
  };
  if (given.python || matrix.length === 0) {
    const python = given.python ?? 'python3';
    return [{ label: python, ...given, env: withPytest(python) }];
  }
  return matrix.map((m) => ({
    label: `pyenv ${m.version}`,
    python: m.python,
    debugpyPath: given.debugpyPath,
    env: withPytest(m.python),
  }));
}
