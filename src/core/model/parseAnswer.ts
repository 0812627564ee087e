// Turns a model's free-form answer into rationale, summary, cited trace steps and new file texts.
// Tolerates: fences with or without a language tag, extra prose, CRLF, several files, whole files
// or only the changed functions, unified diffs, `<think>` blocks, echoed trace comments and
// `<redacted>` placeholders. A cut-off answer never yields code (state `incomplete`). Linear in the
// answer's size and free of recursion and argument spreads, so a hostile answer (megabytes of code,
// thousands of fences) costs time in proportion and never overflows the stack; answers beyond
// MAX_ANSWER_CHARS are refused outright.
import { applyModelDiff, looksLikeDiff, parseModelDiff } from './answerDiff';
import type { FinishReason } from './provider';
import { findDefs } from './pyStructure';
import { REDACTED, restoreRedacted } from './redact';
import { dedent, hasSpliceableCode, isWholeFile, spliceFragment } from './splice';

export interface AnswerFile {
  path: string;
  text: string;
}

export type AnswerState = 'ok' | 'incomplete' | 'no-code' | 'unparseable';

export interface ParsedAnswer {
  /** The explanation before the fix (Summary line and headings removed). */
  rationale: string;
  /** The `Summary:` line, else the rationale's first sentence, else ''. */
  summary: string;
  /** Trace step numbers cited as `(k)` or `step k`, unique, ascending. */
  steps: number[];
  /** New full texts of the files that change (original EOL style kept); null unless state is 'ok'. */
  files: { path: string; newText: string }[] | null;
  state: AnswerState;
  /** Human-readable notes: what was ignored, why parsing failed. */
  problems: string[];
}

/** No fix needs an answer this long (max_tokens keeps real answers far below it). */
export const MAX_ANSWER_CHARS = 1_000_000;

export interface ParseOptions {
  /** From ChatResult; 'length' (or 'cancelled') means the answer is incomplete. */
  finishReason?: FinishReason;
  /** Ignore `(k)` numbers above this (the trace's last step). */
  maxStep?: number;
}

