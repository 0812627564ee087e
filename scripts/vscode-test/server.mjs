// code-server process (own session/process group, loopback only) and the headless Chromium that
// loads the workbench. Both are always torn down by the caller through stop()/close().
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts code-server on 127.0.0.1:<free port>. `detached: true` makes the child call setsid(2),
 * so it leads its own process group and stop() can kill the extension host and every process the
 * tests spawned (debugpy, python) with one signal to -pid.
 */
export async function startCodeServer({ entry, run, workspaceTrust, logFile, extraEnv = {} }) {
  const port = await freePort();
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir',
    run['user-data'],
    '--extensions-dir',
    run.extensions,
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    run.workspace,
  ];
  const env = {
    ...process.env,
    HOME: run.home,
    XDG_CONFIG_HOME: run.config,
    XDG_DATA_HOME: run.data,
    XDG_CACHE_HOME: run.cache,
    TMPDIR: run.tmp,
    ...extraEnv,
  };
  // A password in the environment would turn auth back on.
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const stop = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 30 && !exited; i++) await sleep(100);
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  // Last resort if the runner dies without reaching its cleanup (synchronous on purpose).
  const onExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.on('exit', onExit);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited)
      throw new Error(`code-server exited early (${JSON.stringify(exited)}); see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server not healthy after 60 s; see ${logFile}`);
    }
    await sleep(200);
  }
  return {
    port,
    url,
    pid: child.pid,
    stop: async () => {
      await stop();
      process.off('exit', onExit);
      log.end();
    },
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** `home`: a throwaway dir; Chromium's crash reporter otherwise writes into ~/.config/chromium. */
export async function launchBrowser(home) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.TRACEFIX_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: `${home}/config`,
      XDG_CACHE_HOME: `${home}/cache`,
    },
  });
}

/**
 * Workbench URL with VS Code's `payload` parameter: the web workbench takes
 * extensionDevelopmentPath / extensionTestsPath from it (code-server has no CLI flag for them).
 * Paths are on the server, addressed through the remote authority the browser sees.
 */
export function workbenchUrl(server, { workspace, extensionDirs, testsIndex }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    // The workbench accepts several; UI checks use that to load a fixture extension alongside.
    ...extensionDirs.map((dir) => ['extensionDevelopmentPath', remote(dir)]),
    ...(testsIndex ? [['extensionTestsPath', remote(testsIndex)]] : []),
    ['skipWelcome', 'true'],
  ];
  return `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * `code-server --install-extension <vsix>` into the run's extensions dir (before the server starts),
 * the way a user installs a VSIX. Returns `--list-extensions --show-versions` afterwards.
 */
export function installExtension({ entry, run, vsix, logFile }) {
  const env = {
    ...process.env,
    HOME: run.home,
    XDG_CONFIG_HOME: run.config,
    XDG_DATA_HOME: run.data,
    XDG_CACHE_HOME: run.cache,
    TMPDIR: run.tmp,
  };
  const cli = (args) =>
    spawnSync(
      process.execPath,
      [entry, '--user-data-dir', run['user-data'], '--extensions-dir', run.extensions, ...args],
      { env, encoding: 'utf8', timeout: 120_000 },
    );
  const installed = cli(['--install-extension', vsix]);
  appendFileSync(
    logFile,
    `$ code-server --install-extension ${vsix}\n${installed.stdout}${installed.stderr}\n`,
  );
  if (installed.status !== 0)
    throw new Error(
      `code-server --install-extension failed (exit ${installed.status}); see ${logFile}`,
    );
  const listed = cli(['--list-extensions', '--show-versions']);
  appendFileSync(
    logFile,
    `$ code-server --list-extensions --show-versions\n${listed.stdout}${listed.stderr}\n`,
  );
  return listed.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
