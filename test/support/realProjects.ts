// Real-project workspaces built at test time from the wheels the machine's package index serves
// (never committed): unpack, inject a bug, trace a failing test. Wheels are cached in
// ~/.cache/tracefix/wheels (TRACEFIX_WHEELS overrides).
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';

const CACHE = process.env.TRACEFIX_WHEELS ?? path.join(homedir(), '.cache', 'tracefix', 'wheels');

/** A Python with pip (to download wheels; any version: the wheels used are pure Python). */
export function pipPython(): string {
  for (const p of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(p, ['-m', 'pip', '--version'], { stdio: 'ignore' });
      return p;
    } catch {
      /* next */
    }
  }
  throw new Error('no python3 with pip to download test wheels (apt-get install python3-pip)');
}

/** The wheel file of `name`, or of `name==version` (downloaded once into the cache). */
export function wheel(name: string): string {
  mkdirSync(CACHE, { recursive: true });
  const [dist = name, version] = name.split('==');
  const norm = dist.toLowerCase().replace(/[-.]/g, '_');
  const prefix = version ? `${norm}-${version}-` : `${norm}-`;
  const find = () =>
    readdirSync(CACHE).find((f) => f.toLowerCase().startsWith(prefix) && f.endsWith('.whl'));
  let file = find();
  if (!file) {
    execFileSync(
      pipPython(),
      [
        '-m',
        'pip',
        'download',
        '--retries',
        '0',
        '--timeout',
        '10',
        '--no-deps',
        '--only-binary',
        ':all:',
        '-d',
        CACHE,
        name,
      ],
      { stdio: 'pipe', timeout: 300_000 },
    );
    file = find();
  }
  if (!file) throw new Error(`pip downloaded no wheel for ${name}`);
  return path.join(CACHE, file);
}

/** A fresh folder holding the unpacked wheels of `names` (the project as its repository would). */
export function workspace(names: string[], label = names[0] ?? 'ws'): string {
  const dir = mkdtempSync(path.join(tmpdir(), `tfx-real-${label}-`));
  for (const n of names)
    execFileSync(pipPython(), ['-m', 'zipfile', '-e', wheel(n), dir], { stdio: 'pipe' });
  return dir;
}

/** Wheels installed with `pip --target` into a folder outside any workspace (a project's deps). */
export function sitePackages(names: string[]): string {
  const dir = path.join(CACHE, `site-${names.join('-')}`);
  if (!existsSync(path.join(dir, '.done'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      pipPython(),
      ['-m', 'pip', 'install', '--no-deps', '--no-index', '--target', dir, ...names.map(wheel)],
      { stdio: 'pipe', timeout: 300_000 },
    );
    writeFileSync(path.join(dir, '.done'), '');
  }
  return dir;
}

/** This process's environment with `sitePackages(names)` first on PYTHONPATH (a project's deps). */
export function envWithSitePackages(names: string[]): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PYTHONPATH: [sitePackages(names), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
  };
}

/** Replaces `before` by `after` in a workspace file (exactly once: the bug is where the test says). */
export function injectBug(root: string, file: string, before: string, after: string): void {
  const p = path.join(root, file);
  const text = readFileSync(p, 'utf8');
  const at = text.indexOf(before);
  if (at < 0 || text.indexOf(before, at + 1) >= 0)
    throw new Error(`${file}: the text to replace must occur exactly once: ${before}`);
  writeFileSync(p, text.slice(0, at) + after + text.slice(at + before.length));
}

/** Copies up to `count` .py files of `src` (e.g. the stdlib) into `dest`, keeping their paths. */
export function copyPyFiles(src: string, dest: string, count: number): number {
  let n = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (n >= count) return;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'site-packages' && e.name !== '__pycache__') walk(p);
      } else if (e.name.endsWith('.py')) {
        const to = path.join(dest, path.relative(src, p));
        mkdirSync(path.dirname(to), { recursive: true });
        writeFileSync(to, readFileSync(p));
        n++;
      }
    }
  };
  walk(src);
  return n;
}

/** Whether `module` imports in the interpreter the tests record with, with `deps` installed. */
export function importable(deps: string[], module: string): boolean {
  try {
    const dir = sitePackages(deps);
    const python = process.env.TRACEFIX_TEST_PYTHON ?? '/usr/bin/python3';
    execFileSync(python, ['-c', `import ${module}`], {
      stdio: 'ignore',
      env: { ...process.env, PYTHONPATH: dir },
    });
    return true;
  } catch {
    return false;
  }
}
