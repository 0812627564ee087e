// Python sources bundled as text (esbuild `.py` text loader; a vite plugin in vitest.config.ts).
declare module '*.py' {
  const text: string;
  export default text;
}
