// esbuild options shared by every bundle of this repo (product, tests, benchmarks): Node 20, CommonJS,
// and the debuggee helper's Python source bundled as text; the webviews' scripts for the browser.
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  loader: { '.py': 'text' },
};

/** A webview's script: one self-contained file for VS Code's Chromium (1.100: Chromium 132). */
export const webviewBundle = {
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  sourcemap: true,
  logLevel: 'warning',
};

/** The webviews: src/webview/<name>/main.ts → dist/webview/<name>.js. */
export const WEBVIEWS = ['explain', 'timeline'];

/** esbuild options of webview `name`'s script. */
export function webviewEntry(name) {
  return {
    ...webviewBundle,
    entryPoints: [`src/webview/${name}/main.ts`],
    outfile: `dist/webview/${name}.js`,
  };
}
