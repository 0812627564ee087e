// The interpreters the recorder is tested on besides Debian's python3 (3.11 with apt's debugpy 1.6):
// pyenv's CPython 3.11, 3.12 and 3.13 with debugpy 1.8 (bundled/libs, the copy VS Code users get)
// and pytest installed with `pip --target` into ~/.cache/tracefix/pytest-libs (pure-Python wheels,
// shared by every version). Used by scripts/test/matrix.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

export const name = 'test interpreters';
export const PYTEST_LIBS = path.join(
  process.env.TRACEFIX_CACHE ?? path.join(homedir(), '.cache', 'tracefix'),
  'pytest-libs',
);
export const MATRIX_VERSIONS = ['3.11', '3.12', '3.13'];

function pyenvRoot() {
  if (process.env.PYENV_ROOT && existsSync(process.env.PYENV_ROOT)) return process.env.PYENV_ROOT;
  const r = spawnSync('pyenv', ['root'], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  const guess = path.join(homedir(), '.pyenv');
  return existsSync(guess) ? guess : undefined;
}

/** pyenv's newest patch release of each minor version in MATRIX_VERSIONS, as { version, python }. */
export function matrixPythons() {
  const root = pyenvRoot();
  if (!root) return [];
  const versions = spawnSync('ls', [path.join(root, 'versions')], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  const out = [];
  for (const minor of MATRIX_VERSIONS) {
    const found = versions
      .filter((v) => v.startsWith(`${minor}.`) && /^\d+\.\d+\.\d+$/.test(v))
      .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
      .pop();
    const python = found && path.join(root, 'versions', found, 'bin', 'python');
    if (python && existsSync(python)) out.push({ version: found, python });
  }
  return out;
}

export function ensure({ log }) {
  const pythons = matrixPythons();
  if (pythons.length === 0)
    return {
      status: 'skipped',
      detail: 'no pyenv interpreters here: the matrix runs on Debian python3 only',
    };
  if (!existsSync(path.join(PYTEST_LIBS, '.done'))) {
    mkdirSync(PYTEST_LIBS, { recursive: true });
    log(`installing pytest into ${PYTEST_LIBS}`);
    const r = spawnSync(
      pythons[0].python,
      [
        '-m',
        'pip',
        'install',
        '--retries',
        '0',
        '--timeout',
        '10',
        '--target',
        PYTEST_LIBS,
        'pytest',
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) {
      return {
        status: 'missing',
        detail: (r.stderr || r.stdout).trim().split('\n').slice(-2).join(' '),
        command: `${pythons[0].python} -m pip install --target ${PYTEST_LIBS} pytest`,
      };
    }
    writeFileSync(path.join(PYTEST_LIBS, '.done'), '');
  }
  return {
    status: 'ok',
    detail: `${pythons.map((p) => p.version).join(', ')} with pytest in ${PYTEST_LIBS}`,
  };
}
