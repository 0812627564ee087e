// Shared by the `tracefix fix` trust tests: the CLI bundled as scripts/build.mjs does, a fresh copy
// of a fixture per test, the scripted OpenAI-protocol server on 127.0.0.1, and answers that put a
// whole file in a code block.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../../scripts/esbuild-options.mjs';
import { startOpenAIServer, steps, type OpenAIServer } from '../../support/openaiServer';

export const ROOT = path.resolve(__dirname, '../../..');
export const AVERAGE_FIXTURE = path.join(ROOT, 'test/fixtures/fix/average');
export const TEST_ID = 'tests/test_average.py::test_average';

/** The fixed average.py, with `top` lines before the function, `body` lines (indented) before the
 * fixed return, and `main` replacing the `__main__` block's lines (indented by the caller). */
export function averageWith(
  parts: { top?: string[]; body?: string[]; main?: string[] } = {},
): string {
  return [
    ...(parts.top ?? []),
    'def average(xs):',
    '    """Return the arithmetic mean of the numbers in xs."""',
    '    total = 0',
    '    for x in xs:',
    '        total += x',
    ...(parts.body ?? []).map((l) => `    ${l}`),
    '    return total / len(xs)',
    '',
    '',
    'if __name__ == "__main__":',
    ...(parts.main ?? [
      '    result = average([2, 4, 6])',
      '    assert result == 4, f"expected 4, got {result}"',
      '    print("ok")',
    ]),
    '',
  ].join('\n');
}

/** A model answer that replaces whole files. */
export function answer(summary: string, files: Record<string, string>): string {
  const blocks = Object.entries(files).map(
    ([p, text]) => `\`\`\`python ${p}\n${text.replace(/\n$/, '')}\n\`\`\``,
  );
  return [
    `The function divides by len(xs) + 1 at step (8).`,
    `Summary: ${summary}`,
    '',
    ...blocks,
    '',
  ].join('\n');
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class CliHarness {
  cli = '';
  private buildDir = '';
  server: OpenAIServer | undefined;
  private dirs: string[] = [];

  async build(): Promise<void> {
    this.buildDir = mkdtempSync(path.join(os.tmpdir(), 'tfx-verify-cli-'));
    this.cli = path.join(this.buildDir, 'cli.js');
    await esbuild.build({
      ...nodeBundle,
      absWorkingDir: ROOT,
      entryPoints: ['src/cli/main.ts'],
      outfile: this.cli,
    });
  }

  /** A fresh copy of `fixture` as <tmp>/<name>. */
  project(fixture = AVERAGE_FIXTURE, name = 'average'): string {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tfx-verify-user-')), name);
    cpSync(fixture, dir, { recursive: true });
    this.dirs.push(path.dirname(dir));
    return dir;
  }

  run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
    const base = { ...process.env };
    for (const k of [
      'OPENAI_API_KEY',
      'TRACEFIX_BASE_URL',
      'TRACEFIX_MODEL',
      'TRACEFIX_DEBUG',
      'TRACEFIX_SANDBOX',
    ])
      delete base[k];
    // The interpreter with debugpy and pytest (the pyenv one first on PATH has neither).
    // The model the scripted server lists (test/support/openaiServer.ts).
    const fullEnv = {
      ...base,
      TRACEFIX_PYTHON: '/usr/bin/python3',
      TRACEFIX_MODEL: 'test-model',
      PWD: cwd,
      ...env,
    };
    return new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [this.cli, ...args], { cwd, env: fullEnv });
      let stdout = '';
      let stderr = '';
      p.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
      p.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
      p.on('error', reject);
      p.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** `tracefix fix ARGS` in `cwd` against a server answering `answers` in turn. */
  async fix(
    answers: string[],
    args: string[],
    cwd: string,
    env: Record<string, string> = {},
  ): Promise<CliRun & { server: OpenAIServer }> {
    this.server = await startOpenAIServer(answers.map((a) => steps.answer(a)));
    const r = await this.run(['fix', ...args], cwd, { TRACEFIX_BASE_URL: this.server.url, ...env });
    return { ...r, server: this.server };
  }

  async afterEach(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }

  dispose(): void {
    rmSync(this.buildDir, { recursive: true, force: true });
  }
}
