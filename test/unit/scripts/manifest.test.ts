// scripts/manifest.mjs: package.json's generated parts come from src/extension/contributes; a stale
// copy is found (so `npm run lint` fails), and writing it keeps everything written by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expectedPackageJson,
  generatedManifest,
  PACKAGE_JSON,
  staleParts,
  withGenerated,
} from '../../../scripts/manifest.mjs';

describe('generated manifest', () => {
  it('writing is idempotent: what it writes is what it expects', async () => {
    const once = await expectedPackageJson(readFileSync(PACKAGE_JSON, 'utf8'));
    expect(await expectedPackageJson(once)).toBe(once);
    expect(await staleParts(once)).toEqual([]);
  }, 30_000);

  it('finds a stale copy: a command, a setting default, a tool schema, a restricted setting', async () => {
    const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as {
      contributes: {
        commands: { title: string }[];
        configuration: { properties: Record<string, { default?: unknown }> };
        languageModelTools: { inputSchema: object }[];
        extra?: unknown;
      };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    pkg.contributes.commands[0]!.title = 'Explain';
    pkg.contributes.configuration.properties['tracefix.maxEvents']!.default = 1;
    pkg.contributes.languageModelTools[1]!.inputSchema = {};
    pkg.contributes.extra = [];
    pkg.capabilities.untrustedWorkspaces.restrictedConfigurations = [];
    expect(await staleParts(JSON.stringify(pkg))).toEqual([
      'contributes.commands',
      'contributes.configuration',
      'contributes.languageModelTools',
      'capabilities',
      'contributes.extra (not declared)',
    ]);
  }, 30_000);

  it('keeps the hand-written fields and their order, and the hand-written activation events', async () => {
    const gen = await generatedManifest();
    const pkg = {
      name: 'x',
      activationEvents: ['onLanguage:python'],
      contributes: {},
      capabilities: { untrustedWorkspaces: { supported: 'limited', description: 'd' } },
      files: ['dist/'],
    };
    const out = withGenerated(pkg, gen);
    expect(Object.keys(out)).toEqual(Object.keys(pkg));
    expect(out.activationEvents).toEqual(['onLanguage:python', 'onDebugResolve:tracefix-replay']);
    expect(out.capabilities).toEqual({
      untrustedWorkspaces: {
        supported: 'limited',
        description: 'd',
        restrictedConfigurations: ['tracefix.pythonPath', 'tracefix.launch'],
      },
    });
    expect(out.contributes).toBe(gen.contributes);
  }, 30_000);
});
