// Real-library cases for the slice (issue 19): a library from the machine's package index unpacked
// as the user's code, one injected bug whose wrong value is made in a call that returns before the
// failing assertion, a failing pytest test, and which function holds the bug. Built at run time,
// never committed. `promptShowsBug` tells whether a prompt's NExT trace holds the buggy function's
// lines with their values (the figure the bench prints before and after the slice).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findDefs } from '../../src/core/source/pyStructure';
import { injectBug, sitePackages, workspace } from './realProjects';
import { libraryWorkspace, type RealLibrary } from './realLibraries';

export type CaseKind = 'return' | 'attribute' | 'container' | 'branch' | 'argument';

export interface SliceCase {
  name: string;
  /** Wheels unpacked into the workspace (the user's code). */
  wheels: string[];
  /** Wheels installed outside the workspace (dependencies, not user code). */
  deps?: string[];
  /** How the wrong value reaches the failure. */
  kind: CaseKind;
  /** The injected bug: file (relative to the workspace), text replaced exactly once. */
  file: string;
  before: string;
  after: string;
  /** Qualified name of the function holding the bug. */
  function: string;
  /** The test written at the workspace root (test_tracefix_bug.py). */
  test: string;
  testName: string;
}

const TEST_FILE = 'test_tracefix_bug.py';

