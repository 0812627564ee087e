// Helpers of the CLI end-to-end suites (cli-*.test.ts): the CLI bundled as the build does, run as a
// real process in a temporary project folder with a clean environment and /usr/bin/python3 (which has
// debugpy and pytest).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { nodeBundle } from '../../scripts/esbuild-options.mjs';

export const ROOT = path.resolve(__dirname, '../..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Bundles src/cli/main.ts into a temp folder; returns the script and a cleanup. */
export async function buildCli(): Promise<{ cli: string; dispose: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-cli-build-'));
  const cli = path.join(dir, 'cli.js');
  await esbuild.build({
    ...nodeBundle,
    absWorkingDir: ROOT,
    entryPoints: ['src/cli/main.ts'],
    outfile: cli,
  });
  return { cli, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

const MODEL_VARS = [
  'OPENAI_API_KEY',
  'TRACEFIX_API_KEY',
  'TRACEFIX_BASE_URL',
  'TRACEFIX_MODEL',
  'TRACEFIX_DEBUG',
  'TRACEFIX_PYTHON',
];

/** process.env without model settings, plus `extra`. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of MODEL_VARS) delete env[k];
  return { ...env, TRACEFIX_PYTHON: '/usr/bin/python3', ...extra };
}

export function runCli(
  cli: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cli, ...args], { cwd, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    p.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fix answer naming `file`, with a rationale that cites steps and a Summary line. */
export function fixAnswer(file: string, code: string, summary = 'Fix it.'): string {
  return `At (3) the value is already wrong, and (5) returns it.\n\nSummary: ${summary}\n\n\`\`\`python ${file}\n${code}\n\`\`\`\n`;
}
