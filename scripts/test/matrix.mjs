// `npm run test:matrix` (and a layer of `npm test`): the recorder's tests on every interpreter users
// have — Debian's python3 3.11 with debugpy 1.6 (apt), and pyenv's 3.11, 3.12 and 3.13 with debugpy
// 1.8 (bundled/libs, what VS Code's Python Debugger extension ships). Per interpreter: the helper's
// own pytest tests, and the recorder's integration tests (goldens, limits, outcomes, real projects,
// rendering of real recordings) with TRACEFIX_PYTHON pointing at it.
//   node scripts/test/matrix.mjs [--only 3.12] [--skip-debian]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { matrixPythons, PYTEST_LIBS } from '../setup/pythons.mjs';
import { failedPytestTests, runVitest } from './report.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const INTEGRATION = [
  'test/integration/trace',
  'test/integration/projects',
  'test/integration/render',
];

export function matrix() {
  const combos = [];
  if (!argv.includes('--skip-debian') && existsSync('/usr/bin/python3')) {
    combos.push({
      label: 'Debian python3 + debugpy (apt)',
      python: '/usr/bin/python3',
      env: {},
      integration: false,
    });
  }
  for (const p of matrixPythons()) {
    combos.push({
      label: `pyenv ${p.version} + bundled debugpy 1.8`,
      python: p.python,
      env: { PYTHONPATH: PYTEST_LIBS },
      integration: true,
    });
  }
  return combos.filter((c) => !only || c.label.includes(only));
}

/** Runs the matrix; returns { passed, failed } counted in tests. */
export function runMatrix({ log = console.log } = {}) {
  let passed = 0;
  let failed = 0;
  const lines = [];
  const failures = [];
  for (const c of matrix()) {
    const env = {
      ...process.env,
      ...c.env,
      TRACEFIX_PYTHON: c.python,
      TRACEFIX_TEST_PYTHON: c.python,
    };
    log(`\n== ${c.label} (${c.python}): helper tests (pytest)`);
    const py = spawnSync(
      c.python,
      ['-m', 'pytest', 'test/python', '-q', '-p', 'no:cacheprovider'],
      { cwd: repo, env, encoding: 'utf8' },
    );
    process.stdout.write(py.stdout.split('\n').slice(-3).join('\n'));
    const m = /(\d+) passed/.exec(py.stdout);
    const f = /(\d+) failed/.exec(py.stdout);
    passed += m ? Number(m[1]) : 0;
    failed += f ? Number(f[1]) : py.status === 0 ? 0 : 1;
    for (const n of failedPytestTests(py.stdout)) failures.push(`${c.label}: ${n}`);
    lines.push(
      `${c.label}: pytest ${m?.[1] ?? 0} passed, ${f?.[1] ?? (py.status === 0 ? 0 : 1)} failed`,
    );
    if (!c.integration) continue;
    log(`\n== ${c.label}: recorder integration tests (vitest)`);
    const v = runVitest({
      repo,
      out: path.join(
        repo,
        'test-output',
        `matrix-${path.basename(path.dirname(path.dirname(c.python)))}.json`,
      ),
      args: INTEGRATION,
      reporter: 'dot',
      env,
    });
    passed += v.passed;
    failed += v.failed;
    failures.push(...v.failures.map((n) => `${c.label}: ${n}`));
    lines.push(`${c.label}: vitest ${v.passed} passed, ${v.failed} failed`);
  }
  log('\n== matrix');
  for (const l of lines) log(`  ${l}`);
  return { passed, failed, failures };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { passed, failed } = runMatrix();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
