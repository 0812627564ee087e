// Bundles and runs scripts/bench/compare.ts (esbuild, same loaders as the product bundles).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { nodeBundle } from '../esbuild-options.mjs';

await esbuild.build({
  ...nodeBundle,
  entryPoints: ['scripts/bench/compare.ts'],
  outfile: 'out/bench/compare.js',
});
const r = spawnSync(process.execPath, ['out/bench/compare.js'], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
