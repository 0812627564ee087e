import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Mirror esbuild's `.py` text loader so tests run the same helper source as the bundles.
  plugins: [
    {
      name: 'python-as-text',
      transform(code: string, id: string) {
        return id.endsWith('.py')
          ? { code: `export default ${JSON.stringify(code)};`, map: null }
          : undefined;
      },
    },
  ],
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['**/*.live.test.ts', 'node_modules/**'],
    // Integration tests start real debugpy processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
