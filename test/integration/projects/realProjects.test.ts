// Real projects, built at test time from the wheels of the machine's package index (never committed):
// a bug is injected, the failing test (or script) is traced from the project's root as a user would,
// and the trace must hold the buggy function's values and the failure. Time is never asserted (the
// bench measures it); these prove the recorder works whatever the size of the workspace.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordTrace } from '../../../src/core/trace/record';
import type { Trace } from '../../../src/core/trace/model';
import { processesMentioning } from '../../support/python';
import {
  copyPyFiles,
  envWithSitePackages,
  importable,
  injectBug,
  workspace,
} from '../../support/realProjects';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function ws(names: string[]): string {
  const d = workspace(names);
  made.push(d);
  return d;
}

const test = (nodeId: string, cwd: string, extra: { env?: NodeJS.ProcessEnv } = {}) =>
  recordTrace({
    target: { kind: 'pytest', nodeId },
    cwd,
    env: extra.env,
    limits: { timeoutMs: 180_000 },
  });

/** sympy with a bug in igcdex: x and y swapped in its result. */
function sympyWithBug(): string {
  const root = ws(['sympy']);
  injectBug(
    root,
    'sympy/core/intfunc.py',
    '    g, x, y = gcdext(int(a), int(b))\n    return x, y, g\n',
    '    g, x, y = gcdext(int(a), int(b))\n    return y, x, g\n',
  );
  return root;
}

function valuesOf(t: Trace, file: string, fn: string, name: string): string[] {
  return t.events
    .filter((e) => e.file === file && e.function === fn && e.changed[name] !== undefined)
    .map((e) => e.changed[name] as string);
}

