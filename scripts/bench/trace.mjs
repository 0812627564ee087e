// Bundles and runs scripts/bench/trace.ts (esbuild, same loaders as the product bundles).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { nodeBundle } from '../esbuild-options.mjs';

await esbuild.build({
  ...nodeBundle,
  entryPoints: ['scripts/bench/trace.ts'],
  outfile: 'out/bench/trace.js',
});
const r = spawnSync(process.execPath, ['out/bench/trace.js'], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
