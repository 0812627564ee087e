// package.json's `contributes` (commands, menus, settings, views, colours, the replay debugger, the
// language-model tools), the activation event of the debugger and the settings Restricted Mode
// withholds are generated from the code's declarations (src/extension/contributes/), as
// rust-analyzer generates its configuration: one typed declaration in src, never a hand copy.
//
//   node scripts/manifest.mjs            write them into package.json (npm run build does too)
//   node scripts/manifest.mjs --check    exit 1 when package.json is stale (part of npm run lint)
import * as esbuild from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundle } from './esbuild-options.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_JSON = path.join(repo, 'package.json');

/** What src/extension/contributes declares (bundled and evaluated here, as the build would). */
export async function generatedManifest() {
  const r = await esbuild.build({
    ...nodeBundle,
    entryPoints: ['src/extension/contributes/index.ts'],
    absWorkingDir: repo,
    write: false,
    sourcemap: false,
    logLevel: 'silent',
  });
  const module = { exports: {} };
  const load = new Function('module', 'exports', 'require', r.outputFiles[0].text);
  load(module, module.exports, createRequire(PACKAGE_JSON));
  return module.exports.generatedManifest();
}

/** `pkg` with the generated parts in place (every other field and their order kept). */
export function withGenerated(pkg, gen) {
  const untrusted = pkg.capabilities?.untrustedWorkspaces ?? {};
  return {
    ...pkg,
    activationEvents: [
      ...(pkg.activationEvents ?? []).filter((e) => !gen.activationEvents.includes(e)),
      ...gen.activationEvents,
    ],
    contributes: gen.contributes,
    capabilities: {
      ...pkg.capabilities,
      untrustedWorkspaces: { ...untrusted, restrictedConfigurations: gen.restrictedConfigurations },
    },
  };
}

/** package.json as the declarations make it (the text written, formatted as prettier keeps it). */
export async function expectedPackageJson(text = readFileSync(PACKAGE_JSON, 'utf8')) {
  return `${JSON.stringify(withGenerated(JSON.parse(text), await generatedManifest()), null, 2)}\n`;
}

/** Writes package.json if it is stale; returns whether it changed. */
export async function writeManifest() {
  const text = readFileSync(PACKAGE_JSON, 'utf8');
  const expected = await expectedPackageJson(text);
  if (expected === text) return false;
  writeFileSync(PACKAGE_JSON, expected);
  return true;
}

/** The top-level keys of package.json (and of `contributes`) that differ from the declarations. */
export async function staleParts(text = readFileSync(PACKAGE_JSON, 'utf8')) {
  const have = JSON.parse(text);
  const want = JSON.parse(await expectedPackageJson(text));
  const differs = (a, b) => JSON.stringify(a) !== JSON.stringify(b);
  const parts = Object.keys(want.contributes)
    .filter((k) => differs(have.contributes?.[k], want.contributes[k]))
    .map((k) => `contributes.${k}`);
  for (const k of Object.keys(want))
    if (k !== 'contributes' && differs(have[k], want[k])) parts.push(k);
  for (const k of Object.keys(have.contributes ?? {}))
    if (!(k in want.contributes)) parts.push(`contributes.${k} (not declared)`);
  return parts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = await staleParts();
    if (stale.length) {
      console.error(
        `[manifest] package.json differs from src/extension/contributes in ${stale.join(', ')}: run node scripts/manifest.mjs (or npm run build) and commit it`,
      );
      process.exit(1);
    }
    console.log('[manifest] package.json contributes what the code declares');
  } else {
    console.log(
      (await writeManifest())
        ? '[manifest] wrote package.json from src/extension/contributes'
        : '[manifest] package.json is up to date',
    );
  }
}
