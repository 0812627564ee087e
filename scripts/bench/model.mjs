// Bundles and runs scripts/bench/model.ts (esbuild, same loaders as the product bundles).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { nodeBundle } from '../esbuild-options.mjs';

await esbuild.build({
  ...nodeBundle,
  entryPoints: ['scripts/bench/model.ts'],
  outfile: 'out/bench/model.js',
});
const r = spawnSync(process.execPath, ['--expose-gc', 'out/bench/model.js'], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
