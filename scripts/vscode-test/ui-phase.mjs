// UI smoke phase: each test/vscode/ui/*.ui.mjs gets its own code-server (fresh workspace copy and
// profile) and one workbench page, opened with extensionDevelopmentPath but no extensionTestsPath.
// A UI file exports
//   export const checks = [{ name: 'opens a file', run: async (wb) => { ... } }];
//   export const options = { workspaceTrust: false, extraExtensions: ['/abs/dir'] };   // optional
// where `wb` is a Workbench from test/vscode/ui/workbench.mjs. A check fails by throwing; its
// failure screenshot lands in test-output/vscode-ui/.
// `options.extension = 'vsix'`: Tracefix is installed from the VSIX with `--install-extension` and
// the workbench opens without the development path (wb.vsix, wb.installed = --list-extensions).
// `options.prepare(run)`: runs before the server starts (e.g. workspace settings); wb.run is the run dir.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function runUiPhase({
  repo,
  browser,
  grep,
  timeoutMs,
  log,
  serve,
  url,
  vsix,
  installVsix,
}) {
  const uiDir = join(repo, 'test/vscode/ui');
  const outputDir = join(repo, 'test-output/vscode-ui');
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  const files = existsSync(uiDir)
    ? readdirSync(uiDir)
        .filter((f) => f.endsWith('.ui.mjs'))
        .sort()
    : [];
  const result = { passed: 0, failed: 0, pending: 0 };
  if (files.length === 0) {
    log('UI phase: no test/vscode/ui/*.ui.mjs files');
    return result;
  }
  const { Workbench } = await import(pathToFileURL(join(uiDir, 'workbench.mjs')).href);
  const pattern = grep ? new RegExp(grep) : null;

  for (const file of files) {
    const mod = await import(pathToFileURL(join(uiDir, file)).href);
    const label = basename(file, '.ui.mjs');
    const checks = (mod.checks ?? []).filter(
      (c) => !pattern || pattern.test(`${label} › ${c.name}`),
    );
    if (checks.length === 0) continue;
    const fromVsix = mod.options?.extension === 'vsix';
    if (fromVsix && vsix.skipped) {
      log(`UI ${label}: skipped (--no-vsix)`);
      continue;
    }
    const started = Date.now();
    const installed = { file: undefined, list: [] };
    const prepare = async (run) => {
      if (fromVsix) {
        installed.file = await vsix.file();
        installed.list = installVsix(run, installed.file);
        log(
          `UI ${label}: installed ${basename(installed.file)} with --install-extension (${installed.list.join(', ')})`,
        );
      }
      await mod.options?.prepare?.(run);
    };
    let served;
    try {
      served = await serve(`ui-${label}`, { ...(mod.options ?? {}), prepare });
    } catch (e) {
      // No server (e.g. the VSIX could not be built or installed): every check of this file fails.
      result.failed += checks.length;
      console.log(`[ui] ✗ ${label}: ${e instanceof Error ? e.stack : e}`);
      continue;
    }
    const { run, server, teardown } = served;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const wb = new Workbench(page, {
        workspace: run.workspace,
        outputDir,
        prefix: label,
        log: (m) => console.log(`[ui] ${m}`),
      });
      Object.assign(wb, { run, vsix: installed.file, installed: installed.list });
      try {
        await wb.open(
          url(server, run, mod.options?.extraExtensions ?? [], { development: !fromVsix }),
        );
        log(`UI ${label}: workbench ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (e) {
        await wb.screenshot('open-failed').catch(() => {});
        throw e;
      }
      for (const check of checks) {
        const title = `${label} › ${check.name}`;
        const t = Date.now();
        try {
          await withTimeout(check.run(wb), timeoutMs, title);
          result.passed++;
          console.log(`[ui] ✓ ${title} (${Date.now() - t} ms)`);
        } catch (e) {
          result.failed++;
          const shot = await wb.screenshot(`FAIL-${check.name}`).catch(() => '(no screenshot)');
          console.log(
            `[ui] ✗ ${title}\n${e instanceof Error ? e.stack : e}\n[ui]   screenshot: ${shot}`,
          );
        }
      }
    } catch (e) {
      // The workbench did not open: every check of this file fails.
      result.failed += checks.length;
      console.log(`[ui] ✗ ${label}: ${e instanceof Error ? e.stack : e}`);
    } finally {
      await context.close().catch(() => {});
      await teardown();
    }
  }
  console.log(`[ui] ${result.passed} passed, ${result.failed} failed`);
  return result;
}

function withTimeout(promise, ms, title) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${title}: timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
