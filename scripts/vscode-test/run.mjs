// Runs the mocha suites inside a real VS Code extension host (code-server 4.100.3 + headless
// Chromium), then the UI smoke checks. `npm run test:vscode`; see docs/testing-vscode.md.
//
//   --bench                 run test/vscode/bench/**/*.ts instead of the suites (no UI phase)
//   --ui                    run only the UI smoke phase (test/vscode/ui/*.ui.mjs)
//   --no-ui                 skip the UI smoke phase
//   --grep <re>             mocha grep; also filters UI checks by "file › name"
//   --workspace-trust       keep Workspace Trust enabled (default: --disable-workspace-trust)
//   --extension-dir <dir>   extension under development (default: the repo)
//   --timeout <s>           overall bound per phase (default 360, bench 900)
//   --bundle-only           only bundle out/vscode-tests (for @vscode/test-cli, see .vscode-test.mjs)
//   --keep                  keep the temp run dirs
//   --vsix <file>           VSIX for the UI files that test the installed extension (default: npm run package)
//   --no-vsix               skip those UI files
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleTests, ensureCodeServer, ensureExtensionBuilt, makeRunDir } from './prepare.mjs';
import { installExtension, launchBrowser, startCodeServer, workbenchUrl } from './server.mjs';
import { runUiPhase } from './ui-phase.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const log = (msg) => console.log(`[test:vscode] ${msg}`);

const { values: opts } = parseArgs({
  options: {
    bench: { type: 'boolean', default: false },
    ui: { type: 'boolean', default: false },
    'no-ui': { type: 'boolean', default: false },
    grep: { type: 'string' },
    'workspace-trust': {
      type: 'boolean',
      default: process.env.TRACEFIX_VSCODE_WORKSPACE_TRUST === '1',
    },
    'extension-dir': { type: 'string', default: process.env.TRACEFIX_VSCODE_EXTENSION_DIR || repo },
    timeout: { type: 'string' },
    'bundle-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    vsix: { type: 'string', default: process.env.TRACEFIX_VSIX || undefined },
    'no-vsix': { type: 'boolean', default: false },
  },
});
const extensionDir = resolve(opts['extension-dir']);
const timeoutMs =
  Number(opts.timeout ?? process.env.TRACEFIX_VSCODE_TIMEOUT ?? (opts.bench ? 900 : 360)) * 1000;
const outDir = join(repo, 'test-output/vscode-tests');

/** Cleanups run in reverse on success, failure, SIGINT and SIGTERM. */
const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (e) {
      log(`cleanup: ${e instanceof Error ? e.message : e}`);
    }
  }
}
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping code-server and the browser`);
    void cleanup().finally(() => {
      console.log('0 passed, 1 failed');
      process.exit(130);
    });
  });
}

/** Runs one registered cleanup now (e.g. a UI file's server) instead of at the very end. */
async function release(fn) {
  const i = cleanups.indexOf(fn);
  if (i >= 0) cleanups.splice(i, 1);
  await fn();
}

/** Starts a server on a fresh run dir; `teardown` (also registered) stops it and removes the dir.
 * `prepare(run)` runs before the server starts (install a VSIX, write workspace settings). */
async function serve(label, entry, workspaceTrust = opts['workspace-trust'], prepare = undefined) {
  const run = makeRunDir(repo, label);
  const removeDir = () => {
    if (!opts.keep) rmSync(run.root, { recursive: true, force: true });
  };
  cleanups.push(removeDir);
  if (run.fixtureMissing)
    log('test/fixtures/workspace does not exist: using a one-file stand-in workspace');
  await prepare?.(run);
  const started = Date.now();
  const server = await startCodeServer({
    entry,
    run,
    workspaceTrust,
    logFile: join(outDir, `server-${label}.log`),
    // Visible to the extension host and everything it spawns (suites may read them).
    extraEnv: {
      TRACEFIX_TEST_WORKSPACE: run.workspace,
      TRACEFIX_TEST_REPO: repo,
      TRACEFIX_TEST_EXTENSION_DIR: extensionDir,
      TRACEFIX_TEST_OUTPUT: outDir,
      TRACEFIX_TEST_WORKSPACE_TRUST: workspaceTrust ? '1' : '0',
    },
  });
  const teardown = async () => {
    await server.stop();
    await release(removeDir);
  };
  cleanups.push(teardown);
  log(
    `code-server ${label} up on ${server.url} in ${Date.now() - started} ms (workspace ${run.workspace})`,
  );
  return { run, server, teardown: () => release(teardown) };
}

/** The mocha phase: payload with extensionTestsPath, result through codeAutomationExit. */
async function runInHostPhase(entry, browser, indexJs) {
  const { run, server, teardown } = await serve(opts.bench ? 'bench' : 'suite', entry);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const closeContext = () => context.close();
  cleanups.push(closeContext);
  const page = await context.newPage();
  const result = { passed: 0, failed: 0, pending: 0, summarySeen: false };
  let resolveExit;
  const exited = new Promise((r) => {
    resolveExit = r;
  });
  const browserLog = [];
  page.on('console', (m) => browserLog.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => browserLog.push(`[pageerror] ${e.message}`));
  page.on('crash', () => resolveExit({ code: 'page crashed' }));

  const hostLog = [];
  let phaseOver = false;
  await page.exposeFunction('codeAutomationLog', (level, message) => {
    hostLog.push(`[${level}] ${message}`);
    // After the result, only teardown chatter follows (kept in host.log).
    if (phaseOver) return;
    // Expected noise: no extension gallery is reachable (kept in host.log).
    if (String(message).includes('ENOTFOUND open-vsx.org')) return;
    for (const line of String(message).split('\n')) {
      console.log(level === 'info' ? `[host] ${line}` : `[host:${level}] ${line}`);
      const m = /\[mocha\] (\d+) passed, (\d+) failed, (\d+) pending/.exec(line);
      if (m)
        Object.assign(result, { passed: +m[1], failed: +m[2], pending: +m[3], summarySeen: true });
    }
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    // The workbench hands over its log files (exthost, renderer, …): keep them for debugging.
    for (const { relativePath, contents } of logs ?? []) {
      const file = join(outDir, 'logs', relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents);
    }
    resolveExit({ code });
  });

  const started = Date.now();
  await page.goto(
    workbenchUrl(server, {
      workspace: run.workspace,
      extensionDirs: [extensionDir],
      testsIndex: indexJs,
    }),
  );
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(() => r({ code: 'timeout' }), timeoutMs);
  });
  const { code } = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  phaseOver = true;
  writeFileSync(join(outDir, 'browser-console.log'), browserLog.join('\n') + '\n');
  writeFileSync(join(outDir, 'host.log'), hostLog.join('\n') + '\n');
  log(`in-host phase ended with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (code !== 0) {
    await page.screenshot({ path: join(outDir, 'in-host-end.png') }).catch(() => {});
    log(`screenshot: ${join(outDir, 'in-host-end.png')}; logs: ${outDir}`);
  }
  // A non-zero exit without a failed test (crash, timeout, no suites) must still count as a failure.
  if (code !== 0 && result.failed === 0) result.failed = 1;
  if (!result.summarySeen) log('no mocha summary line was received');
  // Free the two cores for the UI phase.
  await release(closeContext);
  await teardown();
  return result;
}

