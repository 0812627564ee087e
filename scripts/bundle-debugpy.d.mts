export interface BundledDebugpyInfo {
  version: string;
  tags: string[];
  requiresPython: string | undefined;
  distInfo: string;
  path: string;
}
export declare const DEBUGPY_VERSION: string;
export declare const DEBUGPY_SPEC: string;
export declare const DEBUGPY_SHA256: string;
export declare const BUNDLED_LIBS: string;
export declare function bundledDebugpyInfo(libs?: string): BundledDebugpyInfo | undefined;
export declare function ensureBundledDebugpy(opts?: {
  force?: boolean;
  clean?: boolean;
  log?: (message: string) => void;
}): BundledDebugpyInfo;
export declare function removeBytecode(libs?: string): number;
export declare function bytecodeInterpreters(): { tag: string; python: string }[];
export declare function compileBytecode(opts?: {
  libs?: string;
  log?: (message: string) => void;
}): string[];