export const SLICE_CASES: SliceCase[] = [
  {
    name: 'tabulate',
    wheels: ['tabulate'],
    kind: 'return',
    file: 'tabulate/__init__.py',
    before: '                return len(string) - pos - 1\n',
    after: '                return len(string) - pos\n',
    function: '_afterpoint',
    testName: 'test_decimal_column',
    test: `from tabulate import tabulate


def test_decimal_column():
    out = tabulate([["a", 1.5], ["b", 10]], headers=["k", "v"])
    assert out.splitlines()[2] == "a     1.5"
`,
  },
  {
    name: 'click',
    wheels: ['click'],
    kind: 'return',
    file: 'click/formatting.py',
    before: '    rv.sort(key=lambda x: x[0])\n',
    after: '    rv.sort(key=lambda x: -x[0])\n',
    function: 'join_options',
    testName: 'test_help_lists_short_option_first',
    test: `import click
from click.testing import CliRunner


@click.command()
@click.option("-n", "--name", default="world", help="Who to greet.")
def hello(name):
    click.echo(f"Hello {name}")


def test_help_lists_short_option_first():
    result = CliRunner().invoke(hello, ["--help"])
    assert "-n, --name TEXT" in result.output, result.output
`,
  },
  {
    name: 'humanize',
    wheels: ['humanize'],
    kind: 'branch',
    file: 'humanize/time.py',
    before: '    if unit in suppress:\n        return 0, value\n',
    after: '    if unit in suppress:\n        return value, 0\n',
    function: '_quotient_and_remainder',
    testName: 'test_suppressed_days_become_hours',
    test: `import datetime as dt

from humanize import precisedelta


def test_suppressed_days_become_hours():
    delta = dt.timedelta(days=2, hours=5)
    assert precisedelta(delta, suppress=["days"]) == "53 hours"
`,
  },
  {
    name: 'sortedcontainers',
    wheels: ['sortedcontainers'],
    kind: 'branch',
    file: 'sortedcontainers/sortedlist.py',
    before: '            del _lists_pos[_load:]\n            _maxes[pos] = _lists_pos[-1]\n',
    after: '            del _lists_pos[_load:]\n            _maxes[pos] = _lists_pos[0]\n',
    function: 'SortedList._expand',
    testName: 'test_added_values_stay_sorted',
    test: `from sortedcontainers import SortedList


def test_added_values_stay_sorted():
    sl = SortedList()
    sl._reset(4)
    for i in range(0, 60, 3):
        sl.add(i)
    for i in range(1, 60, 3):
        sl.add(i)
    assert list(sl) == sorted(sl)
`,
  },
  {
    name: 'jinja2',
    wheels: ['jinja2'],
    deps: ['markupsafe'],
    kind: 'attribute',
    file: 'jinja2/runtime.py',
    before:
      '            iterable = list(self._iterator)\n            self._iterator = self._to_iterator(iterable)\n            self._length = len(iterable) + self.index + (self._after is not missing)\n',
    after:
      '            iterable = list(self._iterator)\n            self._iterator = self._to_iterator(iterable)\n            self._length = len(iterable) + self.index0 + (self._after is not missing)\n',
    function: 'LoopContext.length',
    testName: 'test_revindex_of_an_iterator',
    test: `from jinja2 import Environment


def test_revindex_of_an_iterator():
    t = Environment().from_string("{% for x in xs %}{{ loop.revindex }}{% endfor %}")
    assert t.render(xs=iter("abc")) == "321"
`,
  },
  {
    name: 'dateutil',
    wheels: ['python-dateutil', 'six'],
    kind: 'attribute',
    file: 'dateutil/relativedelta.py',
    before:
      '            div, mod = divmod(self.months * s, 12)\n            self.months = mod * s\n            self.years += div * s\n',
    after:
      '            div, mod = divmod(self.months * s, 12)\n            self.months = mod\n            self.years += div * s\n',
    function: 'relativedelta._fix',
    testName: 'test_fourteen_months_back',
    test: `import datetime as dt

from dateutil.relativedelta import relativedelta


def test_fourteen_months_back():
    assert dt.date(2021, 3, 15) + relativedelta(months=-14) == dt.date(2020, 1, 15)
`,
  },
  {
    name: 'more-itertools',
    wheels: ['more-itertools'],
    kind: 'container',
    file: 'more_itertools/more.py',
    before:
      '                    elif self._validator(item_value):\n                        self._cache[item_value].append(item)\n',
    after:
      '                    elif self._validator(item_value):\n                        self._cache[item_value].appendleft(item)\n',
    function: 'bucket._get_values',
    testName: 'test_bucket_keeps_order',
    test: `from more_itertools import bucket


def test_bucket_keeps_order():
    s = bucket(["a1", "b1", "a2", "b2", "a3", "b3"], key=lambda x: x[0])
    assert list(s["b"]) == ["b1", "b2", "b3"]
    assert list(s["a"]) == ["a1", "a2", "a3"]
`,
  },
  {
    name: 'toolz',
    wheels: ['toolz'],
    kind: 'container',
    file: 'toolz/itertoolz.py',
    before: '        d[item] += 1\n',
    after: '        d[item] += 1 if item != "dog" else 2\n',
    function: 'frequencies',
    testName: 'test_most_common_word',
    test: `from toolz import frequencies


def most_common(words):
    counts = frequencies(words)
    return max(counts, key=counts.get)


def test_most_common_word():
    assert most_common(["dog", "cat", "cat", "bird"]) == "cat"
`,
  },
  {
    name: 'pyparsing',
    wheels: ['pyparsing'],
    kind: 'argument',
    file: 'pyparsing/results.py',
    before: '            if out and sep:\n                out.append(sep)\n',
    after: '            if sep:\n                out.append(sep)\n',
    function: 'ParseResults._asStringList',
    testName: 'test_combine_with_separator',
    test: `from pyparsing import Combine, Word, alphas, nums


def test_combine_with_separator():
    ident = Combine(Word(alphas) + Word(nums), join_string="_")
    assert ident.parse_string("ab12")[0] == "ab_12"
`,
  },
  {
    name: 'parso',
    wheels: ['parso'],
    kind: 'container',
    file: 'parso/python/tree.py',
    before: "            if child is None or child == ',':\n",
    after: "            if child is None or child == ')':\n",
    function: '_create_params',
    testName: 'test_two_parameters',
    test: `import parso


def test_two_parameters():
    func = parso.parse("def f(a, b=1):\\n    return a\\n").children[0]
    assert [p.name.value for p in func.get_params()] == ["a", "b"]
`,
  },
  {
    name: 'networkx',
    wheels: ['networkx'],
    kind: 'argument',
    file: 'networkx/algorithms/shortest_paths/weighted.py',
    before: '    return lambda u, v, data: data.get(weight, 1)\n',
    after: '    return lambda u, v, data: data.get(weight, 2)\n',
    function: '_weight_function',
    testName: 'test_unweighted_edge_counts_one',
    test: `import networkx as nx


def test_unweighted_edge_counts_one():
    g = nx.Graph()
    g.add_edge("a", "b", weight=3)
    g.add_edge("b", "c")
    g.add_edge("a", "c", weight=5)
    assert nx.dijkstra_path_length(g, "a", "c") == 4
`,
  },
  {
    name: 'markdown',
    wheels: ['markdown'],
    kind: 'attribute',
    file: 'markdown/blockprocessors.py',
    before: "            h = etree.SubElement(parent, 'h%d' % len(m.group('level')))\n",
    after: "            h = etree.SubElement(parent, 'h%d' % (len(m.group('level')) + 1))\n",
    function: 'HashHeaderProcessor.run',
    testName: 'test_title',
    test: `import markdown


def test_title():
    assert markdown.markdown("# Title") == "<h1>Title</h1>"
`,
  },
];

export interface BuiltCase {
  case: SliceCase;
  root: string;
  nodeId: string;
  env: NodeJS.ProcessEnv;
  /** 1-based lines of the buggy function (decorators to its last line) and the injected line(s). */
  functionLines: { start: number; end: number };
  buggyLines: number[];
}

