// Bundles the extension (vscode external), the CLI, the stand-alone replay adapter and the webviews'
// scripts (dist/webview/*.js, for the browser) with esbuild.
// The openai SDK and the o200k tokenizer tables go to their own files (dist/vendor/*.js) that the
// bundles require only on first use, so activation and `tracefix trace` do not load them.
//
//   node scripts/build.mjs                 development build (readable, source maps), and
//                                          package.json's contributions (scripts/manifest.mjs)
//   node scripts/build.mjs --production    minified (vscode:prepublish, prepack); prints sizes
//   node scripts/build.mjs --watch
import * as esbuild from 'esbuild';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { productEntries, repo } from './build-config.mjs';
import { writeManifest } from './manifest.mjs';

const argv = process.argv.slice(2);
const production = argv.includes('--production');
const entries = productEntries({ production });

// A development build brings package.json's generated contributions up to date (src/extension/
// contributes); a production build (packaging) never rewrites it: lint has checked it is current.
if (!production && (await writeManifest()))
  console.log('build: package.json contributions regenerated from src/extension/contributes');

if (argv.includes('--watch')) {
  for (const e of entries) await (await esbuild.context(e)).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build(e)));
  if (production) {
    const kb = (f) => `${(statSync(path.join(repo, f)).size / 1024).toFixed(0)} KB`;
    console.log(
      `build (production, minified): ${entries.map((e) => `${e.outfile} ${kb(e.outfile)}`).join(', ')}`,
    );
  }
}
