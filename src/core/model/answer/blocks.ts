// Where the code is in a model's answer and which file each block is for: fenced blocks (with or
// without a language tag, cut off or not), the file paths the answer names on or before a fence, in
// a first-line `# file:` comment or a diff header, else the file whose functions the block defines.

import { findDefs } from '../../source/pyStructure';
import { dedent } from './splice';

/** No fix needs an answer this long (max_tokens keeps real answers far below it). */
export const MAX_ANSWER_CHARS = 1_000_000;

export interface AnswerFile {
  path: string;
  text: string;
}

export interface Fence {
  info: string;
  lang: string;
  body: string;
  closed: boolean;
  /** Line indexes of the opening and closing fence. */
  open: number;
  close: number;
  /** Up to two non-blank lines before the fence, for a file name. */
  before: string;
}

const MAX_LABEL_CHARS = 400;

export const CODE_LANGS = new Set(['', 'python', 'py', 'python3', 'py3', 'diff', 'patch', 'udiff']);

export function extractFences(ls: string[]): Fence[] {
  const out: Fence[] = [];
  let i = 0;
  while (i < ls.length) {
    const m = /^(\s*)(`{3,}|~{3,})([^`]*)$/.exec(ls[i] ?? '');
    if (!m) {
      i++;
      continue;
    }
    const indent = m[1]?.length ?? 0;
    const marker = m[2] ?? '```';
    // File names are short: bounding what is searched for them keeps a huge line from costing more.
    const info = (m[3] ?? '').trim().slice(0, MAX_LABEL_CHARS);
    let j = i + 1;
    const closeRe = new RegExp(`^\\s*${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
    while (j < ls.length && !closeRe.test(ls[j] ?? '')) j++;
    const body = ls
      .slice(i + 1, j)
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join('\n');
    const before = ls
      .slice(Math.max(0, i - 3), i)
      .filter((l) => l.trim())
      .slice(-2)
      .join('\n')
      .slice(-MAX_LABEL_CHARS);
    const lang = (/^[\w+-]*/.exec(info)?.[0] ?? '').toLowerCase();
    out.push({
      info,
      lang: /\.\w+$/.test(lang) ? '' : lang,
      body,
      closed: j < ls.length,
      open: i,
      close: j,
      before,
    });
    i = j + 1;
  }
  return out;
}

const PATH_TOKEN = /[\w./\\-]*[\w-]\.(?:py|pyi)\b/g;

function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** Matches a path the model wrote to one of the files: exact, suffix on a `/` boundary, unique basename. */
export function matchFile(candidate: string, files: AnswerFile[]): AnswerFile | undefined {
  const c = normalizePath(candidate);
  const exact = files.find((f) => normalizePath(f.path) === c);
  if (exact) return exact;
  const suffix = files.filter((f) => {
    const p = normalizePath(f.path);
    return p.endsWith(`/${c}`) || c.endsWith(`/${p}`);
  });
  if (suffix.length === 1) return suffix[0];
  const base = c.split('/').pop();
  const byBase = files.filter((f) => normalizePath(f.path).split('/').pop() === base);
  return byBase.length === 1 ? byBase[0] : undefined;
}

export function pathsIn(text: string): string[] {
  return Array.from(text.matchAll(PATH_TOKEN), (m) => m[0]);
}

/** The file paths an answer names for its code (fence lines, `# file:` first lines, diff headers),
 * so that files the prompt did not show (a conftest.py that never ran) can still be matched. */
export function pathsNamedIn(answer: string): string[] {
  const out = new Set<string>();
  const lines = toLf(answer.length > MAX_ANSWER_CHARS ? '' : answer).split('\n');
  lines.forEach((line, i) => {
    const fence = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      for (const p of pathsIn(fence[2] ?? '')) out.add(p);
      const first = FILE_COMMENT.exec(lines[i + 1] ?? '');
      if (first?.[1]) out.add(first[1]);
    }
    const header = /^(?:\+\+\+|---)\s+(?:[ab]\/)?(\S+\.pyi?)\b/.exec(line);
    if (header?.[1]) out.add(header[1]);
  });
  return [...out].map((p) => p.replace(/\\/g, '/').replace(/^\.\//, ''));
}

/** `# file: x.py`, `# x.py`, `# File: path/x.py` as the first line of a block. */
const FILE_COMMENT = /^\s*#\s*(?:(?:file(?:name)?|path)\s*[:=]\s*)?([\w./\\-]+\.pyi?)\s*$/i;

export function toLf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Which file a code block is for: named on/before the fence or in a first-line comment, else by the definitions it contains, else the only file. */
export function targetFile(
  f: Fence,
  body: string,
  files: AnswerFile[],
): { file?: AnswerFile; dropFirstLine: boolean; note?: string } {
  const firstLine = body.split('\n')[0] ?? '';
  const comment = FILE_COMMENT.exec(firstLine)?.[1];
  for (const c of [...pathsIn(f.info), ...(comment ? [comment] : []), ...pathsIn(f.before)]) {
    const file = matchFile(c, files);
    if (file) return { file, dropFirstLine: c === comment };
  }
  const named = [...pathsIn(f.info), ...(comment ? [comment] : [])][0];
  const defs = findDefs(dedent(body).split('\n')).map((d) => d.name);
  if (defs.length) {
    const scored = files
      .map((file) => {
        const have = new Set(findDefs(toLf(file.text).split('\n')).map((d) => d.name));
        return {
          file,
          score: defs.filter((n) => have.has(n)).length,
          test: /(^|\/)test_|_test\.py$/.test(file.path),
        };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score || Number(a.test) - Number(b.test));
    if (
      scored[0] &&
      (scored.length === 1 ||
        scored[0].score > (scored[1]?.score ?? 0) ||
        scored[0].test !== scored[1]?.test)
    ) {
      return { file: scored[0].file, dropFirstLine: Boolean(comment) };
    }
  }
  if (files.length === 1)
    return {
      file: files[0],
      dropFirstLine: Boolean(comment),
      note: named ? `The answer names ${named}, taken to mean ${files[0]?.path}.` : undefined,
    };
  return {
    dropFirstLine: false,
    note: named ? `The answer names ${named}, which is none of the files.` : undefined,
  };
}
