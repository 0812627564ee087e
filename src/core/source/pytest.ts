// pytest's view of Python files: which files it collects, the test functions it finds in them
// (from the one structure reader, pyStructure.ts) and node ids taken apart.
import type { PySource } from './pyStructure';

/** Whether a file name follows pytest's default test-file patterns (`test_*.py`, `*_test.py`). */
export function isPytestFile(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? '';
  return /^test_.*\.py$/.test(base) || /^.+_test\.py$/.test(base);
}

export interface PytestFunction {
  /** `Class::test_name` or `test_name`, the part of the node id after the file. */
  id: string;
  header: number;
  start: number;
  end: number;
}

/** Test functions pytest collects by default: `def test*` at module level or in `class Test*`. */
export function pytestFunctions(src: PySource): PytestFunction[] {
  const out: PytestFunction[] = [];
  for (const b of src.blocks) {
    if (b.kind !== 'def' || !b.name.startsWith('test')) continue;
    const names: string[] = [b.name];
    let parent = b.parent;
    let ok = true;
    while (parent) {
      if (parent.kind !== 'class' || !parent.name.startsWith('Test')) ok = false;
      names.unshift(parent.name);
      parent = parent.parent;
    }
    if (ok) out.push({ id: names.join('::'), header: b.header, start: b.start, end: b.end });
  }
  return out;
}

/** The test function whose lines (decorators to last body line) contain `line`, if any. */
export function pytestFunctionAt(src: PySource, line: number): PytestFunction | undefined {
  return pytestFunctions(src).find((t) => line >= t.start && line <= t.end);
}

/** A pytest node id split up: `tests/test_x.py::TestC::test_y[1-2]` → file, classes + name, params. */
export interface NodeIdParts {
  /** The file part, forward slashes ('' when the id names no file). */
  file: string;
  /** Classes then the function: `['TestC', 'test_y']`. */
  names: string[];
  /** The parametrization id without brackets (`1-2`), if any. */
  params?: string;
}

export function parseNodeId(nodeId: string): NodeIdParts {
  // Parameter ids may hold `::` or `/`; cut them off first.
  const bracket = nodeId.indexOf('[');
  const head = bracket >= 0 ? nodeId.slice(0, bracket) : nodeId;
  const params = bracket >= 0 && nodeId.endsWith(']') ? nodeId.slice(bracket + 1, -1) : undefined;
  const parts = head.split('::');
  const first = parts[0] ?? '';
  const isFile = parts.length > 1 || /\.py$/.test(first);
  const out: NodeIdParts = {
    file: isFile ? first.replace(/\\/g, '/') : '',
    names: (isFile ? parts.slice(1) : parts).filter(Boolean),
  };
  if (params !== undefined) out.params = params;
  return out;
}

/** Whether `path` and a node id's file name the same file (either may be relative to another folder). */
export function samePyFile(path: string, nodeFile: string): boolean {
  const a = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const b = nodeFile.replace(/\\/g, '/').replace(/^\.\//, '');
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}
