// `npm test`: the whole test set-up and every layer, in order, on a fresh Debian/Ubuntu machine too.
//   1. set-up (scripts/setup/): apt packages, bundled debugpy, code-server, test interpreters, ruff —
//      installed when possible, otherwise one line naming the command and exit 2;
//   2. development build; 3. vitest (unit + integration, real Python/debugpy);
//   3b. the recorder on every interpreter (scripts/test/matrix.mjs);
//   4. the VSIX: production build, vsce package, inspection (scripts/package.mjs);
//   5. the npm package: npm pack, npm install -g, `tracefix --version`, a trace (scripts/test/npm-install.mjs);
//   6. the vscode layer (scripts/vscode-test/run.mjs): in-host suites and UI smoke, including the
//      smoke against the VSIX installed with --install-extension.
// Every layer runs even when an earlier one failed; the last line totals them.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNpmInstall } from './npm-install.mjs';
import { packageVsix } from '../package.mjs';
import { setup } from '../setup/index.mjs';
import { runMatrix } from './matrix.mjs';
import { runVitest } from './report.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const say = (m) => console.log(`\n== ${m}`);
const total = { passed: 0, failed: 0 };
const layers = [];
const failures = [];

function run(cmd, args, extra = {}) {
  return spawnSync(cmd, args, { cwd: repo, stdio: 'inherit', ...extra });
}

function record(layer, passed, failed, seconds) {
  total.passed += passed;
  total.failed += failed;
  layers.push(`${layer}: ${passed} passed, ${failed} failed (${seconds.toFixed(0)} s)`);
}

say('set-up');
if (!setup()) process.exit(2);

say('build');
if (run('npm', ['run', 'build', '--silent']).status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

say('vitest: unit + integration');
{
  const t = Date.now();
  const v = runVitest({ repo, out: path.join(repo, 'test-output', 'vitest.json') });
  record('vitest', v.passed, v.failed, (Date.now() - t) / 1000);
  failures.push(...v.failures.map((n) => `vitest: ${n}`));
}

say(
  'recorder on every interpreter: Debian 3.11 + debugpy 1.6, pyenv 3.11 / 3.12 / 3.13 + debugpy 1.8',
);
{
  const t = Date.now();
  const { passed, failed, failures: matrixFailures } = runMatrix();
  failures.push(...matrixFailures.map((n) => `matrix: ${n}`));
  record('interpreter matrix', passed, failed, (Date.now() - t) / 1000);
}

say('VSIX: package + inspect');
let vsix;
{
  const t = Date.now();
  try {
    vsix = (await packageVsix()).file;
    record('package', 1, 0, (Date.now() - t) / 1000);
  } catch (e) {
    console.log(`[package] ${e instanceof Error ? e.message : e}`);
    record('package', 0, 1, (Date.now() - t) / 1000);
  }
}

say('npm package: pack, install -g, tracefix --version, a trace');
{
  const t = Date.now();
  const { passed, failed } = checkNpmInstall();
  record('npm package', passed, failed, (Date.now() - t) / 1000);
}

say('vscode: in-host suites + UI smoke (code-server)');
{
  const t = Date.now();
  // Streams the output and keeps the last `N passed, N failed` line for the total.
  const child = spawn(
    process.execPath,
    [path.join(repo, 'scripts/vscode-test/run.mjs'), ...(vsix ? ['--vsix', vsix] : ['--no-vsix'])],
    { cwd: repo, stdio: ['inherit', 'pipe', 'inherit'] },
  );
  let last;
  let pending = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) {
      const m = /^(\d+) passed, (\d+) failed$/.exec(l);
      if (m) last = m;
    }
  });
  const status = await new Promise((resolve) => child.on('close', resolve));
  const m = /^(\d+) passed, (\d+) failed$/.exec(pending) ?? last;
  const failed = m ? Number(m[2]) + (status !== 0 && Number(m[2]) === 0 ? 1 : 0) : 1;
  record('vscode', m ? Number(m[1]) : 0, failed, (Date.now() - t) / 1000);
}

say('summary');
for (const l of layers) console.log(`  ${l}`);
if (failures.length > 0) {
  console.log('failed tests:');
  for (const f of failures) console.log(`  ${f}`);
}
console.log(`total: ${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
