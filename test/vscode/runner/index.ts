// Mocha entry loaded by VS Code's extension host as `extensionTestsPath`. Bundled by
// scripts/vscode-test/run.mjs into out/vscode-tests/index.js (CommonJS, mocha inside the bundle so
// nothing has to resolve from the extension host's module paths).
//
// Every result is written with console.log: in code-server the extension host's console reaches the
// page's `codeAutomationLog`, which run.mjs forwards to stdout and parses for the summary line.
import Mocha from 'mocha';
import * as fs from 'node:fs';
import { findSourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Written by run.mjs next to this bundle. */
interface RunnerConfig {
  /** Directory (relative to this file) holding the bundled suites, e.g. `suite` or `bench`. */
  suiteDir: string;
  grep?: string;
  timeoutMs: number;
}

const PREFIX = '[mocha]';

function readConfig(): RunnerConfig {
  const file = path.join(__dirname, 'runner-config.json');
  const defaults: RunnerConfig = { suiteDir: 'suite', timeoutMs: 60_000 };
  if (!fs.existsSync(file)) return defaults;
  return { ...defaults, ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RunnerConfig>) };
}

function findSuites(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

function fullTitle(test: Mocha.Runnable): string {
  return test.titlePath().join(' › ');
}

/** The repo: this bundle is out/vscode-tests/index.js. */
const repoRoot = path.resolve(__dirname, '../..');

/**
 * Rewrites `file.js:line:col` frames to TypeScript positions. The extension host installs its own
 * Error.prepareStackTrace, so Node never applies the maps itself; it still parses them for modules
 * loaded after process.setSourceMapsEnabled(true), and findSourceMap() exposes them.
 */
function mapStack(stack: string): string {
  return stack.replace(
    /((?:\/|out\/)[^\s():]+\.js):(\d+):(\d+)/g,
    (frame, file: string, line: string, col: string) => {
      const map = findSourceMap(path.isAbsolute(file) ? file : path.join(repoRoot, file));
      const entry = map?.findEntry(Number(line) - 1, Number(col) - 1);
      if (!entry || !('originalSource' in entry)) return frame;
      const source = entry.originalSource.startsWith('file:')
        ? fileURLToPath(entry.originalSource)
        : entry.originalSource;
      return `${path.relative(repoRoot, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    },
  );
}

function errorText(err: unknown): string {
  if (err instanceof Error) return mapStack(err.stack ?? `${err.name}: ${err.message}`);
  return String(err);
}

/** One line per result, so the log stays readable in CI and greppable. */
class LogReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } =
      Mocha.Runner.constants;
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) console.log(`${PREFIX} suite: ${suite.fullTitle()}`);
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      console.log(`${PREFIX} ✓ ${fullTitle(test)} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => {
      console.log(`${PREFIX} - ${fullTitle(test)} (pending)`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, err: unknown) => {
      console.log(`${PREFIX} ✗ ${fullTitle(test)}\n${errorText(err)}`);
    });
  }
}

export async function run(): Promise<void> {
  const config = readConfig();
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: config.timeoutMs,
    reporter: LogReporter,
    ...(config.grep ? { grep: new RegExp(config.grep) } : {}),
  });
  // Stack traces in TypeScript lines: the bundles carry .map files.
  process.setSourceMapsEnabled(true);
  const files = findSuites(path.join(__dirname, config.suiteDir));
  console.log(`${PREFIX} loading ${files.length} suite file(s) from ${config.suiteDir}/`);

  // Load the bundles ourselves with CommonJS require (what mocha.loadFiles does): the extension
  // host only provides the `vscode` module to require(), not to import().
  for (const file of files) {
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, file, mocha);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_REQUIRE, require(file), file, mocha);
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_POST_REQUIRE, globalThis, file, mocha);
  }

  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats ?? emptyStats()));
  });
  // run.mjs reads this exact line (and CI reads run.mjs' copy of it).
  console.log(
    `${PREFIX} ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} pending`,
  );
  if (files.length === 0) throw new Error(`no suites found in ${config.suiteDir}/`);
  if (stats.failures > 0) throw new Error(`${stats.failures} test(s) failed`);
}

function emptyStats(): Mocha.Stats {
  return { suites: 0, tests: 0, passes: 0, pending: 0, failures: 0 };
}
