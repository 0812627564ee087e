// `npm run demo`: builds Tracefix, traces the bundled buggy example, and — with a model configured
// (OPENAI_API_KEY, or TRACEFIX_BASE_URL for a local OpenAI-compatible server) — explains and fixes it.
// Without a model it prints the trace and the exact prompt it would send. Python needs no debugpy of
// its own: the first run installs debugpy 1.8 into bundled/libs (pip), the copy the CLI falls back to.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { bundledDebugpyInfo, ensureBundledDebugpy } from './bundle-debugpy.mjs';

const root = path.resolve(import.meta.dirname, '..');
const example = path.join(root, 'examples', 'running_max');
const test = 'tests/test_running_max.py::test_all_negative';
const run = (args, opts = {}) =>
  spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], {
    stdio: 'inherit',
    cwd: example,
    ...opts,
  });

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
  stdio: 'inherit',
  cwd: root,
});
if (build.status !== 0) process.exit(build.status ?? 1);

if (!bundledDebugpyInfo()) {
  try {
    ensureBundledDebugpy();
  } catch (e) {
    // Not fatal: the interpreter may have debugpy itself; if not, the CLI says what to install.
    console.log(`[demo] could not bundle debugpy: ${e instanceof Error ? e.message : e}`);
  }
}

console.log(`\n== Tracing the failing test ${test} (examples/running_max) ==\n`);
const traced = run(['trace', '--test', test]);
if (traced.status !== 0) {
  // The CLI already printed one line saying what is missing and how to install it.
  process.exit(traced.status ?? 1);
}

const hasModel = Boolean(process.env.OPENAI_API_KEY || process.env.TRACEFIX_BASE_URL);
const hasFix = existsSync(path.join(root, 'src', 'cli', 'fixCommand.ts'));
if (!hasFix) process.exit(0);
if (hasModel) {
  console.log('\n== Explain & Fix (model: ' + (process.env.TRACEFIX_MODEL ?? 'default') + ') ==\n');
  const fixed = run(['fix', '--test', test]);
  process.exit(fixed.status === 1 ? 0 : (fixed.status ?? 1));
}
console.log('\n== No model configured: this is the exact prompt Explain & Fix would send ==\n');
const shown = run(['fix', '--test', test, '--prompt-only']);
console.log(`
To let a model explain and fix it, set one of:
  OPENAI_API_KEY=sk-…              (OpenAI; optional TRACEFIX_MODEL, default gpt-4o-mini)
  TRACEFIX_BASE_URL=http://127.0.0.1:11434/v1 TRACEFIX_MODEL=qwen2.5-coder   (Ollama, vLLM, LM Studio, llama.cpp server)
then run \`npm run demo\` again.`);
process.exit(shown.status ?? 0);
