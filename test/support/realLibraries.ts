// The real-library suite: eleven pure-Python libraries from the machine's package index, each with a
// small pytest test of a public function and one injected bug, built into a workspace at run time
// (pinned wheels downloaded with pip into the wheel cache, unpacked with the package folder at the
// top; nothing third-party is committed). Shared by the recorder's integration tests
// (test/integration/projects/realLibraries.test.ts), `npm run bench -- trace` (per-library recording
// time) and the prompt measurements of the slicing work, which ask "does the prompt hold the buggy
// function's lines with their values" — hence the bug's file, function and line(s) below.
// Every bug makes its wrong value in a function that has returned before the test's assertion fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Trace, TraceEvent } from '../../src/core/trace/model';
import { pipPython, wheel } from './realProjects';

export interface PinnedPackage {
  /** The distribution's name on the index. */
  name: string;
  version: string;
}

export interface InjectedBug {
  /** Relative to the workspace root (forward slashes). */
  file: string;
  /** The text replaced (exactly once in the pinned version) and its replacement. */
  before: string;
  after: string;
  /** The function whose lines hold the bug: its name as the trace names frames (co_name), and its
   * qualified name. */
  function: string;
  qualname: string;
  /** 1-based lines of the buggy file (after injection) that the bug changed. */
  lines: number[];
  /** The first line of the buggy function's `def`. */
  defLine: number;
  /** A value the buggy function's events record that shows the wrong value being made there: a
   * local's repr (`name`), or its return value (`name: '__return__'`). */
  evidence: { name: string; value: RegExp };
}

export interface RealLibrary {
  /** Short id, used in test names, temp folders and the bench's table. */
  id: string;
  /** What kind of library it is. */
  kind: string;
  /** The library first, then what it needs at run time; every one unpacked at the top. */
  packages: PinnedPackage[];
  /** The test file written at the workspace's top, and its pytest node id. */
  test: { file: string; nodeId: string; text: string };
  bug: InjectedBug;
  /** What pytest's failure text says with the bug in place. */
  failure: RegExp;
}

const py = (...lines: string[]) => `${lines.join('\n')}\n`;

