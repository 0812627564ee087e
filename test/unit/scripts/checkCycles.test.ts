// The cycle check `npm run lint` runs: it must see every kind of import (a type-only one, a
// re-export, a dynamic import), report a cycle between folders of core even through different
// files, and pass on src/ as it is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCycles } from '../../../scripts/check-cycles.mjs';

describe('check-cycles', () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-cycles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a cycle made of a type-only import', () => {
    write('src/a.ts', "import type { B } from './b';\nexport type A = B | 1;\n");
    write('src/b.ts', "import { a } from './a';\nexport type B = 2;\nexport const b = a;\n");
    expect(findCycles([path.join(dir, 'src')])).toEqual([
      expect.stringMatching(/import cycle: .*a\.ts ⇄ .*b\.ts/),
    ]);
  });

  it('finds cycles through re-exports, index files and dynamic imports', () => {
    write('src/x/index.ts', "export { y } from '../y';\n");
    write('src/y.ts', "export const y = () => import('./z');\n");
    write('src/z.ts', "import { y } from './x';\nexport const z = y;\n");
    const found = findCycles([path.join(dir, 'src')]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/x\/index\.ts ⇄ .*y\.ts ⇄ .*z\.ts/);
  });

  it('finds two folders of core that depend on each other through different files', () => {
    write(
      'src/core/dap/client.ts',
      "import type { T } from '../trace/model';\nexport type C = T;\n",
    );
    write('src/core/trace/model.ts', 'export type T = 1;\n');
    write(
      'src/core/trace/record.ts',
      "import type { C } from '../dap/client';\nexport type R = C;\n",
    );
    write('src/core/errors.ts', 'export const E = 1;\n');
    write(
      'src/core/render/next.ts',
      "import { E } from '../errors';\nimport type { T } from '../trace/model';\nexport const n: T | number = E;\n",
    );
    const found = findCycles([path.join(dir, 'src')]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^layer cycle between core\/dap, core\/trace: .*client\.ts → core\/trace; .*record\.ts → core\/dap$/,
    );
  });

  it('passes a tree without cycles, packages and files outside it ignored', () => {
    write(
      'src/a.ts',
      "import * as fs from 'node:fs';\nimport { b } from './b';\nexport const a = [fs, b];\n",
    );
    write('src/b.ts', "import { c } from '../elsewhere/c';\nexport const b = c;\n");
    write('elsewhere/c.ts', "import { a } from '../src/a';\nexport const c = a;\n");
    expect(findCycles([path.join(dir, 'src')])).toEqual([]);
  });

  it('finds none in src/', () => {
    expect(findCycles([path.resolve(__dirname, '../../../src')])).toEqual([]);
  });
});
