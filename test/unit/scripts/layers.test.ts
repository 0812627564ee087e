// The layer and cycle rules `npm run lint` checks (.dependency-cruiser.cjs, run by depcruise): each
// rule finds what it forbids in a small tree, whatever kind of import makes it (a type-only one, a
// re-export, a dynamic import). The tree resolves modules as the repository does (its tsconfig and
// node_modules, so `vscode` is @types/vscode); that src/ as it is passes is `npm run lint` itself.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../../..');
const config = createRequire(import.meta.url)(
  path.join(repo, '.dependency-cruiser.cjs'),
) as IConfiguration;

let dir: string;
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

/** `rule: from → to` of every violation in the tree under `dir`. */
async function violations(): Promise<string[]> {
  const tsConfig = path.join(dir, 'tsconfig.json');
  const r = await cruise(
    ['src'],
    {
      ...config.options,
      tsConfig: { fileName: tsConfig },
      ruleSet: { forbidden: config.forbidden ?? [] },
      validate: true,
      baseDir: dir,
    },
    undefined,
    { tsConfig: extractTSConfig(tsConfig) },
  );
  const out = r.output as ICruiseResult;
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tracefix-layers-'));
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  copyFileSync(path.join(repo, 'tsconfig.base.json'), path.join(dir, 'tsconfig.base.json'));
  copyFileSync(path.join(repo, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('layer and cycle rules', () => {
  it('a cycle made of a type-only import', async () => {
    write('src/core/a/x.ts', "import type { Y } from './y';\nexport type X = Y | 1;\n");
    write('src/core/a/y.ts', "import { x } from './x';\nexport type Y = 2;\nexport const y = x;\n");
    expect(await violations()).toEqual(['no-cycle: src/core/a/x.ts → src/core/a/y.ts']);
  });

  it('two folders of core that depend on each other through different files, via re-export and dynamic import', async () => {
    write('src/core/trace/a.ts', "export { r } from '../render/r';\n");
    write('src/core/trace/b.ts', 'export const b = 1;\n');
    write('src/core/render/r.ts', 'export const r = 1;\n');
    write('src/core/render/s.ts', "export const s = () => import('../trace/b');\n");
    const v = await violations();
    expect(v.some((x) => x.startsWith('no-core-folder-cycle:'))).toBe(true);
    expect(v.some((x) => x.startsWith('no-cycle:'))).toBe(false);
  });

  it('core importing vscode (a value, a type, a require) or the extension; the CLI importing the extension', async () => {
    write('src/core/a/x.ts', "import * as vscode from 'vscode';\nexport const x = vscode;\n");
    write('src/core/a/t.ts', "import type { Uri } from 'vscode';\nexport type T = Uri;\n");
    write('src/cli/r.ts', "export const r = require('vscode') as unknown;\n");
    write('src/core/a/y.ts', "import { e } from '../../extension/e';\nexport const y = e;\n");
    write('src/extension/e.ts', "import * as vscode from 'vscode';\nexport const e = vscode;\n");
    write('src/cli/c.ts', "import { e } from '../extension/e';\nexport const c = e;\n");
    const vscode = 'node_modules/@types/vscode/index.d.ts';
    const v = (await violations()).map((x) =>
      x.replace(/→ .*node_modules\/@types\/vscode\/.*/, `→ ${vscode}`),
    );
    expect(v).toEqual(
      [
        'cli-without-editor: src/cli/c.ts → src/extension/e.ts',
        `core-without-vscode: src/cli/r.ts → ${vscode}`,
        'core-below-everything: src/core/a/y.ts → src/extension/e.ts',
        `core-without-vscode: src/core/a/t.ts → ${vscode}`,
        `core-without-vscode: src/core/a/x.ts → ${vscode}`,
      ].sort(),
    );
  });

  it('a webview importing more than its protocol; a protocol importing a value; the extension importing a webview', async () => {
    write('src/extension/t/protocol.ts', "import { v } from '../v';\nexport type P = typeof v;\n");
    write('src/extension/t/ok.ts', "import type { M } from '../m';\nexport type Q = M;\n");
    write('src/extension/v.ts', 'export const v = 1;\n');
    write('src/extension/m.ts', 'export type M = 1;\n');
    write('src/extension/host.ts', "import { w } from '../webview/t/w';\nexport const h = w;\n");
    write(
      'src/webview/t/w.ts',
      "import type { P } from '../../extension/t/protocol';\nimport { v } from '../../extension/v';\nexport const w: P = v;\n",
    );
    expect(await violations()).toEqual([
      'extension-not-webview: src/extension/host.ts → src/webview/t/w.ts',
      'protocol-is-types: src/extension/t/protocol.ts → src/extension/v.ts',
      'webview-sees-only-protocol: src/webview/t/w.ts → src/extension/v.ts',
    ]);
  });

  it('contributes/ declarations free of vscode', async () => {
    write(
      'src/extension/contributes/c.ts',
      "import * as vscode from 'vscode';\nexport const c = vscode;\n",
    );
    expect(await violations()).toEqual([
      expect.stringMatching(
        /^contributes-without-vscode: src\/extension\/contributes\/c\.ts → .*@types\/vscode\//,
      ),
    ]);
  });
});
