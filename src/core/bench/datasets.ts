// Loads the benchmark datasets (read-only; the repository's benchmarks/ folder) into BenchTasks.
// - HumanEvalFix: program = prompt + buggy_solution, test = `test` + check(entry_point);
//   reference = prompt + canonical_solution.
// - HumanEvalFix-Plus: the same buggy programs and visible test; a fix is judged by HumanEval+'s
//   OriginFmt `check` (task Python/N ↔ HumanEval/N); reference = HumanEval+'s prompt + canonical_solution.
// - MBPP (sanitized): the data holds no buggy programs, so each task is posed as a stub to complete:
//   `solution.py` keeps the reference's imports and signatures, each function body raising
//   NotImplementedError with the task statement as docstring; the `test_list` assertions fail on it.
//   This measures repair-from-a-failing-test on MBPP's programs; it is not MBPP-R and its fix rate
//   is not comparable to repair benchmarks.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors';
import {
  MBPP_STUBBER,
  humanEvalPlusJudgeScript,
  humanEvalTestScript,
  mbppTestScript,
} from './scripts';
import type { BenchTask, DatasetName } from './types';

export const DATA_FILES = {
  humanevalfix: 'humanevalfix/humanevalpack_python.jsonl',
  humanevalplus: 'humanevalplus/HumanEvalPlus-OriginFmt.jsonl.gz',
  mbpp: 'mbpp/sanitized-mbpp.json',
} as const;

