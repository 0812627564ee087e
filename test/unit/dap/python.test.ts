// Pure parts of interpreter discovery: Requires-Python matching, locating Tracefix's bundled debugpy.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  debugpyImportRoot,
  debugpyRequiresPython,
  defaultBundledDebugpy,
  satisfiesRequiresPython,
} from '../../../src/core/dap/python';

function fakeDebugpy(libs: string, requiresPython?: string): void {
  mkdirSync(path.join(libs, 'debugpy'), { recursive: true });
  writeFileSync(path.join(libs, 'debugpy', '__init__.py'), '');
  if (requiresPython !== undefined) {
    mkdirSync(path.join(libs, 'debugpy-1.8.22.dist-info'));
    writeFileSync(
      path.join(libs, 'debugpy-1.8.22.dist-info', 'METADATA'),
      `Metadata-Version: 2.4\nName: debugpy\nVersion: 1.8.22\nRequires-Python: ${requiresPython}\nLicense: MIT\n`,
    );
  }
}

describe('satisfiesRequiresPython', () => {
  it.each([
    ['3.10.0', '>=3.10', true],
    ['3.9.18', '>=3.10', false],
    ['3.13.0', '>=3.10', true],
    ['3.8.18', '>=3.8, !=3.9.*', true],
    ['3.9.1', '>=3.8, !=3.9.*', false],
    ['3.12.1', '<3.12', false],
    ['3.11.7', '<3.12', true],
    ['3.12.1', '==3.12.*', true],
    ['3.12.1', '~=3.10', true],
    ['4.0.0', '~=3.10', false],
    ['3.12.1', '>3.12', true],
    ['3.12.0', '>3.12', false],
    ['3.12.1', 'something odd', true],
  ])('%s against %s → %s', (version, spec, expected) => {
    expect(satisfiesRequiresPython(version, spec)).toBe(expected);
  });
});

describe('bundled debugpy folders', () => {
  it('reads Requires-Python from the dist-info pip --target leaves next to the package', () => {
    const libs = mkdtempSync(path.join(tmpdir(), 'tfx-libs-'));
    fakeDebugpy(libs, '>=3.10');
    expect(debugpyRequiresPython(libs)).toBe('>=3.10');
    const bare = mkdtempSync(path.join(tmpdir(), 'tfx-libs-'));
    fakeDebugpy(bare);
    expect(debugpyRequiresPython(bare)).toBeUndefined();
    expect(debugpyRequiresPython(path.join(bare, 'missing'))).toBeUndefined();
  });

  it('finds bundled/libs next to dist/ (VSIX, npm package) and above src/core/dap (sources), nowhere else', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tfx-pkg-'));
    expect(defaultBundledDebugpy(path.join(root, 'dist'))).toBeUndefined();
    fakeDebugpy(path.join(root, 'bundled', 'libs'));
    expect(defaultBundledDebugpy(path.join(root, 'dist'))).toBe(path.join(root, 'bundled', 'libs'));
    expect(defaultBundledDebugpy(path.join(root, 'src', 'core', 'dap'))).toBe(
      path.join(root, 'bundled', 'libs'),
    );
    expect(defaultBundledDebugpy(path.join(root, 'a', 'b', 'c', 'd'))).toBeUndefined();
  });

  it('accepts an extension folder, its bundled/libs, or the debugpy package folder itself', () => {
    const ext = mkdtempSync(path.join(tmpdir(), 'tfx-ext-'));
    const libs = path.join(ext, 'bundled', 'libs');
    fakeDebugpy(libs);
    expect(debugpyImportRoot(ext)).toBe(libs);
    expect(debugpyImportRoot(libs)).toBe(libs);
    expect(debugpyImportRoot(path.join(libs, 'debugpy'))).toBe(libs);
    expect(debugpyImportRoot(path.join(ext, 'bundled'))).toBeUndefined();
  });
});