/** Unpacks the case's wheels into a fresh folder, injects the bug and writes the test. */
export function buildCase(c: SliceCase): BuiltCase {
  const root = workspace(c.wheels, c.name);
  injectBug(root, c.file, c.before, c.after);
  writeFileSync(path.join(root, TEST_FILE), c.test);
  const text = readFileSync(path.join(root, c.file), 'utf8');
  const at = text.indexOf(c.after);
  const firstLine = text.slice(0, at).split('\n').length;
  const beforeLines = c.before.split('\n');
  const buggyLines = c.after
    .replace(/\n$/, '')
    .split('\n')
    .flatMap((l, i) => (l === beforeLines[i] ? [] : [firstLine + i]));
  const lines = text.split('\n');
  const def = findDefs(lines).find(
    (d) =>
      d.kind === 'def' && d.qualname === c.function && d.start < firstLine && d.end >= firstLine,
  );
  if (!def) throw new Error(`${c.name}: no def ${c.function} around line ${firstLine}`);
  const env = { ...process.env };
  if (c.deps?.length)
    env.PYTHONPATH = [sitePackages(c.deps), process.env.PYTHONPATH].filter(Boolean).join(':');
  return {
    case: c,
    root,
    nodeId: `${TEST_FILE}::${c.testName}`,
    env,
    functionLines: { start: def.start + 1, end: def.end },
    buggyLines,
  };
}

/** A library of the shared real-library suite (realLibraries.ts) as a built case. */
export function buildLibrary(lib: RealLibrary): BuiltCase {
  const root = libraryWorkspace(lib);
  const lines = readFileSync(path.join(root, lib.bug.file), 'utf8').split('\n');
  const def = findDefs(lines).find((d) => d.kind === 'def' && d.defLine + 1 === lib.bug.defLine);
  if (!def) throw new Error(`${lib.id}: no def at ${lib.bug.file}:${lib.bug.defLine}`);
  const c: SliceCase = {
    name: lib.id,
    wheels: [],
    kind: 'return',
    file: lib.bug.file,
    before: lib.bug.before,
    after: lib.bug.after,
    function: lib.bug.qualname,
    test: lib.test.text,
    testName: lib.test.nodeId,
  };
  return {
    case: c,
    root,
    nodeId: lib.test.nodeId,
    env: { ...process.env },
    functionLines: { start: def.start + 1, end: def.end },
    buggyLines: lib.bug.lines,
  };
}

/** Whether the test fails without Tracefix (a case whose bug does not show is a broken case). */
export function failsPlainly(b: BuiltCase, python: string): boolean {
  try {
    execFileSync(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', b.nodeId], {
      cwd: b.root,
      env: b.env,
      stdio: 'pipe',
      timeout: 120_000,
    });
    return false;
  } catch {
    return true;
  }
}

export interface PromptCheck {
  /** Some line of the buggy function is in the NExT trace with a `(k)` value entry. */
  functionWithValues: boolean;
  /** The injected line itself is in the NExT trace with a value entry. */
  buggyLineWithValues: boolean;
  /** The buggy function's code is in `## Code`. */
  inCode: boolean;
}

/** The fenced body of a `## Heading` section of a prompt. */
export function promptSection(prompt: string, heading: string): string {
  const at = prompt.indexOf(`\n## ${heading}`);
  if (at < 0) return '';
  const rest = prompt.slice(at + 4 + heading.length);
  const next = rest.search(/\n## |\nNow give the rationale/);
  return next < 0 ? rest : rest.slice(0, next);
}

/** Whether the prompt's trace shows the buggy function's lines with values, and its code. */
export function promptShowsBug(prompt: string, b: BuiltCase): PromptCheck {
  const text = readFileSync(path.join(b.root, b.case.file), 'utf8').split('\n');
  const trace = promptSection(prompt, 'Execution trace of the failing run').split('\n');
  const code = promptSection(prompt, 'Code');
  const src = (l: number) => (text[l - 1] ?? '').replace(/\s+$/, '');
  const fnLines = new Set<string>();
  for (let l = b.functionLines.start; l <= b.functionLines.end; l++) {
    const s = src(l);
    if (s.trim() && !s.trim().startsWith('#')) fnLines.add(s);
  }
  const bugLines = new Set(b.buggyLines.map(src));
  // Several files: `# ==== file ====` headers say whose lines follow; one file has no header.
  const multi = trace.some((l) => l.startsWith('# ==== '));
  let inFile = !multi;
  let fn = false;
  let bug = false;
  for (const l of trace) {
    const h = /^# ==== (.*) ====$/.exec(l);
    if (h) {
      inFile = h[1] === b.case.file;
      continue;
    }
    if (!inFile) continue;
    const m = /^(.*?) {2}# (.*)$/.exec(l);
    if (!m || !/\(\d+\)/.test(m[2] ?? '')) continue;
    const codePart = (m[1] ?? '').replace(/\s+$/, '');
    if (fnLines.has(codePart)) fn = true;
    if (bugLines.has(codePart)) bug = true;
  }
  const header = src(
    b.functionLines.start +
      text.slice(b.functionLines.start - 1).findIndex((l) => /^\s*(async\s+)?def\s/.test(l)),
  );
  return { functionWithValues: fn, buggyLineWithValues: bug, inCode: code.includes(header) };
}
