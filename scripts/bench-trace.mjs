// Bundles and runs scripts/bench/trace.ts (esbuild, same loaders as the product bundles).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';

await esbuild.build({
  entryPoints: ['scripts/bench/trace.ts'], outfile: 'out/bench/trace.js', bundle: true, platform: 'node',
  target: 'node20', format: 'cjs', loader: { '.py': 'text' }, logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['out/bench/trace.js'], { stdio: 'inherit' });
process.exitCode = r.status ?? 1;
