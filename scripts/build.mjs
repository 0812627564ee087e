// Bundles the extension (vscode external), the CLI and the stand-alone replay adapter with esbuild.
// The openai SDK and the o200k tokenizer tables go to their own files (dist/vendor/*.js) that the
// bundles require only on first use, so activation and `tracefix trace` do not load them.
//
//   node scripts/build.mjs                 development build (readable, source maps)
//   node scripts/build.mjs --production    minified (vscode:prepublish, prepack); prints sizes
//   node scripts/build.mjs --watch
import * as esbuild from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { nodeBundle } from './esbuild-options.mjs';

/** Packages loaded lazily from dist/vendor/<name>.js (src/core/model/openaiSdk.ts, src/core/render/tokens.ts). */
export const VENDORED = ['openai', 'gpt-tokenizer'];

/** Resolves `require('openai')` etc. in the main bundles to the vendor file next to them. */
const vendorExternal = {
  name: 'vendor-external',
  setup(build) {
    const filter = new RegExp(`^(${VENDORED.map((n) => n.replace(/[-/]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

const argv = process.argv.slice(2);
const watch = argv.includes('--watch');
const production = argv.includes('--production');
const common = { ...nodeBundle, minify: production, metafile: production };

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [vendorExternal] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [vendorExternal] },
  { entryPoints: ['src/core/replay/adapterMain.ts'], outfile: 'dist/replayAdapter.js', plugins: [vendorExternal] },
].filter((e) => existsSync(e.entryPoints[0]));
// Each vendor file is the package's CommonJS entry, exactly what `require(name)` gives in development.
for (const name of VENDORED) {
  entries.push({ stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd(), sourcefile: `vendor-${name}.js` }, outfile: `dist/vendor/${name}.js` });
}

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context({ ...common, ...e });
    await ctx.watch();
  }
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  if (production) {
    const kb = (f) => `${(statSync(f).size / 1024).toFixed(0)} KB`;
    console.log(`build (production, minified): ${entries.map((e) => `${e.outfile} ${kb(e.outfile)}`).join(', ')}`);
  }
}
