// esbuild options shared by every bundle of this repo (product, tests, benchmarks): Node 20, CommonJS,
// and the debuggee helper's Python source bundled as text; the webviews' scripts for the browser.
/**
 * zod's package.json says `"sideEffects": false`. The CLI imports the MCP SDK (which imports zod)
 * with `import()`, so esbuild wraps zod's modules in lazy initialisers — and then drops the
 * initialiser call at a static `import … from 'zod'` of a side-effect-free package, leaving zod's
 * classes undefined when the tools' schemas are built at load (esbuild issue 2326). Resolving `zod`
 * here, marked as having side effects, keeps the call.
 */
export const zodInitialised = {
  name: 'zod-initialised',
  setup(build) {
    build.onResolve({ filter: /^zod$/ }, async (args) => {
      if (args.pluginData === 'zod-initialised') return undefined;
      const r = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'zod-initialised',
      });
      return r.errors.length ? { errors: r.errors } : { path: r.path, sideEffects: true };
    });
  },
};

export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  loader: { '.py': 'text' },
  plugins: [zodInitialised],
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
