// A passing sibling of a failing pytest test, in the working tree as it is: another parametrization
// of the same test function (`test_spread[1-2-3]` beside the failing `test_spread[3-5-8]`), else a
// test in the same file or folder that calls the same function of your code. Candidates are run
// once, plainly (pytest -rA), to learn which pass; the one most like the failing test is chosen.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseNodeId } from '../../source/pytest';
import { analyzePython } from '../../source/pyStructure';
import { isPytestFile, pytestFunctions } from '../../source/pytest';
import type { Trace } from '../../trace/model';
import type { RecordOptions } from '../../trace/options';
import { runProgram } from '../../verify/runProgram';
import { lineSimilarity } from '../sourceMap';
import { runIndex } from '../runIndex';
import { interpreterFor } from './rerun';

export interface Sibling {
  nodeId: string;
  /** "another parametrization of the same test", "a passing test that also calls `spread`". */
  why: string;
}

/** Test files of the folder searched for tests calling the same function, and their total size. */
const MAX_FILES = 30;
const MAX_BYTES = 2 * 1024 * 1024;
/** Tests run to find a passing one that calls the same function. */
const MAX_CANDIDATES = 24;

export interface SiblingContext {
  rec: RecordOptions;
  failing: Trace;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** The failing test's node id split into its file (as given) and the rest (`::Class::test[params]`). */
function splitId(nodeId: string): { file: string; rest: string } {
  const i = nodeId.indexOf('::');
  return i < 0 ? { file: nodeId, rest: '' } : { file: nodeId.slice(0, i), rest: nodeId.slice(i) };
}

async function pytest(ctx: SiblingContext, args: string[]): Promise<string> {
  const run = await runProgram({
    python: interpreterFor(ctx.rec, ctx.failing).python,
    argv: ['-m', 'pytest', '-p', 'no:cacheprovider', ...args],
    cwd: ctx.rec.cwd,
    env: {
      ...(ctx.rec.env ?? process.env),
      ...ctx.rec.programEnv,
      PYTHONHASHSEED: '0',
      PYTHONIOENCODING: 'utf-8',
    },
    timeoutMs: Math.max(ctx.failing.limits.timeoutMs * 3, 60_000),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    maxOutputChars: 400_000,
  });
  return run.output;
}

/** Node ids pytest reports as PASSED (-rA), rebased onto the file as the user named it. */
function passedIn(output: string, file: string): string[] {
  const out: string[] = [];
  for (const m of output.matchAll(/^PASSED (.+?)(?: - .*)?$/gm)) {
    const id = m[1]?.trim() ?? '';
    const rest = id.indexOf('::');
    if (rest >= 0) out.push(`${file}${id.slice(rest)}`);
  }
  return out;
}

/** Another parametrization of the failing test that passes, the most alike first. */
async function passingParametrization(
  ctx: SiblingContext,
  nodeId: string,
): Promise<Sibling | undefined> {
  const bracket = nodeId.indexOf('[');
  if (bracket < 0 || !nodeId.endsWith(']')) return undefined;
  const fnId = nodeId.slice(0, bracket);
  const params = nodeId.slice(bracket + 1, -1);
  const { file } = splitId(fnId);
  ctx.log?.(`running the other parametrizations of ${fnId}`);
  const passed = passedIn(await pytest(ctx, [fnId, '-q', '-rA', '--tb=no']), file).filter(
    (id) => id !== nodeId && id.startsWith(`${fnId}[`),
  );
  if (!passed.length) return undefined;
  const score = (id: string): number => lineSimilarity(id.slice(fnId.length + 1, -1), params);
  const best = passed.reduce((a, b) => (score(b) > score(a) ? b : a));
  return { nodeId: best, why: 'another parametrization of the same test' };
}

/** Functions of your code the failing test called directly (not test code), by name. */
function calledByTest(failing: Trace): string[] {
  const run = runIndex(failing);
  const names: string[] = [];
  for (const c of run.calls.values()) {
    const parent = run.calls.get(c.parentCallId);
    if (!parent || !parent.function.startsWith('test') || !isPytestFile(parent.file)) continue;
    if (isPytestFile(c.file) || c.function.startsWith('<') || /^__\w+__$/.test(c.function))
      continue;
    if (!names.includes(c.function)) names.push(c.function);
  }
  return names.slice(0, 3);
}

/** Test files to search: the failing test's file first, then the others of its folder. */
function testFiles(cwd: string, file: string): string[] {
  const abs = path.resolve(cwd, file);
  const dir = path.dirname(abs);
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => isPytestFile(n) && n !== path.basename(abs));
  } catch {
    /* an unreadable folder: only the test's own file */
  }
  return [abs, ...names.sort().map((n) => path.join(dir, n))].slice(0, MAX_FILES);
}