/** The VSIX for UI files with `options.extension = 'vsix'`: --vsix, else packaged once on demand. */
function vsixProvider() {
  let packaged;
  return {
    skipped: opts['no-vsix'],
    async file() {
      if (opts.vsix) return resolve(opts.vsix);
      packaged ??= import('../package.mjs').then(
        async ({ packageVsix }) => (await packageVsix()).file,
      );
      return packaged;
    },
  };
}

async function main() {
  const t0 = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const runHost = !opts.ui;
  const runUi = !opts.bench && !opts['no-ui'];

  let indexJs;
  if (runHost) {
    const bundled = await bundleTests(repo, {
      bench: opts.bench,
      grep: opts.grep,
      timeoutMs: opts.bench ? 600_000 : 60_000,
    });
    indexJs = bundled.indexJs;
    log(`bundled ${bundled.suites.length} file(s) into out/vscode-tests/`);
    if (opts['bundle-only']) return 0;
  }
  const entry = ensureCodeServer(repo, log);
  if (extensionDir === repo) ensureExtensionBuilt(repo, log);
  else log(`extension under development: ${extensionDir}`);

  const browserHome = mkdtempSync(join(tmpdir(), 'tracefix-chromium-'));
  cleanups.push(() => rmSync(browserHome, { recursive: true, force: true }));
  const browser = await launchBrowser(browserHome);
  cleanups.push(() => browser.close());
  const total = { passed: 0, failed: 0, pending: 0 };
  const add = (r) => {
    total.passed += r.passed;
    total.failed += r.failed;
    total.pending += r.pending ?? 0;
  };

  if (runHost) add(await runInHostPhase(entry, browser, indexJs));
  if (runUi) {
    add(
      await runUiPhase({
        repo,
        browser,
        grep: opts.grep,
        timeoutMs,
        log,
        // Each UI file gets its own server and workspace copy; it may ask for Workspace Trust.
        serve: (label, { workspaceTrust, prepare } = {}) =>
          serve(label, entry, workspaceTrust ?? opts['workspace-trust'], prepare),
        // `development: false`: the workbench loads only installed extensions (the VSIX), not the repo.
        url: (server, run, extra = [], { development = true } = {}) =>
          workbenchUrl(server, {
            workspace: run.workspace,
            extensionDirs: development ? [extensionDir, ...extra] : extra,
          }),
        vsix: vsixProvider(),
        installVsix: (run, vsix) =>
          installExtension({ entry, run, vsix, logFile: join(outDir, 'install-extension.log') }),
      }),
    );
  }
  log(`total wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // CI reads this line.
  console.log(`${total.passed} passed, ${total.failed} failed`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  // After a signal, the failures are the teardown's doing; the handler reports and exits.
  if (!interrupted) {
    console.error(`[test:vscode] ${e instanceof Error ? e.stack : e}`);
    console.log('0 passed, 1 failed');
  }
}
if (!interrupted) {
  await cleanup();
  process.exit(exitCode);
}
