import type { BuildOptions } from 'esbuild';
export declare const nodeBundle: BuildOptions;
export declare const webviewBundle: BuildOptions;
export declare const WEBVIEWS: readonly string[];
export declare function webviewEntry(
  name: string,
): BuildOptions & { entryPoints: string[]; outfile: string };
