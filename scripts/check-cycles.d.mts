export declare function importGraph(roots: string[]): Map<string, Set<string>>;
export declare function cycles(graph: Map<string, Set<string>>): string[][];
export declare function layerGraph(
  graph: Map<string, Set<string>>,
  coreDir: string,
): Map<string, Set<string>>;
export declare function findCycles(roots: string[]): string[];
