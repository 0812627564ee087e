export declare const name: string;
export declare const PYTEST_LIBS: string;
export declare const MATRIX_VERSIONS: string[];
export declare function matrixPythons(): { version: string; python: string }[];
export declare function ensure(opts: { log: (message: string) => void }): {
  status: string;
  detail: string;
  command?: string;
};
