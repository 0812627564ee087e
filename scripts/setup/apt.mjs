// Debian/Ubuntu packages the test layers need. Installed with apt-get as root or with passwordless
// sudo; otherwise the set-up stops with one line naming the exact command.
import { spawnSync } from 'node:child_process';

export const name = 'apt packages';

/** Package → why. Keep in step with the layers: unit/integration (Python), sandbox, code-server + browser. */
export const PACKAGES = {
  python3: 'runs the programs under test',
  'python3-pip': 'installs debugpy into bundled/libs (scripts/bundle-debugpy.mjs)',
  'python3-debugpy': "the tests' reference interpreter (/usr/bin/python3) with its own debugpy",
  'python3-pytest': 'pytest targets in the tests',
  bubblewrap: 'sandboxed verification runs (bwrap)',
  chromium: 'headless browser for the tests inside VS Code (code-server)',
  'build-essential': "compiles code-server's native modules",
  ripgrep: "code-server's search (Debian's rg replaces the download)",
  'pkg-config': "code-server's native modules",
  'libkrb5-dev': "code-server's native modules",
  'libx11-dev': "code-server's native modules",
  'libxkbfile-dev': "code-server's native modules",
  'libsecret-1-dev': "code-server's native modules",
};

function installed(pkgs) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...pkgs], {
    encoding: 'utf8',
  });
  if (r.error) return undefined; // not a dpkg system
  return new Set(
    r.stdout
      .split('\n')
      .filter((l) => / ii\s*$/.test(l))
      .map((l) => l.split(' ')[0]),
  );
}

/** ['sudo', '-n'] with passwordless sudo, [] as root, undefined when neither. */
export function privilege() {
  if (process.getuid?.() === 0) return [];
  const s = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return s.status === 0 ? ['sudo', '-n'] : undefined;
}

export function ensure({ log }) {
  const want = Object.keys(PACKAGES);
  const have = installed(want);
  if (!have) {
    return {
      status: 'skipped',
      detail: `no dpkg here: install the equivalents of ${want.join(' ')} with your package manager`,
    };
  }
  const missing = want.filter((p) => !have.has(p));
  if (missing.length === 0) return { status: 'ok', detail: `${want.length} packages present` };
  const command = `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const sudo = privilege();
  if (!sudo)
    return { status: 'missing', detail: `missing apt packages: ${missing.join(' ')}`, command };
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) =>
    spawnSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
  if (run(['apt-get', 'update', '-qq']).status !== 0)
    return { status: 'missing', detail: 'apt-get update failed', command };
  if (
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]).status !== 0
  ) {
    return {
      status: 'missing',
      detail: `apt-get install failed for ${missing.join(' ')}`,
      command,
    };
  }
  return { status: 'installed', detail: missing.join(' ') };
}
