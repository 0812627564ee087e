// Bundles and runs scripts/bench/secrets.ts (esbuild, same loaders as the product bundles): the
// secrets corpus caught per path and encoding, and the cost of redaction per megabyte.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { nodeBundle } from '../esbuild-options.mjs';

await esbuild.build({
  ...nodeBundle,
  entryPoints: ['scripts/bench/secrets.ts'],
  outfile: 'out/bench/secrets.js',
});
const r = spawnSync(process.execPath, ['out/bench/secrets.js'], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