export const REAL_LIBRARIES: readonly RealLibrary[] = [
  {
    id: 'markdown',
    kind: 'markdown renderer',
    packages: [{ name: 'markdown', version: '3.11' }],
    test: {
      file: 'test_markdown_code.py',
      nodeId: 'test_markdown_code.py::test_code_block',
      text: py(
        'import markdown',
        '',
        '',
        'def test_code_block():',
        '    text = "Intro with *emphasis*.\\n\\n    def f(x):\\n        return x + 1\\n\\nAfter the code."',
        '    html = markdown.markdown(text)',
        '    assert "<pre><code>def f(x):\\n    return x + 1\\n</code></pre>" in html',
      ),
    },
    bug: {
      file: 'markdown/blockprocessors.py',
      before: '                newtext.append(line[length:])\n',
      after: '                newtext.append(line[length - 1:])\n',
      function: 'detab',
      qualname: 'BlockProcessor.detab',
      lines: [93],
      defLine: 85,
      evidence: { name: 'newtext', value: /' def f\(x\):'/ },
    },
    failure: /<pre><code> def f\(x\):/,
  },
  {
    id: 'parso',
    kind: 'Python parser',
    packages: [{ name: 'parso', version: '0.8.7' }],
    test: {
      file: 'test_parso_params.py',
      nodeId: 'test_parso_params.py::test_function_params',
      text: py(
        'import parso',
        '',
        '',
        'def test_function_params():',
        '    module = parso.parse("def area(width, height=2, *rest, scale=1.0):\\n    return width * height * scale\\n")',
        '    func = next(module.iter_funcdefs())',
        '    assert [p.name.value for p in func.get_params()] == ["width", "height", "rest", "scale"]',
      ),
    },
    bug: {
      file: 'parso/python/tree.py',
      before: '        for end, child in enumerate(children + [None], 1):\n',
      after: '        for end, child in enumerate(children + [None]):\n',
      function: '_create_params',
      qualname: '_create_params',
      lines: [519],
      defLine: 491,
      evidence: { name: 'end', value: /^0$/ },
    },
    failure: /\['width', ',', ',', ','\]/,
  },
  {
    id: 'pyparsing',
    kind: 'parsing library',
    packages: [{ name: 'pyparsing', version: '3.3.3' }],
    test: {
      file: 'test_pyparsing_numbers.py',
      nodeId: 'test_pyparsing_numbers.py::test_numbers',
      text: py(
        'from pyparsing import Combine, Optional, Word, delimited_list, nums',
        '',
        'number = Combine(Word(nums) + Optional("." + Word(nums)))',
        '',
        '',
        'def test_numbers():',
        '    assert delimited_list(number).parse_string("3.14, 42, 2.5").as_list() == ["3.14", "42", "2.5"]',
      ),
    },
    bug: {
      file: 'pyparsing/results.py',
      before: '                out.append(str(item))\n        return out\n',
      after: '                out.insert(0, str(item))\n        return out\n',
      function: '_asStringList',
      qualname: 'ParseResults._asStringList',
      lines: [586],
      defLine: 578,
      evidence: { name: 'out', value: /\['14', '\.', '3'\]/ },
    },
    failure: /\['14\.3', '42', '5\.2'\]/,
  },
  {
    id: 'lark',
    kind: 'parsing library (LALR)',
    packages: [{ name: 'lark', version: '1.3.1' }],
    test: {
      file: 'test_lark_positions.py',
      nodeId: 'test_lark_positions.py::test_token_positions',
      text: py(
        'from lark import Lark',
        '',
        'GRAMMAR = r"""',
        'start: assign+',
        'assign: NAME "=" value',
        'value: NUMBER | ESCAPED_STRING',
        '%import common.CNAME -> NAME',
        '%import common.NUMBER',
        '%import common.ESCAPED_STRING',
        '%import common.WS',
        '%ignore WS',
        '"""',
        '',
        '',
        'def test_token_positions():',
        '    parser = Lark(GRAMMAR, parser="lalr")',
        '    tree = parser.parse(\'width = 10\\nheight = 20\\nname = "box"\\n\')',
        '    names = [(t.value, t.line, t.column) for t in tree.scan_values(lambda v: v.type == "NAME")]',
        '    assert names == [("width", 1, 1), ("height", 2, 1), ("name", 3, 1)]',
      ),
    },
    bug: {
      file: 'lark/lexer.py',
      before:
        '                self.line_start_pos = self.char_pos + token.rindex(self.newline_char) + 1\n',
      after:
        '                self.line_start_pos = self.char_pos + token.rindex(self.newline_char)\n',
      function: 'feed',
      qualname: 'LineCounter.feed',
      lines: [301],
      defLine: 292,
      evidence: { name: 'self', value: /line_start_pos=10\b/ },
    },
    failure: /\('height', 2, 2\)/,
  },
  {
    id: 'dateutil',
    kind: 'date-recurrence library',
    packages: [
      { name: 'python-dateutil', version: '2.9.0.post0' },
      { name: 'six', version: '1.17.0' },
    ],
    test: {
      file: 'test_dateutil_rrule.py',
      nodeId: 'test_dateutil_rrule.py::test_last_friday_of_month',
      text: py(
        'from datetime import datetime',
        '',
        'from dateutil.rrule import FR, MONTHLY, rrule',
        '',
        '',
        'def test_last_friday_of_month():',
        '    rule = rrule(MONTHLY, count=4, byweekday=FR(-1), dtstart=datetime(2024, 1, 1))',
        '    assert [d.day for d in rule] == [26, 23, 29, 26]',
      ),
    },
    bug: {
      file: 'dateutil/rrule.py',
      before: '                            i = last+(n+1)*7\n',
      after: '                            i = last+n*7\n',
      function: 'rebuild',
      qualname: '_iterinfo.rebuild',
      lines: [1236],
      defLine: 1123,
      evidence: { name: 'i', value: /^18$/ },
    },
    failure: /\[19, 16, 22, 19\]/,
  },
  {
    id: 'sortedcontainers',
    kind: 'sorted collections',
    packages: [{ name: 'sortedcontainers', version: '2.4.0' }],
    test: {
      file: 'test_sorted_scores.py',
      nodeId: 'test_sorted_scores.py::test_every_score_is_found',
      text: py(
        'from sortedcontainers import SortedList',
        '',
        '',
        'class Scores(SortedList):',
        '    DEFAULT_LOAD_FACTOR = 32  # short sublists: cheap inserts in a list that is read often',
        '',
        '',
        'def test_every_score_is_found():',
        '    scores = Scores()',
        '    for i in range(600):',
        '        scores.add((i * 7919) % 601)',
        '    assert scores[-1] == 600',
        '    assert 600 in scores',
      ),
    },
    bug: {
      file: 'sortedcontainers/sortedlist.py',
      before: '            _maxes.insert(pos + 1, half[-1])\n',
      after: '            _maxes.insert(pos + 1, half[0])\n',
      function: '_expand',
      qualname: 'SortedList._expand',
      lines: [311],
      defLine: 289,
      evidence: { name: '_maxes', value: /^\[282, 315\]$/ },
    },
    failure: /assert 574 == 600/,
  },
  {
    id: 'networkx',
    kind: 'graph library',
    packages: [{ name: 'networkx', version: '3.6.1' }],
    test: {
      file: 'test_networkx_route.py',
      nodeId: 'test_networkx_route.py::test_shortest_route',
      text: py(
        'import networkx as nx',
        '',
        '',
        'def test_shortest_route():',
        '    roads = nx.grid_2d_graph(12, 12)',
        '    for u, v in roads.edges:',
        '        roads.edges[u, v]["km"] = 1 + (u[0] * 7 + u[1] * 13 + v[0] * 3 + v[1] * 5) % 9',
        '    path = nx.dijkstra_path(roads, (0, 0), (11, 11), weight="km")',
        '    assert nx.path_weight(roads, path, weight="km") == 65',
      ),
    },
    bug: {
      file: 'networkx/algorithms/shortest_paths/weighted.py',
      before: '            elif u not in seen or vu_dist < seen[u]:\n',
      after: '            elif u not in seen or vu_dist > seen[u]:\n',
      function: '_dijkstra_multisource',
      qualname: '_dijkstra_multisource',
      lines: [877],
      defLine: 784,
      evidence: { name: 'vu_dist', value: /^\d+$/ },
    },
    failure: /assert 142 == 65/,
  },
  {
    id: 'tabulate',
    kind: 'table formatter',
    packages: [{ name: 'tabulate', version: '0.10.0' }],
    test: {
      file: 'test_tabulate_align.py',
      nodeId: 'test_tabulate_align.py::test_decimal_alignment',
      text: py(
        'from tabulate import tabulate',
        '',
        '',
        'def test_decimal_alignment():',
        '    rows = [["apples", 1.5], ["pears", 12.25], ["plums", 100]]',
        '    assert tabulate(rows, headers=["fruit", "kg"]) == "\\n".join([',
        '        "fruit        kg",',
        '        "-------  ------",',
        '        "apples     1.5",',
        '        "pears     12.25",',
        '        "plums    100",',
        '    ])',
      ),
    },
    bug: {
      file: 'tabulate/__init__.py',
      before: '                return len(string) - pos - 1\n',
      after: '                return len(string) - pos\n',
      function: '_afterpoint',
      qualname: '_afterpoint',
      lines: [1060],
      defLine: 1038,
      evidence: { name: '__return__', value: /^3$/ },
    },
    failure: /AssertionError/,
  },
  {
    id: 'click',
    kind: 'CLI library',
    packages: [{ name: 'click', version: '8.5.0' }],
    test: {
      file: 'test_click_copy.py',
      nodeId: 'test_click_copy.py::test_copy_arguments',
      text: py(
        'import click',
        'from click.testing import CliRunner',
        '',
        '',
        '@click.command()',
        '@click.argument("sources", nargs=-1)',
        '@click.argument("target", nargs=2)',
        'def copy(sources, target):',
        '    click.echo("%s -> %s:%s" % (",".join(sources), target[0], target[1]))',
        '',
        '',
        'def test_copy_arguments():',
        '    result = CliRunner().invoke(copy, ["a.txt", "b.txt", "host", "/tmp"])',
        '    assert result.output == "a.txt,b.txt -> host:/tmp\\n"',
      ),
    },
    bug: {
      file: 'click/parser.py',
      before: '            if spos is not None:\n                x.reverse()\n',
      after: '            if spos is None:\n                x.reverse()\n',
      function: '_unpack_args',
      qualname: '_unpack_args',
      lines: [90],
      defLine: 51,
      evidence: { name: 'x', value: /\['\/tmp', 'host'\]/ },
    },
    failure: /a\.txt,b\.txt -> \/tmp:host/,
  },
  {
    id: 'jinja2',
    kind: 'template engine',
    packages: [
      { name: 'jinja2', version: '3.1.6' },
      { name: 'markupsafe', version: '3.0.3' },
    ],
    test: {
      file: 'test_jinja_posts.py',
      nodeId: 'test_jinja_posts.py::test_post_list',
      text: py(
        'from jinja2 import Environment',
        '',
        'TEMPLATE = """<ul>',
        '{% for post in posts %}  <li><a href="{{ post.url }}">{{ post.title|truncate(24) }}</a></li>',
        '{% endfor %}</ul>"""',
        '',
        '',
        'def test_post_list():',
        '    env = Environment(autoescape=True)',
        '    html = env.from_string(TEMPLATE).render(posts=[',
        '        {"url": "/a", "title": "Short & sweet"},',
        '        {"url": "/b", "title": "A rather long title about <templates> and filters"},',
        '    ])',
        '    assert \'<li><a href="/a">Short &amp; sweet</a></li>\' in html',
        '    assert \'<li><a href="/b">A rather long title...</a></li>\' in html',
      ),
    },
    bug: {
      file: 'jinja2/filters.py',
      before: '    result = s[: length - len(end)].rsplit(" ", 1)[0]\n',
      after: '    result = s[: length - len(end)].rsplit(" ", 2)[0]\n',
      function: 'do_truncate',
      qualname: 'do_truncate',
      lines: [917],
      defLine: 874,
      evidence: { name: 'result', value: /'A rather long'/ },
    },
    failure: /A rather long\.\.\./,
  },
  {
    id: 'humanize',
    kind: 'humanizing library',
    packages: [{ name: 'humanize', version: '4.16.0' }],
    test: {
      file: 'test_humanize_delta.py',
      nodeId: 'test_humanize_delta.py::test_precise_delta',
      text: py(
        'import datetime as dt',
        '',
        'import humanize',
        '',
        '',
        'def test_precise_delta():',
        '    delta = dt.timedelta(days=2, seconds=3633, microseconds=123000)',
        '    assert humanize.precisedelta(delta) == "2 days, 1 hour and 33.12 seconds"',
      ),
    },
    bug: {
      file: 'humanize/time.py',
      before: '        return _rounding_by_fmt(format, value / divisor), 0\n',
      after: '        return _rounding_by_fmt(format, value // divisor), 0\n',
      function: '_quotient_and_remainder',
      qualname: '_quotient_and_remainder',
      lines: [410],
      defLine: 377,
      evidence: { name: 'value', value: /^33123000\.0$/ },
    },
    failure: /and 33 seconds/,
  },
];