/**
 * The benchmarks folder: TRACEFIX_BENCH_DATA, else the package's own `benchmarks/` (beside `dist/`
 * in the npm package, at the root of a checkout): the nearest folder above this module holding a
 * package.json, never a folder further out.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  from: string = __dirname,
): string | undefined {
  if (env.TRACEFIX_BENCH_DATA) return path.resolve(env.TRACEFIX_BENCH_DATA);
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const candidate = path.join(dir, 'benchmarks');
      const found = Object.values(DATA_FILES).some((f) => existsSync(path.join(candidate, f)));
      return found ? candidate : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function dataFile(dataDir: string, rel: string): string {
  const file = path.join(dataDir, rel);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UserError(
      'file-not-found',
      `Benchmark data not found: ${file}`,
      'Point --data at the benchmarks folder (the one holding humanevalfix/, humanevalplus/ and mbpp/).',
    );
  }
  return file;
}

function jsonLines<T>(text: string, file: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l) as T;
      } catch (e) {
        throw new UserError(
          'bad-argument',
          `${file}:${i + 1}: not a JSON line (${(e as Error).message}).`,
        );
      }
    });
}

interface HumanEvalFixRecord {
  task_id: string;
  prompt: string;
  buggy_solution: string;
  canonical_solution: string;
  test: string;
  entry_point: string;
  bug_type: string;
  failure_symptoms: string;
}

function need<T extends object>(rec: T, keys: (keyof T)[], where: string): void {
  for (const k of keys) {
    if (typeof rec[k] !== 'string')
      throw new UserError('bad-argument', `${where}: record has no string field ${String(k)}.`);
  }
}

export function loadHumanEvalFix(dataDir: string): BenchTask[] {
  const file = dataFile(dataDir, DATA_FILES.humanevalfix);
  return jsonLines<HumanEvalFixRecord>(readFileSync(file, 'utf8'), file).map((r) => {
    need(
      r,
      ['task_id', 'prompt', 'buggy_solution', 'canonical_solution', 'test', 'entry_point'],
      file,
    );
    return {
      id: r.task_id,
      dataset: 'humanevalfix',
      bugType: r.bug_type || 'unknown',
      symptom: r.failure_symptoms || 'unknown',
      entryPoint: r.entry_point,
      program: r.prompt + r.buggy_solution,
      reference: r.prompt + r.canonical_solution,
      test: humanEvalTestScript(r.task_id, r.test, r.entry_point),
    };
  });
}

interface HumanEvalPlusRecord {
  task_id: string;
  prompt: string;
  canonical_solution: string;
  entry_point: string;
  test: string;
}

export function loadHumanEvalFixPlus(dataDir: string): BenchTask[] {
  const base = loadHumanEvalFix(dataDir);
  const file = dataFile(dataDir, DATA_FILES.humanevalplus);
  const plus = new Map(
    jsonLines<HumanEvalPlusRecord>(gunzipSync(readFileSync(file)).toString('utf8'), file).map(
      (r) => [r.task_id, r],
    ),
  );
  return base.map((t) => {
    const n = t.id.split('/')[1];
    const p = plus.get(`HumanEval/${n}`);
    if (!p || p.entry_point !== t.entryPoint)
      throw new UserError(
        'bad-argument',
        `${file}: no HumanEval/${n} record matching ${t.id} (entry point ${t.entryPoint}).`,
      );
    // HumanEval+ corrected some of HumanEval's canonical solutions (bools as ints, empty inputs,
    // exponential recursion); HumanEvalPack kept the originals, which fail the stronger tests.
    const reference =
      typeof p.prompt === 'string' && typeof p.canonical_solution === 'string'
        ? p.prompt + p.canonical_solution
        : t.reference;
    return {
      ...t,
      dataset: 'humanevalfix-plus',
      reference,
      judge: humanEvalPlusJudgeScript(p.task_id, p.test, p.entry_point),
    };
  });
}

interface MbppRecord {
  task_id: number;
  prompt: string;
  code: string;
  test_imports: string[];
  test_list: string[];
}

/** The first name the assertions call that the reference code defines. */
function mbppEntryPoint(r: MbppRecord): string {
  const defined = new Set(
    Array.from(r.code.matchAll(/^(?:async\s+)?def\s+([A-Za-z_]\w*)/gm), (m) => m[1] ?? ''),
  );
  for (const t of r.test_list) {
    for (const m of t.matchAll(/([A-Za-z_]\w*)\s*\(/g)) if (m[1] && defined.has(m[1])) return m[1];
  }
  return [...defined][0] ?? '';
}

export async function loadMbpp(
  dataDir: string,
  python: string,
  signal?: AbortSignal,
): Promise<BenchTask[]> {
  const file = dataFile(dataDir, DATA_FILES.mbpp);
  let records: MbppRecord[];
  try {
    records = JSON.parse(readFileSync(file, 'utf8')) as MbppRecord[];
  } catch (e) {
    throw new UserError('bad-argument', `${file}: not JSON (${(e as Error).message}).`);
  }
  if (!Array.isArray(records))
    throw new UserError('bad-argument', `${file}: expected a JSON list of records.`);
  // The reference's code normalized the way the stubs are (CRLF in a few records), in one Python run.
  const stubs = await runJson<(string | null)[]>(
    python,
    MBPP_STUBBER,
    records.map((r) => ({ code: r.code.replace(/\r\n?/g, '\n'), prompt: r.prompt })),
    signal,
  );
  const tasks: BenchTask[] = [];
  records.forEach((r, i) => {
    const stub = stubs[i];
    if (!stub) return; // a reference that does not parse cannot be posed as a task
    const id = `Mbpp/${r.task_id}`;
    tasks.push({
      id,
      dataset: 'mbpp',
      bugType: 'stub',
      symptom: 'not implemented',
      entryPoint: mbppEntryPoint(r),
      program: stub,
      reference: `${r.code.replace(/\r\n?/g, '\n').replace(/\s+$/, '')}\n`,
      test: mbppTestScript(id, r.test_imports ?? [], r.test_list ?? []),
    });
  });
  return tasks;
}

function runJson<T>(
  python: string,
  script: string,
  input: unknown,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      python,
      ['-c', script],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000, signal },
      (err, stdout, stderr) => {
        if (err)
          return reject(
            new UserError(
              'no-python',
              `Could not prepare the MBPP tasks with ${python}: ${stderr.trim() || err.message}`,
            ),
          );
        try {
          resolve(JSON.parse(stdout) as T);
        } catch (e) {
          reject(
            new UserError(
              'no-python',
              `Unexpected output preparing the MBPP tasks: ${(e as Error).message}`,
            ),
          );
        }
      },
    );
    child.stdin?.end(JSON.stringify(input));
  });
}

export async function loadDataset(
  name: DatasetName,
  dataDir: string,
  python: string,
  signal?: AbortSignal,
): Promise<BenchTask[]> {
  switch (name) {
    case 'humanevalfix':
      return loadHumanEvalFix(dataDir);
    case 'humanevalfix-plus':
      return loadHumanEvalFixPlus(dataDir);
    case 'mbpp':
      return loadMbpp(dataDir, python, signal);
  }
}
