// `npm run package`: tracefix-<version>.vsix, installable with `code --install-extension`.
// 1. debugpy 1.8 into bundled/libs (scripts/bundle-debugpy.mjs) if it is not there;
// 2. THIRD_PARTY_NOTICES must cover everything shipped (scripts/notices.mjs --check);
// 3. vsce package (its vscode:prepublish step is the minified production build);
// 4. the VSIX is opened and inspected: bundles, vendor files, debugpy, notices, nothing of the tests.
//
//   node scripts/package.mjs [--out FILE]     build, package, inspect; prints sizes
//   node scripts/package.mjs --inspect FILE   inspect an existing VSIX only
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repo } from './build-config.mjs';
import { ensureBundledDebugpy } from './bundle-debugpy.mjs';
import { checkNotices } from './notices.mjs';

const log = (m) => console.log(`[package] ${m}`);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function defaultVsixPath() {
  const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
  return path.join(repo, `tracefix-${version}.vsix`);
}

/** Entries of a zip file (name, size, text of small text entries on demand), read with Python's zipfile. */
function readZip(file, wanted = []) {
  const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wanted = set(json.loads(sys.argv[2]))
out = {"entries": [[i.filename, i.file_size] for i in z.infolist()], "texts": {}}
for name in wanted:
    try: out["texts"][name] = z.read(name).decode("utf-8")
    except KeyError: pass
print(json.dumps(out))`;
  const r = spawnSync('python3', ['-c', script, file, JSON.stringify(wanted)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`cannot read ${file} as a zip: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const REQUIRED = [
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/THIRD_PARTY_NOTICES',
  'extension/dist/extension.js',
  'extension/dist/replayAdapter.js',
  'extension/dist/vendor/openai.js',
  'extension/dist/vendor/gpt-tokenizer.js',
  'extension/dist/vendor/markdown-it.js',
  'extension/dist/webview/explain.js',
  'extension/dist/webview/timeline.js',
  'extension/media/icon.png',
  'extension/docs/trace-format.md',
  'extension/bundled/libs/debugpy/__init__.py',
  'extension/bundled/libs/debugpy/adapter/__main__.py',
  'extension/bundled/libs/debugpy/ThirdPartyNotices.txt',
];
/** Nothing of the sources, tests or build scaffolding belongs in the VSIX; the only bytecode is
 * debugpy's, compiled when it was bundled (scripts/bundle-debugpy.mjs) so no recording compiles it. */
const FORBIDDEN = [
  /^extension\/(src|test|out|scripts|node_modules|coverage|test-output|examples|\.vscode-test|\.ci|\.github)\//,
  /^extension\/(dist|media|docs)\/.*(\.test\.|\/test\/)/,
  /\.(ts|map|tsbuildinfo)$/,
  /^(?!extension\/bundled\/libs\/).*(\.pyc$|(^|\/)__pycache__\/)/,
];
const DEBUGPY_BYTECODE =
  /^extension\/bundled\/libs\/debugpy\/__pycache__\/__init__\.(cpython-3\d+)\.pyc$/;

/** Checks a VSIX; returns { problems, figures }. */
export async function inspectVsix(file) {
  const z = readZip(file, [
    'extension/package.json',
    'extension/dist/extension.js',
    'extension/THIRD_PARTY_NOTICES',
  ]);
  const names = new Set(z.entries.map(([n]) => n));
  const size = (n) => z.entries.find(([e]) => e === n)?.[1] ?? 0;
  const problems = [];
  for (const r of REQUIRED) if (!names.has(r)) problems.push(`missing ${r}`);
  for (const [n] of z.entries)
    if (FORBIDDEN.some((re) => re.test(n))) problems.push(`should not be shipped: ${n}`);
  const distInfo = [...names].find((n) =>
    /^extension\/bundled\/libs\/debugpy-1\.8\.[^/]+\.dist-info\/METADATA$/.test(n),
  );
  if (!distInfo) problems.push('no debugpy 1.8 dist-info in bundled/libs');
  const bytecode = [...names].map((n) => DEBUGPY_BYTECODE.exec(n)?.[1]).filter(Boolean);
  if (bytecode.length === 0) problems.push('no compiled bytecode for bundled/libs/debugpy');
  if (![...names].some((n) => /^extension\/(LICENSE|LICENSE\.txt|LICENSE\.md)$/.test(n)))
    problems.push('missing LICENSE');
  const pkg = JSON.parse(z.texts['extension/package.json'] ?? '{}');
  if (pkg.main !== './dist/extension.js') problems.push(`package.json main is ${pkg.main}`);
  const ext = z.texts['extension/dist/extension.js'] ?? '';
  // Minified: esbuild's readable output marks each module with a `// src/...` path comment.
  const modules = (ext.match(/^\/\/ (src|node_modules)\//gm) ?? []).length;
  if (modules > 0)
    problems.push(
      `dist/extension.js is not minified (${modules} module comments, ${kb(ext.length)})`,
    );
  // The heavy modules are separate files required on first use, not part of the activation bundle.
  for (const v of ['openai', 'gpt-tokenizer'])
    if (!ext.includes(`require("./vendor/${v}.js")`))
      problems.push(`dist/extension.js does not load ${v} from dist/vendor`);
  if (ext.length > 1024 * 1024)
    problems.push(`dist/extension.js is ${kb(ext.length)}: something heavy is bundled into it`);
  problems.push(
    ...(await checkNotices(z.texts['extension/THIRD_PARTY_NOTICES'] ?? '')).map(
      (p) => `THIRD_PARTY_NOTICES: ${p}`,
    ),
  );
  const bundledBytes = z.entries
    .filter(([n]) => n.startsWith('extension/bundled/'))
    .reduce((s, [, b]) => s + b, 0);
  const figures = {
    vsix: statSync(file).size,
    files: z.entries.length,
    extensionJs: size('extension/dist/extension.js'),
    replayAdapterJs: size('extension/dist/replayAdapter.js'),
    openaiJs: size('extension/dist/vendor/openai.js'),
    tokenizerJs: size('extension/dist/vendor/gpt-tokenizer.js'),
    bundledLibs: bundledBytes,
    debugpy: distInfo ? distInfo.replace(/^.*debugpy-(.+)\.dist-info.*$/, '$1') : undefined,
    bytecode,
  };
  return { problems, figures, version: pkg.version, name: `${pkg.publisher}.${pkg.name}` };
}

export function describeFigures(f) {
  return (
    `${mb(f.vsix)} VSIX, ${f.files} files: dist/extension.js ${kb(f.extensionJs)}, replayAdapter.js ${kb(f.replayAdapterJs)}, ` +
    `vendor/openai.js ${kb(f.openaiJs)}, vendor/gpt-tokenizer.js ${kb(f.tokenizerJs)} (loaded on first use), ` +
    `bundled/libs ${mb(f.bundledLibs)} uncompressed (debugpy ${f.debugpy}, bytecode for ${(f.bytecode ?? []).join(', ') || 'none'})`
  );
}

/** Builds and inspects the VSIX; throws when packaging fails or the inspection finds problems. */
export async function packageVsix({ out = defaultVsixPath() } = {}) {
  const started = Date.now();
  const debugpy = ensureBundledDebugpy({ log, clean: true });
  log(`bundled/libs: debugpy ${debugpy.version} (${debugpy.tags.join(', ')})`);
  const stale = await checkNotices();
  if (stale.length)
    throw new Error(
      `THIRD_PARTY_NOTICES is out of date (${stale.join('; ')}): run node scripts/notices.mjs and commit it`,
    );
  // --no-dependencies: everything is bundled by esbuild; node_modules is never shipped.
  const vsce = path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out],
    { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  // vsce lists every file (hundreds, most of them debugpy's); show its warnings and its verdict.
  for (const line of output.split('\n'))
    if (/WARNING|ERROR|DONE|prepublish|build \(production/.test(line)) console.log(line.trim());
  if (r.status !== 0)
    throw new Error(
      `vsce package failed (exit ${r.status}):\n${output.trim().split('\n').slice(-20).join('\n')}`,
    );
  const { problems, figures } = await inspectVsix(out);
  if (problems.length)
    throw new Error(`${path.basename(out)} failed inspection:\n  ${problems.join('\n  ')}`);
  log(
    `${path.relative(process.cwd(), out) || out}: ${describeFigures(figures)}; packaged in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { file: out, figures };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, inspect: { type: 'string' } },
  });
  try {
    if (values.inspect) {
      const { problems, figures } = await inspectVsix(path.resolve(values.inspect));
      for (const p of problems) console.error(`[package] ${p}`);
      log(describeFigures(figures));
      process.exit(problems.length ? 1 : 0);
    }
    await packageVsix({ out: values.out ? path.resolve(values.out) : undefined });
  } catch (e) {
    console.error(`[package] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
