// esbuild options shared by every bundle of this repo (product, tests, benchmarks): Node 20, CommonJS,
// and the debuggee helper's Python source bundled as text.
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  loader: { '.py': 'text' },
};