/** A passing test that calls one of the functions the failing test called (in its file or the
 * other test files of its folder). */
async function passingCaller(ctx: SiblingContext, nodeId: string): Promise<Sibling | undefined> {
  const fns = calledByTest(ctx.failing);
  if (!fns.length) return undefined;
  const calls = new RegExp(
    `(?:^|[^\\w.]|\\.)(${fns.map((f) => f.replace(/\W/g, '')).join('|')})\\s*\\(`,
  );
  const own = parseNodeId(nodeId);
  const { file } = splitId(nodeId);
  const cwd = ctx.rec.cwd;
  const candidates: { id: string; fn: string }[] = [];
  let bytes = 0;
  for (const abs of testFiles(cwd, file)) {
    let text: string;
    try {
      if (!statSync(abs).isFile()) continue;
      text = readFileSync(abs, 'utf8');
    } catch {
      continue;
    }
    bytes += text.length;
    if (bytes > MAX_BYTES) break;
    const lines = text.replace(/\r\n?/g, '\n').split('\n');
    const rel = path.relative(cwd, abs).split(path.sep).join('/');
    const shown = abs === path.resolve(cwd, file) ? file : rel;
    for (const t of pytestFunctions(analyzePython(text))) {
      if (shown === file && t.id === own.names.join('::')) continue;
      const body = lines.slice(t.header, t.end).join('\n');
      const m = calls.exec(body);
      if (m) candidates.push({ id: `${shown}::${t.id}`, fn: m[1] ?? '' });
      if (candidates.length >= MAX_CANDIDATES) break;
    }
    if (candidates.length >= MAX_CANDIDATES) break;
  }
  if (!candidates.length) return undefined;
  ctx.log?.(
    `running ${candidates.length} test${candidates.length === 1 ? '' : 's'} that call ${fns.join(', ')}`,
  );
  const byFile = new Map<string, string[]>();
  for (const c of candidates) {
    const f = splitId(c.id).file;
    byFile.set(f, [...(byFile.get(f) ?? []), c.id]);
  }
  for (const [f, ids] of byFile) {
    const passed = passedIn(await pytest(ctx, [...ids, '-q', '-rA', '--tb=no']), f);
    const first = candidates.find((c) =>
      passed.some((p) => p === c.id || p.startsWith(`${c.id}[`)),
    );
    if (first) {
      const id = passed.find((p) => p === first.id || p.startsWith(`${first.id}[`)) ?? first.id;
      return { nodeId: id, why: `a passing test that also calls \`${first.fn}\`` };
    }
  }
  return undefined;
}

/**
 * A passing sibling of the failing pytest test, or undefined when there is none: another
 * parametrization, else (scope 'callers') a passing test calling the same function.
 */
export async function findPassingSibling(
  ctx: SiblingContext,
  scope: 'parametrizations' | 'callers' = 'callers',
): Promise<Sibling | undefined> {
  if (ctx.rec.target.kind !== 'pytest') return undefined;
  const nodeId = ctx.rec.target.nodeId;
  if (!nodeId.includes('::')) return undefined;
  const param = await passingParametrization(ctx, nodeId);
  if (param || scope === 'parametrizations') return param;
  return passingCaller(ctx, nodeId);
}