interface Fence {
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

/** A comment standing for omitted code: `# ...`, `# rest unchanged`, `# existing code`. */
const ELISION =
  /^\s*#\s*(?:\.{3}|…|.*\b(?:unchanged|rest of (?:the )?(?:code|file|function)|remains? the same|same as before|existing code)\b).*$/i;

const MAX_LABEL_CHARS = 400;

const CODE_LANGS = new Set(['', 'python', 'py', 'python3', 'py3', 'diff', 'patch', 'udiff']);

function extractFences(ls: string[]): Fence[] {
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

function pathsIn(text: string): string[] {
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

function detectEol(text: string): '\r\n' | '\n' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length;
  return crlf > 0 && crlf * 2 >= lf ? '\r\n' : '\n';
}

function toLf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

const TRACE_COMMENT = /#[ \t]*\(\d+\)\s/y;

/** Removes NExT trace comments the model copied into code, unless the file has them itself. */
function stripTraceComments(code: string, original: string): string {
  return code
    .split('\n')
    .map((l) => {
      // Found from each `#` after whitespace; a leading `\s+` in the pattern would rescan long runs of spaces.
      for (let at = l.indexOf('#'); at > 0; at = l.indexOf('#', at + 1)) {
        if (!/\s/.test(l[at - 1] ?? '')) continue;
        TRACE_COMMENT.lastIndex = at;
        if (!TRACE_COMMENT.test(l)) continue;
        return original.includes(l.slice(at).trim()) ? l : l.slice(0, at).trimEnd();
      }
      return l;
    })
    .join('\n');
}

function extractSummary(text: string): { summary: string; without: string } {
  const re =
    /^[ \t]*(?:[-*>#]+[ \t]*)?(?:\d+\.[ \t]*)?(?:\*\*|__)?summary(?:\*\*|__)?[ \t]*[:：][ \t]*(?:\*\*|__)?[ \t]*(.*)$/im;
  const m = re.exec(text);
  if (!m) return { summary: '', without: text };
  const summary = (m[1] ?? '').replace(/(?:\*\*|__)\s*$/, '').trim();
  return { summary, without: text.slice(0, m.index) + text.slice(m.index + m[0].length) };
}

/** A line that only names a file, e.g. "**`src/x.py`**:" or "File: x.py", as models put before a block. */
const FILE_LABEL =
  /^[ \t]*(?:#{1,6}[ \t]*)?(?:[*_`]*(?:file|in|updated|fixed|path)[*_`]*[ \t]*:?[ \t]*)?[*_`"']*[\w./\\-]+\.pyi?[*_`"']*[ \t]*:?[ \t]*$/i;

function cleanRationale(text: string): string {
  const ls = text.split('\n');
  while (ls.length && (!ls[ls.length - 1]?.trim() || FILE_LABEL.test(ls[ls.length - 1] ?? '')))
    ls.pop();
  return ls
    .join('\n')
    .replace(
      /^[ \t]*(?:#{1,6}[ \t]*|\d+\.[ \t]*)?(?:\*\*|__)?(?:rationale|explanation|analysis|reasoning)(?:\*\*|__)?[ \t]*:?(?:\*\*|__)?[ \t]*$/gim,
      '',
    )
    .replace(
      /^[ \t]*(?:\*\*|__)?(?:rationale|explanation)(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*/im,
      '',
    )
    .replace(
      /^[ \t]*(?:#{1,6}[ \t]*|\d+\.[ \t]*)?(?:\*\*|__)?(?:the )?(?:fix|fixed code|patch)(?:\*\*|__)?[ \t]*:?(?:\*\*|__)?[ \t]*$/gim,
      '',
    )
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function extractSteps(text: string, maxStep?: number): number[] {
  const found = new Set<number>();
  for (const m of text.matchAll(/(?<![\w)\]])\((\d{1,6})\)/g)) found.add(Number(m[1]));
  for (const m of text.matchAll(
    /\bsteps?\s+\(?(\d{1,6})\)?(?:\s*(?:,|and|to|-|–)\s*\(?(\d{1,6})\)?)?/gi,
  )) {
    found.add(Number(m[1]));
    if (m[2]) found.add(Number(m[2]));
  }
  return [...found].filter((n) => maxStep === undefined || n <= maxStep).sort((a, b) => a - b);
}

function firstSentence(text: string): string {
  const flat = (text.split(/^[ \t]*(?:`{3,}|~{3,})/m)[0] ?? '').replace(/\s+/g, ' ').trim();
  const m = /^(.{10,200}?[.!?])(?:\s|$)/.exec(flat);
  return m?.[1] ?? flat.slice(0, 160);
}

/** Which file a code block is for: named on/before the fence or in a first-line comment, else by the definitions it contains, else the only file. */
function targetFile(
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

/** Removes `<think>…</think>` blocks, and everything from an unclosed `<think>` that opens the answer. */
export function stripThinking(text: string): string {
  const open = /<think>/gi;
  const close = /<\/think>/gi;
  let out = '';
  let pos = 0;
  for (;;) {
    open.lastIndex = pos;
    const o = open.exec(text);
    if (!o) break;
    close.lastIndex = o.index + o[0].length;
    const c = close.exec(text);
    // No closing tag after this one means none after any later one either: stop (linear).
    if (!c) break;
    out += text.slice(pos, o.index);
    pos = c.index + c[0].length;
  }
  out += text.slice(pos);
  return /^\s*<think>/i.test(out) ? '' : out;
}

function megabytes(chars: number): string {
  return chars >= 1_000_000
    ? `${(chars / 1_000_000).toFixed(1)} million characters`
    : `${Math.round(chars / 1000)} thousand characters`;
}

function oversized(answer: string): ParsedAnswer {
  // The rationale is whatever prose comes before the first fence, within a readable start.
  const head = answer.slice(0, 20_000).replace(/\r\n?/g, '\n');
  const fence = head.search(/^[ \t]*(?:`{3,}|~{3,})/m);
  const rationale = cleanRationale(fence >= 0 ? head.slice(0, fence) : '');
  return {
    rationale,
    summary: extractSummary(head).summary,
    steps: extractSteps(rationale),
    files: null,
    state: 'unparseable',
    problems: [
      `The answer is ${megabytes(answer.length)} long, far more than any fix needs (at most ${megabytes(MAX_ANSWER_CHARS)}); it was not used.`,
    ],
  };
}

/**
 * Parses an answer against the files the prompt showed (`files`, current texts). Blocks that are
 * neither a whole file nor a definition (quoted snippets) are ignored; a block that cannot be placed
 * makes the state `unparseable`; a cut-off answer is `incomplete` with no files.
 */
export function parseAnswer(
  answer: string,
  files: AnswerFile[],
  options: ParseOptions = {},
): ParsedAnswer {
  const problems: string[] = [];
  if (answer.length > MAX_ANSWER_CHARS) return oversized(answer);
  const text = stripThinking(toLf(answer));
  const ls = text.split('\n');
  const fences = extractFences(ls);
  const codeFences = fences.filter((f) => CODE_LANGS.has(f.lang) || pathsIn(f.info).length > 0);

  const { summary: summaryLine, without } = extractSummary(text);
  // The rationale is the prose before the first block that is the fix (quoted snippets stay in it).
  const describe = (fixStart: number): Pick<ParsedAnswer, 'rationale' | 'summary' | 'steps'> => {
    const rationale = cleanRationale(without.split('\n').slice(0, fixStart).join('\n'));
    if (!summaryLine && rationale) problems.push('The answer has no "Summary:" line.');
    return {
      rationale,
      summary: summaryLine || firstSentence(rationale),
      steps: extractSteps(rationale, options.maxStep),
    };
  };

  const cut =
    options.finishReason === 'length' ||
    options.finishReason === 'cancelled' ||
    fences.some((f) => !f.closed);
  if (cut) {
    const why =
      options.finishReason === 'cancelled'
        ? 'was cancelled'
        : options.finishReason === 'length'
          ? 'hit the token limit'
          : 'ends inside a code block';
    const base = describe(codeFences[0]?.open ?? ls.length);
    return {
      ...base,
      files: null,
      state: 'incomplete',
      problems: [...problems, `The answer ${why}; no code is taken from an incomplete answer.`],
    };
  }
  if (codeFences.length === 0) {
    const base = describe(ls.length);
    return {
      ...base,
      files: null,
      state: 'no-code',
      problems: [...problems, 'The answer contains no code block.'],
    };
  }

  const current = new Map(files.map((f) => [f.path, toLf(f.text)]));
  let failed = false;
  let used = 0;
  let fixStart = ls.length;
  const fix = (f: Fence): void => {
    fixStart = Math.min(fixStart, f.open);
  };
  for (const f of codeFences) {
    if (f.lang === 'diff' || f.lang === 'patch' || f.lang === 'udiff' || looksLikeDiff(f.body)) {
      const patches = parseModelDiff(f.body);
      if (patches.length === 0) {
        problems.push('A diff block has no hunks.');
        fix(f);
        failed = true;
        continue;
      }
      fix(f);
      for (const p of patches) {
        const named = p.newPath ?? p.oldPath;
        const target = named ? matchFile(named, files) : targetFile(f, '', files).file;
        const file = target ?? (files.length === 1 ? files[0] : undefined);
        if (!file) {
          problems.push(
            `A diff is for ${named ?? 'an unnamed file'}, which matches none of the files.`,
          );
          failed = true;
          continue;
        }
        const applied = applyModelDiff(current.get(file.path) ?? '', p);
        if ('error' in applied) {
          problems.push(`The diff for ${file.path} could not be applied: ${applied.error}.`);
          failed = true;
          continue;
        }
        current.set(file.path, applied.text);
        used++;
      }
      continue;
    }
    const target = targetFile(f, f.body, files);
    if (target.note) problems.push(target.note);
    let body = target.dropFirstLine ? f.body.split('\n').slice(1).join('\n') : f.body;
    if (!body.trim()) continue;
    if (!target.file) {
      if (hasSpliceableCode(body)) {
        problems.push(
          'A code block could not be matched to a file (name the file on the fence line).',
        );
        fix(f);
        failed = true;
      }
      continue;
    }
    const path = target.file.path;
    const originalLf = toLf(target.file.text);
    const now = current.get(path) ?? originalLf;
    body = stripTraceComments(body, originalLf);
    const elided = ELISION.exec(
      body.split('\n').find((l) => ELISION.test(l) && !originalLf.includes(l.trim())) ?? '',
    );
    if (elided) {
      problems.push(
        `The code for ${path} leaves parts out ("${elided[0].trim()}"); only complete functions can be applied.`,
      );
      fix(f);
      failed = true;
      continue;
    }
    const blockDefs = findDefs(dedent(body).split('\n')).filter((d) => d.parent === undefined);
    const fileDefs = new Set(findDefs(now.split('\n')).map((d) => d.name));
    if (blockDefs.length && blockDefs.every((d) => /^test/.test(d.name) && !fileDefs.has(d.name))) {
      problems.push(
        `Ignored a block of tests (${blockDefs.map((d) => d.name).join(', ')}) that are not in ${path}.`,
      );
      continue;
    }
    if (isWholeFile(dedent(body), now)) {
      fix(f);
      current.set(path, dedent(body));
      used++;
      continue;
    }
    if (!hasSpliceableCode(body)) {
      problems.push(
        `Ignored a code block that is neither a whole file nor a function/class (${body.trim().split('\n')[0]?.slice(0, 60) ?? ''}).`,
      );
      continue;
    }
    fix(f);
    const spliced = spliceFragment(now, body);
    problems.push(...spliced.problems);
    if (spliced.replaced.length + spliced.added.length === 0 && spliced.problems.length)
      failed = true;
    current.set(path, spliced.text);
    used++;
  }

  const changed: { path: string; newText: string }[] = [];
  for (const f of files) {
    const originalLf = toLf(f.text);
    let next = current.get(f.path) ?? originalLf;
    if (next === originalLf) continue;
    const restored = restoreRedacted(next, originalLf);
    if (restored.unresolved > 0) {
      problems.push(
        `The code for ${f.path} contains ${REDACTED} placeholders that match nothing in the file; it would overwrite real values.`,
      );
      failed = true;
    }
    next = restored.text;
    // Keep the file's final-newline convention and line ends.
    const endsWithNewline = /\n$/.test(originalLf);
    next = endsWithNewline ? next.replace(/\n*$/, '\n') : next.replace(/\n+$/, '');
    if (next === originalLf) continue;
    const eol = detectEol(f.text);
    changed.push({ path: f.path, newText: eol === '\n' ? next : next.replace(/\n/g, eol) });
  }
  const base = describe(fixStart);
  if (failed) return { ...base, files: null, state: 'unparseable', problems };
  if (used === 0 || changed.length === 0) {
    return {
      ...base,
      files: null,
      state: 'no-code',
      problems: [
        ...problems,
        used
          ? 'The proposed code does not change any file.'
          : 'No code block in the answer could be used.',
      ],
    };
  }
  return { ...base, files: changed, state: 'ok', problems };
}
