// ruff, the Python linter and formatter `npm run lint` runs on Tracefix's own Python (ruff.toml),
// pinned so every machine formats alike. Installed with `pip --target` into the tracefix cache:
// no virtual environment, and no clash with Debian's externally managed python3 (PEP 668 leaves
// --target installs alone). The wheel carries the ruff binary in <target>/bin.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

export const name = 'ruff';
export const RUFF_VERSION = '0.16.9';
const RUFF_HOME = path.join(
  process.env.TRACEFIX_CACHE ?? path.join(homedir(), '.cache', 'tracefix'),
  `ruff-${RUFF_VERSION}`,
);
export const RUFF_BIN = path.join(RUFF_HOME, 'bin', 'ruff');

function installedVersion() {
  if (!existsSync(RUFF_BIN)) return undefined;
  const r = spawnSync(RUFF_BIN, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^ruff /, '') : undefined;
}

export function ensure({ log }) {
  if (installedVersion() === RUFF_VERSION) return { status: 'ok', detail: RUFF_BIN };
  const command = `python3 -m pip install --target ${RUFF_HOME} ruff==${RUFF_VERSION}`;
  rmSync(RUFF_HOME, { recursive: true, force: true });
  mkdirSync(RUFF_HOME, { recursive: true });
  log(`installing ruff ${RUFF_VERSION} into ${RUFF_HOME}`);
  const r = spawnSync(
    'python3',
    [
      '-m',
      'pip',
      'install',
      '--retries',
      '0',
      '--timeout',
      '10',
      '--disable-pip-version-check',
      '--target',
      RUFF_HOME,
      `ruff==${RUFF_VERSION}`,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0 || installedVersion() !== RUFF_VERSION) {
    return {
      status: 'missing',
      detail: (r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-2).join(' '),
      command,
    };
  }
  return { status: 'installed', detail: RUFF_BIN };
}
