// Installs debugpy into bundled/libs, the way VS Code's Python Debugger extension bundles it: the exact
// wheel pinned below (version and sha256: `pip install --require-hashes`), then its bytecode compiled
// for each CPython on this machine (3.11–3.13 and python3), so a recording never compiles debugpy at
// start-up (with bytecode writing off, or a read-only install folder, it would at every run). The
// VSIX, the npm package and the CLI run from the repository use this copy when the interpreter has no
// debugpy of its own (src/core/dap/python.ts). bundled/ is a build output (gitignored).
//
//   node scripts/bundle-debugpy.mjs            install unless that debugpy is there; compile what is missing
//   node scripts/bundle-debugpy.mjs --force    reinstall
//   node scripts/bundle-debugpy.mjs --clean    delete all bytecode and compile it again (before packaging)
//
// The pip run uses $TRACEFIX_BUNDLE_PYTHON, else python3. The wheel is the cp311 manylinux one whatever
// Python runs pip: its compiled speed-ups (pydevd_cython) load on CPython 3.11 on Linux; everywhere
// else debugpy runs its pure-Python code.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEBUGPY_VERSION = '1.8.22';
export const DEBUGPY_SPEC = `debugpy==${DEBUGPY_VERSION}`;
/** The wheel's sha256 (the package index's own). */
export const DEBUGPY_SHA256 = '192b73e8d53bbd60225220c0943627bf249ac93d0ea3090e23c45f3e0ceb6a35';
const WHEEL_TARGET = [
  '--platform',
  'manylinux_2_34_x86_64',
  '--python-version',
  '3.11',
  '--implementation',
  'cp',
  '--abi',
  'cp311',
  '--only-binary',
  ':all:',
];
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

/** Removes every __pycache__ folder in bundled/libs (what Python wrote at run time included). */
export function removeBytecode(libs = BUNDLED_LIBS) {
  if (!existsSync(libs)) return 0;
  const dirs = readdirSync(libs, { recursive: true, encoding: 'utf8' }).filter(
    (f) => path.basename(f) === '__pycache__',
  );
  for (const d of dirs) rmSync(path.join(libs, d), { recursive: true, force: true });
  return dirs.length;
}

/** The CPythons here to compile bytecode for, one per cache tag (cpython-311...): python3 on PATH,
 * Debian's, and pyenv's newest 3.11, 3.12 and 3.13 (the versions users record with most). */
export function bytecodeInterpreters() {
  const candidates = [process.env.TRACEFIX_BUNDLE_PYTHON || 'python3', '/usr/bin/python3'];
  const pyenv = process.env.PYENV_ROOT || path.join(homedir(), '.pyenv');
  const versions = existsSync(path.join(pyenv, 'versions'))
    ? readdirSync(path.join(pyenv, 'versions')).filter((v) => /^3\.(11|12|13)\.\d+$/.test(v))
    : [];
  for (const v of versions.sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2])))
    candidates.push(path.join(pyenv, 'versions', v, 'bin', 'python'));
  const byTag = new Map();
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import sys; print(sys.implementation.cache_tag or "")'], {
      encoding: 'utf8',
    });
    const tag = r.status === 0 ? r.stdout.trim() : '';
    if (tag.startsWith('cpython-') && !byTag.has(tag)) byTag.set(tag, python);
  }
  return [...byTag].map(([tag, python]) => ({ tag, python }));
}

/** Compiles bundled/libs for each interpreter that has no bytecode there yet. Hash-based and
 * unchecked: valid wherever the folder is unpacked (file times change), never rewritten at run time.
 * Returns the cache tags compiled. */
export function compileBytecode({ libs = BUNDLED_LIBS, log = () => {} } = {}) {
  const done = [];
  for (const { tag, python } of bytecodeInterpreters()) {
    if (existsSync(path.join(libs, 'debugpy', '__pycache__', `__init__.${tag}.pyc`))) continue;
    const r = spawnSync(
      python,
      ['-m', 'compileall', '-q', '-q', '--invalidation-mode', 'unchecked-hash', libs],
      { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '' } },
    );
    if (!existsSync(path.join(libs, 'debugpy', '__pycache__', `__init__.${tag}.pyc`))) {
      log(
        `could not compile bytecode for ${tag} (${python}): ${(r.stderr || '').trim().slice(-300)}`,
      );
      continue;
    }
    done.push(tag);
  }
  if (done.length) log(`bytecode compiled for ${done.join(', ')}`);
  return done;
}

/** Installs the pinned debugpy into bundled/libs unless it is there, and its bytecode. Returns
 * bundledDebugpyInfo(). `clean`: all bytecode deleted and compiled again (what packages ship). */
export function ensureBundledDebugpy({
  force = false,
  clean = false,
  log = (m) => console.log(`[bundle-debugpy] ${m}`),
} = {}) {
  const have = bundledDebugpyInfo();
  if (have && have.version === DEBUGPY_VERSION && !force) {
    if (clean) removeBytecode();
    compileBytecode({ log });
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
  // A clean clone has no bundled/ yet; the requirements file lives beside the staging folder.
  mkdirSync(path.dirname(staging), { recursive: true });
  log(`${python} -m pip install --require-hashes --target bundled/libs ${DEBUGPY_SPEC}`);
  const started = Date.now();
  const requirements = `${staging}.requirements.txt`;
  writeFileSync(requirements, `${DEBUGPY_SPEC} --hash=sha256:${DEBUGPY_SHA256}\n`);
  const r = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--require-hashes',
      '--target',
      staging,
      ...WHEEL_TARGET,
      '--no-deps',
      '--no-compile',
      '--disable-pip-version-check',
      '--no-input',
      '--quiet',
      '-r',
      requirements,
    ],
    { encoding: 'utf8', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  rmSync(requirements, { force: true });
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
  compileBytecode({ log });
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
