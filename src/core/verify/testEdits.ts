// Which files of a patch are test code. A "fix" that edits the tests can make any failing test pass
// without fixing anything, so such a patch is reported as "changes the tests" and is neither
// verified nor offered unless the user allows test edits.
import * as path from 'node:path';

/** Folder names whose contents are tests. */
const TEST_DIRS = new Set(['tests', 'test', 'testing']);

/** Is `rel` (relative to the root, either slash) test code by its name or folder? */
export function isTestPath(rel: string): boolean {
  const parts = rel
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p && p !== '.');
  const name = parts[parts.length - 1] ?? '';
  if (name === 'conftest.py') return true;
  if (/^test_.*\.py$/.test(name) || /_test\.py$/.test(name)) return true;
  return parts.slice(0, -1).some((d) => TEST_DIRS.has(d));
}

/** The failing test's file relative to the root, forward slashes (undefined for scripts, modules and files outside the root). */
export function failingTestFile(program: {
  kind: string;
  target: string;
  cwd: string;
  root: string;
}): string | undefined {
  if (program.kind !== 'pytest') return undefined;
  const file = program.target.split('::')[0];
  if (!file) return undefined;
  const rel = path.relative(program.root, path.resolve(program.cwd, file));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** The patch's files that are test code: the failing test's own file, conftest.py, test_*.py, *_test.py, anything under tests/. */
export function testFilesIn(paths: string[], testFile?: string): string[] {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^\.\//, '');
  return paths.filter(
    (p) => isTestPath(p) || (testFile !== undefined && norm(p) === norm(testFile)),
  );
}
