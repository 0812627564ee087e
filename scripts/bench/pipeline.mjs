// The full pipeline benchmark (`npm run bench -- pipeline`): bundles the CLI (same esbuild options as
// the product) and runs `tracefix bench` with the given arguments; without any, the 164-task
// HumanEvalFix run with the test-only oracle provider, report in out/bench/humanevalfix-oracle.json.
// Examples:
//   npm run bench -- pipeline --dataset humanevalfix-plus --model oracle --out out/bench/plus.json
//   OPENAI_API_KEY=… npm run bench -- pipeline --model gpt-4o-mini --ablation --out out/bench/real.json
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { nodeBundle } from '../esbuild-options.mjs';

await esbuild.build({
  ...nodeBundle,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'out/bench/cli.js',
});
mkdirSync('out/bench', { recursive: true });
const args = process.argv.slice(2);
const run = args.length
  ? args
  : [
      '--dataset',
      'humanevalfix',
      '--model',
      'oracle',
      '--out',
      'out/bench/humanevalfix-oracle.json',
    ];
const r = spawnSync(process.execPath, ['out/bench/cli.js', 'bench', ...run], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