/** Whether the trace reaches the test's end: pytest's own report of the failing call is in it. */
export function completed(t: Trace): boolean {
  return (
    !t.outcome.partial &&
    t.outcome.status === 'exception' &&
    t.outcome.test?.phases.call === 'failed'
  );
}

/** The values the trace recorded for the bug's evidence (in the buggy function's events). */
export function evidenceValues(lib: RealLibrary, events: Iterable<TraceEvent>): string[] {
  const out: string[] = [];
  const { file, function: fn, evidence } = lib.bug;
  for (const e of events) {
    if (e.file !== file || e.function !== fn) continue;
    const v = evidence.name === '__return__' ? e.value : e.changed[evidence.name];
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** The library of the suite with this id. */
export function realLibrary(id: string): RealLibrary {
  const lib = REAL_LIBRARIES.find((l) => l.id === id);
  if (!lib) throw new Error(`no real library ${id}`);
  return lib;
}

/** The wheel of a pinned package (downloaded once into the wheel cache). */
export function pinnedWheel(p: PinnedPackage): string {
  return wheel(`${p.name}==${p.version}`);
}

/**
 * A fresh workspace for `lib` in a temp folder: its packages unpacked at the top, its test file
 * beside them, and (unless `bug: false`) the bug injected. Checks that the bug's text occurs exactly
 * once and lands on the lines the metadata names. The caller removes the folder.
 */
export function libraryWorkspace(lib: RealLibrary, opts: { bug?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), `tfx-lib-${lib.id}-`));
  for (const p of lib.packages)
    execFileSync(pipPython(), ['-m', 'zipfile', '-e', pinnedWheel(p), dir], { stdio: 'pipe' });
  writeFileSync(path.join(dir, lib.test.file), lib.test.text);
  if (opts.bug !== false) injectLibraryBug(dir, lib.bug);
  return dir;
}

/** Replaces the bug's text (exactly once) and checks the metadata's lines against the result. */
export function injectLibraryBug(root: string, bug: InjectedBug): void {
  const file = path.join(root, bug.file);
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(bug.before);
  if (at < 0 || text.indexOf(bug.before, at + 1) >= 0)
    throw new Error(`${bug.file}: the bug's text must occur exactly once: ${bug.before}`);
  const out = text.slice(0, at) + bug.after + text.slice(at + bug.before.length);
  let same = 0;
  while (same < bug.after.length && bug.before[same] === bug.after[same]) same++;
  const first = out.slice(0, at + same).split('\n').length;
  if (first !== bug.lines[0])
    throw new Error(
      `${bug.file}: the bug lands on line ${first}, the metadata says ${bug.lines[0]}`,
    );
  const def = out.split('\n')[bug.defLine - 1] ?? '';
  if (!new RegExp(`^\\s*(async\\s+)?def ${bug.function}\\b`).test(def))
    throw new Error(`${bug.file}:${bug.defLine} is not \`def ${bug.function}\`: ${def}`);
  writeFileSync(file, out);
}