describe('real projects', () => {
  it('toolz: a failing test of its own suite, recorded from the project root', async () => {
    const root = ws(['toolz']);
    injectBug(
      root,
      'toolz/itertoolz.py',
      '        d[item] += 1\n',
      '        d[item] += 1 if item != "dog" else 2\n',
    );
    const t = await test('toolz/tests/test_itertoolz.py::test_frequencies', root);
    expect(t.outcome.status).toBe('exception');
    expect(t.outcome.exception).toMatchObject({
      type: 'AssertionError',
      file: 'toolz/tests/test_itertoolz.py',
    });
    expect(t.outcome.test?.failureText).toMatch(/\{'dog': 6\} != \{'dog': 3\}/);
    expect(valuesOf(t, 'toolz/itertoolz.py', 'frequencies', 'item')).toContain("'dog'");
    expect(
      t.events.some(
        (e) =>
          e.function === 'frequencies' && e.kind === 'return' && /'dog': 6/.test(e.value ?? ''),
      ),
    ).toBe(true);
    // Collection and the imports of the whole package were not line-recorded: the run is the test's.
    expect(t.outcome.eventCount).toBeLessThan(500);
    expect(t.sources.map((s) => s.path)).toEqual(
      expect.arrayContaining(['toolz/itertoolz.py', 'toolz/tests/test_itertoolz.py']),
    );
    expect(t.sources.length).toBeLessThan(5);
  });

  it('more-itertools: one 5,500-line module beside the test, bug in substrings', async () => {
    const root = ws(['more-itertools']);
    injectBug(
      root,
      'more_itertools/more.py',
      '    for n in range(1, item_count + 1):\n        slices = map(slice',
      '    for n in range(1, item_count):\n        slices = map(slice',
    );
    writeFileSync(
      path.join(root, 'test_substrings.py'),
      [
        'from more_itertools import substrings',
        '',
        '',
        'def test_substrings():',
        "    assert [''.join(s) for s in substrings('more')][-1] == 'more'",
        '',
      ].join('\n'),
    );
    const t = await test('test_substrings.py::test_substrings', root);
    expect(t.outcome.status).toBe('exception');
    expect(valuesOf(t, 'more_itertools/more.py', 'substrings', 'n')).toEqual(['1', '2', '3']);
    expect(valuesOf(t, 'more_itertools/more.py', 'substrings', 'item_count')).toEqual(['4']);
  });

  it('boltons: a script importing the library, bug in ordinalize', async () => {
    const root = ws(['boltons']);
    injectBug(
      root,
      'boltons/strutils.py',
      "            if numstr[-2] == '1':",
      "            if numstr[-2] in '12':",
    );
    writeFileSync(
      path.join(root, 'ordinals.py'),
      'from boltons.strutils import ordinalize\n\nwords = [ordinalize(n) for n in (1, 21, 12)]\nassert words == ["1st", "21st", "12th"], words\n',
    );
    const t = await recordTrace({ target: { kind: 'script', path: 'ordinals.py' }, cwd: root });
    expect(t.outcome).toMatchObject({
      status: 'exception',
      exception: { type: 'AssertionError', file: 'ordinals.py', line: 4 },
    });
    expect(
      t.events
        .filter((e) => e.function === 'ordinalize' && e.kind === 'return')
        .map((e) => e.value),
    ).toEqual(["'1st'", "'21th'", "'12th'"]);
    // boltons/strutils.py was imported: summarised, not line-recorded.
    expect(t.imports?.some((i) => i.file === 'boltons/strutils.py')).toBe(true);
    expect(
      t.events.some((e) => e.file === 'boltons/strutils.py' && e.function === '<module>'),
    ).toBe(false);
  });

  // sympy's test suite needs hypothesis; the package index here serves it for CPython 3.11 only.
  it.skipIf(!importable(['mpmath', 'hypothesis', 'sortedcontainers'], 'hypothesis'))(
    'sympy (1,500 files): a failing test of its own suite, with its dependencies installed outside the project',
    async () => {
      const root = sympyWithBug();
      const env = envWithSitePackages(['mpmath', 'hypothesis', 'sortedcontainers']);
      const t = await test('sympy/core/tests/test_numbers.py::test_igcdex', root, { env });
      expect(t.outcome.status).toBe('exception');
      expect(t.outcome.exception).toMatchObject({
        type: 'AssertionError',
        file: 'sympy/core/tests/test_numbers.py',
        line: 281,
      });
      const ret = t.events.find((e) => e.function === 'igcdex' && e.kind === 'return');
      expect(ret?.value).toBe('(1, -1, 1)');
      expect(valuesOf(t, 'sympy/core/intfunc.py', 'igcdex', 'x')).toContain('-1');
    },
    300_000,
  );

  // On every interpreter (mpmath is pure Python): importing sympy runs ~430,000 lines of its own code,
  // summarised, not line-recorded; the script's call into it is recorded in full.
  it('sympy (1,500 files): a script importing the whole package, on every interpreter', async () => {
    const root = sympyWithBug();
    writeFileSync(
      path.join(root, 'check.py'),
      'from sympy.core.intfunc import igcdex\n\nr = igcdex(2, 3)\nassert r == (-1, 1, 1), r\n',
    );
    const env = envWithSitePackages(['mpmath']);
    const t = await recordTrace({
      target: { kind: 'script', path: 'check.py' },
      cwd: root,
      env,
      limits: { timeoutMs: 180_000 },
    });
    expect(t.outcome).toMatchObject({
      status: 'exception',
      exception: { type: 'AssertionError', message: '(1, -1, 1)', file: 'check.py', line: 4 },
    });
    expect(t.events.find((e) => e.function === 'igcdex' && e.kind === 'return')?.value).toBe(
      '(1, -1, 1)',
    );
    expect(valuesOf(t, 'sympy/external/ntheory.py', 'gcdext', 'x')).toEqual(['1', '0', '1', '-1']);
    // The import ran sympy's module code, which is summarised rather than recorded line by line.
    expect(t.events.length).toBeLessThan(200);
    expect(t.imports?.length ?? 0).toBeGreaterThan(0);
  });

  it('django: a script using one utility of the whole framework', async () => {
    const root = ws(['django']);
    injectBug(
      root,
      'django/utils/text.py',
      '    return re.sub(r"[-\\s]+", "-", value).strip("-_")',
      '    return re.sub(r"[-\\s]+", "_", value).strip("-_")',
    );
    writeFileSync(
      path.join(root, 'slug.py'),
      'from django.utils.text import slugify\n\nslug = slugify("Hello World, Again")\nassert slug == "hello-world-again", slug\n',
    );
    const env = envWithSitePackages(['asgiref', 'sqlparse']);
    const t = await recordTrace({ target: { kind: 'script', path: 'slug.py' }, cwd: root, env });
    expect(t.outcome).toMatchObject({
      status: 'exception',
      exception: { type: 'AssertionError', message: 'hello_world_again' },
    });
    expect(t.events.find((e) => e.function === 'slugify' && e.kind === 'return')?.value).toBe(
      "'hello_world_again'",
    );
  });

  it('a tiny script beside up to 3,000 real modules and one 6,000-line module: the workspace changes nothing', async () => {
    const root = ws([]);
    // CPython's stdlib and its test suite (pyenv's builds have both; Debian's python3 has no test suite).
    const stdlib = execFileSync(
      'python3',
      ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'],
      { encoding: 'utf8' },
    ).trim();
    expect(copyPyFiles(stdlib, path.join(root, 'vendored'), 3000)).toBeGreaterThan(600);
    writeFileSync(path.join(root, 'big.py'), 'x = 0\n'.repeat(6000));
    writeFileSync(
      path.join(root, 'tiny.py'),
      'def add(a, b):\n    return a + b\n\n\ntotal = add(1, 2)\n',
    );
    const t = await recordTrace({ target: { kind: 'script', path: 'tiny.py' }, cwd: root });
    expect(t.outcome.status).toBe('completed');
    expect(t.events.find((e) => e.function === 'add' && e.kind === 'return')?.value).toBe('3');
    expect(t.sources.map((s) => s.path)).toEqual(['tiny.py']);
  });

  it('leaves no process behind', async () => {
    for (const d of made) {
      for (let i = 0; i < 20 && processesMentioning(d).length > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(processesMentioning(d)).toEqual([]);
    }
  });
});
