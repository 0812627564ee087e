// The structure reader on real code: every def and class of large CPython stdlib modules, on every
// interpreter of the test matrix (3.12+ stdlib uses f-strings with nested quotes), against what
// Python's own parser says (ast: decorators, `def` line, end_lineno). Extents a splice relies on.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matrixPythons } from '../../../scripts/setup/pythons.mjs';
import { analyzePython, findDefs, splitSourceLines } from '../../../src/core/source/pyStructure';

const MODULES = [
  'argparse',
  'dataclasses',
  'inspect',
  'typing',
  'tarfile',
  'pydoc',
  'asyncio.base_events',
  'email._header_value_parser',
];

// Blocks as ast sees them: one JSON line per module.
const AST_BLOCKS = `
import ast, importlib, json, sys
for name in sys.argv[1:]:
    path = importlib.import_module(name).__file__
    src = open(path, encoding="utf-8").read()
    blocks = []
    def walk(node, names):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                start = min([d.lineno for d in child.decorator_list] + [child.lineno])
                kind = "class" if isinstance(child, ast.ClassDef) else "def"
                qualname = ".".join(names + [child.name])
                blocks.append([kind, qualname, start, child.lineno, child.end_lineno])
                walk(child, names + [child.name])
            else:
                walk(child, names)
    walk(ast.parse(src), [])
    blocks.sort(key=lambda b: b[3])
    print(json.dumps({"path": path, "blocks": blocks}))
`;

type AstBlock = [kind: string, qualname: string, start: number, header: number, end: number];

function astBlocks(python: string): { path: string; blocks: AstBlock[] }[] {
  const r = spawnSync(python, ['-c', AST_BLOCKS, ...MODULES], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${python}: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { path: string; blocks: AstBlock[] });
}

const pythons = [{ version: 'python3', python: 'python3' }, ...matrixPythons()];

describe.each(pythons)('CPython $version stdlib', ({ python }) => {
  const modules = astBlocks(python);

  it.each(modules.map((m) => [path.basename(m.path), m] as const))(
    '%s: every def and class has the extent Python parses',
    (_name, { path: file, blocks }) => {
      const text = readFileSync(file, 'utf8');
      const lines = splitSourceLines(text);
      expect(blocks.length).toBeGreaterThan(20);
      const src = analyzePython(text);
      const qual = (b: (typeof src.blocks)[number]): string =>
        b.parent ? `${qual(b.parent)}.${b.name}` : b.name;
      expect(src.blocks.map((b) => [b.kind, qual(b), b.start, b.header, b.end])).toEqual(blocks);
      // The 0-based view (splicing) is the same blocks.
      expect(findDefs(lines).map((d) => [d.kind, d.qualname, d.start + 1, d.defLine + 1])).toEqual(
        blocks.map((b) => [b[0], b[1], b[2], b[3]]),
      );
    },
  );
});

describe('known extents (argparse)', () => {
  it('ArgumentParser.parse_known_args, _get_values and the decorated-free class bodies', () => {
    const r = spawnSync('python3', ['-c', 'import argparse; print(argparse.__file__)'], {
      encoding: 'utf8',
    });
    const text = readFileSync(r.stdout.trim(), 'utf8');
    const lines = splitSourceLines(text);
    const defs = findDefs(lines);
    const byName = (q: string) => defs.find((d) => d.qualname === q);
    for (const q of [
      'ArgumentParser.parse_known_args',
      'ArgumentParser._get_values',
      'HelpFormatter._format_usage',
      'Namespace',
    ]) {
      const d = byName(q);
      expect(d, q).toBeDefined();
      // The def line names it; the body's last line is indented into it; the next line is not.
      expect(lines[d!.defLine]).toMatch(new RegExp(`^\\s*(def|class) ${q.split('.').pop()}\\b`));
      const last = lines[d!.end - 1]!;
      expect(last.length - last.trimStart().length).toBeGreaterThan(d!.indent);
      const next = lines.slice(d!.end).find((l) => l.trim() && !l.trimStart().startsWith('#'));
      if (next) expect(next.length - next.trimStart().length).toBeLessThanOrEqual(d!.indent);
    }
  });
});

// What the old readers got wrong: a multi-line decorator (the splice lost it), 3.12 f-strings with
// the same quotes nested, string prefixes, a `#` and quotes inside strings.
const EDGES = `@decorator(
    arg=")",
)
def a():
    x = f"{'"'}{d["k"]}#"
    y = f"""{
        1 + 2
    }"""
    return x


class B:
    s = rb'\\'' + br"#not a comment"

    def m(self): return '"""'

    def n(self):
        z = (
    1)
        # a comment in the body
# a comment at the top
def c(): pass
`;

// [name, first line (decorator), def line, last line] as Python 3.12's ast reports them.
const EDGE_BLOCKS = [
  ['a', 1, 4, 9],
  ['B', 12, 12, 19],
  ['m', 15, 15, 15],
  ['n', 17, 17, 19],
  ['c', 22, 22, 22],
];

describe('edge cases', () => {
  it('blocks and the 0-based view', () => {
    const src = analyzePython(EDGES);
    expect(src.blocks.map((b) => [b.name, b.start, b.header, b.end])).toEqual(EDGE_BLOCKS);
    const defs = findDefs(splitSourceLines(EDGES));
    expect(defs.map((d) => [d.qualname, d.start + 1, d.defLine + 1])).toEqual([
      ['a', 1, 4],
      ['B', 12, 12],
      ['B.m', 15, 15],
      ['B.n', 17, 17],
      ['c', 22, 22],
    ]);
    // The body's own trailing comment is spliced with it; the one at the top is not.
    expect(defs[3]!.end).toBe(20);
  });

  const py312 = matrixPythons().filter((p) => Number(p.version.split('.')[1]) >= 12);
  it.each(py312)('are what ast says on CPython $version', ({ python }) => {
    const r = spawnSync(
      python,
      [
        '-c',
        `import ast, json, sys
out = []
for n in ast.walk(ast.parse(sys.stdin.read())):
    if isinstance(n, (ast.FunctionDef, ast.ClassDef)):
        out.append([n.name, min([d.lineno for d in n.decorator_list] + [n.lineno]), n.lineno, n.end_lineno])
print(json.dumps(sorted(out, key=lambda b: b[2])))`,
      ],
      { input: EDGES, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(EDGE_BLOCKS);
  });
});
