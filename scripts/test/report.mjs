// vitest runs for `npm test` and the interpreter matrix, counted from vitest's JSON report, and the
// names of the failed tests, so `npm test`'s last lines say which tests failed (a CI log is often read
// from its tail only).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Runs vitest with `args` (plus `reporter` for the console and a JSON report at `out`); returns the
 * passed and failed counts — a failed run with no failed test counts as one failure — and the names
 * of the failed tests.
 */
export function runVitest({ repo, out, args = [], reporter = 'default', env = process.env }) {
  mkdirSync(path.dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const r = spawnSync(
    process.execPath,
    [
      path.join(repo, 'node_modules/vitest/vitest.mjs'),
      'run',
      ...args,
      `--reporter=${reporter}`,
      '--reporter=json',
      `--outputFile.json=${out}`,
    ],
    { cwd: repo, env, stdio: 'inherit' },
  );
  const report = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined;
  const failed = report
    ? report.numFailedTests + (r.status !== 0 && report.numFailedTests === 0 ? 1 : 0)
    : 1;
  return {
    passed: report?.numPassedTests ?? 0,
    failed,
    failures: failedVitestTests(report, repo),
  };
}

/** `file › test name: first line of the failure`, one per failed test. */
export function failedVitestTests(report, repo) {
  const names = [];
  for (const file of report?.testResults ?? []) {
    const rel = repo && file.name?.startsWith(repo) ? file.name.slice(repo.length + 1) : file.name;
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    if (failed.length === 0 && file.status === 'failed') {
      names.push(`${rel}: ${firstLine(file.message)}`);
    }
    for (const a of failed) {
      names.push(`${rel} › ${a.fullName ?? a.title}: ${firstLine(a.failureMessages?.[0])}`);
    }
  }
  return names;
}

/** The `FAILED path::test - message` lines of pytest's short summary. */
export function failedPytestTests(stdout) {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('FAILED ') || l.startsWith('ERROR '))
    .map((l) => l.slice(0, 300));
}

function firstLine(text) {
  const line =
    String(text ?? '')
      .split('\n')
      .find((l) => l.trim() !== '') ?? '';
  return line.length > 240 ? `${line.slice(0, 240)}…` : line;
}
