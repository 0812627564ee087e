// What the product build bundles (scripts/build.mjs): the extension, the CLI, the replay adapter and
// the webviews' scripts — shared with scripts/notices.mjs, which lists the third-party packages that
// end up inside these files.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundle, WEBVIEWS, webviewEntry } from './esbuild-options.mjs';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Packages loaded lazily from dist/vendor/<name>.js (src/core/model/client/openaiSdk.ts,
 * src/core/render/tokens.ts, src/extension/explain/markdown.ts). */
export const VENDORED = ['openai', 'gpt-tokenizer', 'markdown-it'];

/** Resolves `require('openai')` etc. in the main bundles to the vendor file next to them. */
const vendorExternal = {
  name: 'vendor-external',
  setup(build) {
    const filter = new RegExp(`^(${VENDORED.map((n) => n.replace(/[-/]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

/** esbuild option sets, one per output file under dist/. */
export function productEntries({ production = false } = {}) {
  const common = { ...nodeBundle, absWorkingDir: repo, minify: production };
  const entries = [
    {
      entryPoints: ['src/extension/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      plugins: [...nodeBundle.plugins, vendorExternal],
    },
    {
      entryPoints: ['src/cli/main.ts'],
      outfile: 'dist/cli.js',
      banner: { js: '#!/usr/bin/env node' },
      plugins: [...nodeBundle.plugins, vendorExternal],
    },
    {
      entryPoints: ['src/core/replay/adapterMain.ts'],
      outfile: 'dist/replayAdapter.js',
      plugins: [...nodeBundle.plugins, vendorExternal],
    },
  ].filter((e) => existsSync(path.join(repo, e.entryPoints[0])));
  // Each vendor file is the package's CommonJS entry, exactly what `require(name)` gives in development.
  for (const name of VENDORED) {
    entries.push({
      stdin: {
        contents: `module.exports = require(${JSON.stringify(name)});`,
        resolveDir: repo,
        sourcefile: `vendor-${name}.js`,
      },
      outfile: `dist/vendor/${name}.js`,
    });
  }
  const node = entries.map((e) => ({ ...common, ...e }));
  const webviews = WEBVIEWS.map((name) => ({
    ...webviewEntry(name),
    absWorkingDir: repo,
    minify: production,
  }));
  return [...node, ...webviews];
}
