// Installs debugpy 1.8 into bundled/libs, the way VS Code's Python Debugger extension bundles it:
// `python3 -m pip install --target bundled/libs debugpy==1.8.*`. The VSIX, the npm package and the CLI
// run from the repository use this copy when the interpreter has no debugpy of its own
// (src/core/dap/python.ts). bundled/ is a build output (gitignored).
//
//   node scripts/bundle-debugpy.mjs            install unless a debugpy 1.8 is already there
//   node scripts/bundle-debugpy.mjs --force    reinstall
//   node scripts/bundle-debugpy.mjs --clean    also delete the bytecode Python wrote there (before packaging)
//
// The pip run uses $TRACEFIX_BUNDLE_PYTHON, else python3. The wheel pip picks is the one for that
// Python and platform: its compiled speed-ups (pydevd_cython) load only on that CPython version
// and platform; everywhere else debugpy runs its pure-Python code.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEBUGPY_SPEC = 'debugpy==1.8.*';
const SERIES = '1.8.';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLED_LIBS = path.join(repo, 'bundled', 'libs');

/** What is in bundled/libs: debugpy's version and wheel tag, or undefined when there is none. */
export function bundledDebugpyInfo(libs = BUNDLED_LIBS) {
  if (!existsSync(path.join(libs, 'debugpy', '__init__.py'))) return undefined;
  const distInfo = readdirSync(libs).find((d) => /^debugpy-.+\.dist-info$/.test(d));
  if (!distInfo) return undefined;
  const version = distInfo.slice('debugpy-'.length, -'.dist-info'.length);
  const wheel = readFileSync(path.join(libs, distInfo, 'WHEEL'), 'utf8');
  const tags = [...wheel.matchAll(/^Tag: (.+)$/gm)].map((m) => m[1]);
  const requiresPython = /^Requires-Python: (.+)$/m.exec(
    readFileSync(path.join(libs, distInfo, 'METADATA'), 'utf8'),
  )?.[1];
  return { version, tags, requiresPython, distInfo, path: libs };
}

function fail(message) {
  const e = new Error(message);
  e.userFacing = true;
  return e;
}

/** Removes the __pycache__ folders Python writes when it imports from bundled/libs (tests, the CLI):
 * bytecode of this machine's Python does not belong in a package. */
export function removeBytecode(libs = BUNDLED_LIBS) {
  if (!existsSync(libs)) return 0;
  const dirs = readdirSync(libs, { recursive: true, encoding: 'utf8' }).filter(
    (f) => path.basename(f) === '__pycache__',
  );
  for (const d of dirs) rmSync(path.join(libs, d), { recursive: true, force: true });
  return dirs.length;
}

/** Installs debugpy 1.8 into bundled/libs unless it is there. Returns bundledDebugpyInfo(). */
export function ensureBundledDebugpy({
  force = false,
  clean = false,
  log = (m) => console.log(`[bundle-debugpy] ${m}`),
} = {}) {
  const have = bundledDebugpyInfo();
  if (have && have.version.startsWith(SERIES) && !force) {
    if (clean) removeBytecode();
    return have;
  }
  const python = process.env.TRACEFIX_BUNDLE_PYTHON || 'python3';
  const pip = spawnSync(python, ['-m', 'pip', '--version'], { encoding: 'utf8' });
  if (pip.error || pip.status !== 0) {
    throw fail(
      pip.error
        ? `${python} not found: Python 3 with pip is needed to bundle debugpy. Install it: sudo apt-get install python3 python3-pip`
        : `${python} -m pip does not work (${(pip.stderr || '').trim().split('\n').pop()}). Install pip: sudo apt-get install python3-pip`,
    );
  }
  // Install next to the target and swap it in, so an interrupted install never looks complete.
  const staging = `${BUNDLED_LIBS}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  log(`${python} -m pip install --target bundled/libs ${DEBUGPY_SPEC}`);
  const started = Date.now();
  const r = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--target',
      staging,
      '--no-deps',
      '--no-compile',
      '--disable-pip-version-check',
      '--no-input',
      '--quiet',
      DEBUGPY_SPEC,
    ],
    { encoding: 'utf8', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (r.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const tail = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').slice(-6).join('\n');
    throw fail(`pip could not install ${DEBUGPY_SPEC} into bundled/libs:\n${tail}`);
  }
  // Console scripts carry this machine's interpreter path in their #! line; nothing uses them.
  rmSync(path.join(staging, 'bin'), { recursive: true, force: true });
  const info = bundledDebugpyInfo(staging);
  if (!info) throw fail(`pip finished but ${staging} holds no debugpy package`);
  rmSync(BUNDLED_LIBS, { recursive: true, force: true });
  renameSync(staging, BUNDLED_LIBS);
  log(
    `debugpy ${info.version} (${info.tags.join(', ')}; Requires-Python ${info.requiresPython ?? '?'}) in bundled/libs after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return bundledDebugpyInfo();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const info = ensureBundledDebugpy({
      force: process.argv.includes('--force'),
      clean: process.argv.includes('--clean'),
    });
    console.log(`[bundle-debugpy] bundled/libs: debugpy ${info.version} (${info.tags.join(', ')})`);
  } catch (e) {
    console.error(`[bundle-debugpy] ${e instanceof Error ? e.message : e}`);
    process.exit(e?.userFacing ? 2 : 1);
  }
}
