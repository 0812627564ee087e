// Fails on an import cycle, run by `npm run lint`. Two levels:
//   - files: no cycle among the modules of src/ (type-only imports and re-exports count: a cycle of
//     types still ties the modules together and breaks the order esbuild initialises them in);
//   - folders of src/core: each folder (dap, trace, model, …) is a layer, and no two layers may
//     depend on each other, even through different files.
// Imports are read with TypeScript's own pre-processor, so `import type`, `export … from` and
// dynamic `import()` are all seen.
//
//   node scripts/check-cycles.mjs [root …]   (default: src) — prints each cycle, exit code 1 if any
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs'];

function sourceFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (EXTENSIONS.some((x) => e.name.endsWith(x)) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The file a relative specifier names (`./x` → x.ts or x/index.ts); undefined for packages. */
function resolve(from, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [
    base,
    ...EXTENSIONS.map((x) => base + x),
    ...EXTENSIONS.map((x) => path.join(base, `index${x}`)),
  ];
  // `./x.js` written for ESM output names x.ts.
  if (/\.m?js$/.test(base)) candidates.push(base.replace(/\.m?js$/, '.ts'));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** file → files it imports (relative imports only). */
export function importGraph(roots) {
  const graph = new Map();
  for (const root of roots) {
    for (const file of sourceFiles(root)) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      const deps = new Set();
      for (const ref of info.importedFiles) {
        const target = resolve(file, ref.fileName);
        if (target) deps.add(target);
      }
      graph.set(file, deps);
    }
  }
  return graph;
}

/** Strongly connected components with more than one node (or a self-import): the cycles. */
export function cycles(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The graph of src/core's folders: `core/dap` → `core/trace` when a file of one imports the other. */
export function layerGraph(graph, coreDir) {
  const layerOf = (file) => {
    const rel = path.relative(coreDir, file);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const [first, ...rest] = rel.split(path.sep);
    return rest.length ? first : undefined; // files directly in core/ (errors.ts) are shared leaves
  };
  const layers = new Map();
  for (const [file, deps] of graph) {
    const from = layerOf(file);
    if (!from) continue;
    if (!layers.has(from)) layers.set(from, new Set());
    for (const d of deps) {
      const to = layerOf(d);
      if (to && to !== from) layers.get(from).add(to);
    }
  }
  return layers;
}

/** Every cycle under `roots` (files) and among the folders of `<root>/core` (layers), as text lines. */
export function findCycles(roots) {
  const graph = importGraph(roots);
  const problems = [];
  const rel = (f) => path.relative(process.cwd(), f);
  for (const c of cycles(graph)) problems.push(`import cycle: ${c.map(rel).join(' ⇄ ')}`);
  for (const root of roots) {
    const core = path.join(root, 'core');
    if (!existsSync(core)) continue;
    for (const c of cycles(layerGraph(graph, core))) {
      const pairs = [];
      for (const from of c) {
        for (const to of c) {
          if (from === to) continue;
          const file = [...graph].find(
            ([f, deps]) =>
              path.relative(core, f).split(path.sep)[0] === from &&
              [...deps].some((d) => path.relative(core, d).split(path.sep)[0] === to),
          );
          if (file) pairs.push(`${rel(file[0])} → core/${to}`);
        }
      }
      problems.push(
        `layer cycle between ${c.map((l) => `core/${l}`).join(', ')}: ${pairs.join('; ')}`,
      );
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const roots = process.argv.slice(2);
  const problems = findCycles((roots.length ? roots : ['src']).map((r) => path.resolve(r)));
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(
      `${problems.length} import cycle(s): move the shared part into a module both can import.`,
    );
    process.exit(1);
  }
  console.log('no import cycles');
}
