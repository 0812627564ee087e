// A git repository made at test time for the comparison tests: fmt.py's format_number → width →
// _afterpoint (the helper two calls deep), a test of it, and helpers to commit, edit and take a
// snapshot of everything a baseline must leave alone (working tree, index, stash, worktrees).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const FMT = `def _afterpoint(s):
    i = s.find('.')
    return len(s) - i - 1


def width(s):
    w = _afterpoint(s)
    return w


def format_number(x):
    s = str(x)
    return f"{s} ({width(s)})"
`;

export const TEST = `from fmt import format_number


def test_format():
    assert format_number(3.145) == "3.145 (3)"


def test_other():
    assert format_number(2.5) == "2.5 (1)"
`;

/** The regression: one line added inside the helper. */
export function withRegression(text: string): string {
  return text.replace("    i = s.find('.')\n", "    i = s.find('.')\n    i = i + 1\n");
}

/** Lines added above everything (the alignment must hold across them). */
export function withHeader(text: string): string {
  return `"""Number formatting."""\nimport math\n\nPRECISION = 3\n\n\n${text}`;
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      // A status must not refresh the index: the snapshot compares its bytes.
      GIT_OPTIONAL_LOCKS: '0',
    },
  });
}

/** A repository in `dir` with one commit of fmt.py and test_fmt.py. */
export function makeRepo(dir: string): void {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, 'fmt.py'), FMT);
  writeFileSync(path.join(dir, 'test_fmt.py'), TEST);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'one');
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'commit', '-q', '-a', '-m', message);
}

export function edit(dir: string, file: string, change: (t: string) => string): void {
  const p = path.join(dir, file);
  writeFileSync(p, change(readFileSync(p, 'utf8')));
}

/** Everything a baseline must leave as it was. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(e.parentPath, e.name);
    if (e.isFile() && !full.includes(`${path.sep}.git${path.sep}`))
      files[path.relative(dir, full)] = readFileSync(full, 'utf8');
  }
  return {
    files: JSON.stringify(files),
    index: createHash('sha256')
      .update(readFileSync(path.join(dir, '.git', 'index')))
      .digest('hex'),
    status: git(dir, 'status', '--porcelain=v2', '--untracked-files=all'),
    stash: git(dir, 'stash', 'list'),
    worktrees: git(dir, 'worktree', 'list', '--porcelain'),
    refs: git(dir, 'for-each-ref'),
  };
}
