// Bundles the extension (vscode external), the CLI and the stand-alone replay adapter with esbuild.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { nodeBundle } from './esbuild-options.mjs';

const watch = process.argv.includes('--watch');
const common = nodeBundle;
const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['src/core/replay/adapterMain.ts'], outfile: 'dist/replayAdapter.js' },
].filter((e) => existsSync(e.entryPoints[0]));

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context({ ...common, ...e });
    await ctx.watch();
  }
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
