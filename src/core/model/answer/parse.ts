// Turns a model's free-form answer into rationale, summary, cited trace steps and new file texts.
// Tolerates: fences with or without a language tag, extra prose, CRLF, several files, whole files
// or only the changed functions, unified diffs, `<think>` blocks, echoed trace comments and
// `<redacted>` placeholders. A cut-off answer never yields code (state `incomplete`). Linear in the
// answer's size and free of recursion and argument spreads, so a hostile answer (megabytes of code,
// thousands of fences) costs time in proportion and never overflows the stack; answers beyond
// MAX_ANSWER_CHARS are refused outright. The prose is read in prose.ts, the code blocks and
// the files they are for are found in blocks.ts; here the blocks become new file texts.
import { applyModelDiff, looksLikeDiff, parseModelDiff } from './diff';
import {
  CODE_LANGS,
  extractFences,
  matchFile,
  MAX_ANSWER_CHARS,
  pathsIn,
  targetFile,
  toLf,
  type AnswerFile,
  type Fence,
} from './blocks';
import {
  cleanRationale,
  extractSteps,
  extractSummary,
  firstSentence,
  stripThinking,
} from './prose';
import type { FinishReason } from '../client/provider';
import { findDefs } from '../../source/pyStructure';
import { REDACTED, restoreRedacted } from '../../redact/redact';
import { dedent, hasSpliceableCode, isWholeFile, spliceFragment } from './splice';

export type { AnswerFile } from './blocks';
export { matchFile, MAX_ANSWER_CHARS, pathsNamedIn } from './blocks';

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

export interface ParseOptions {
  /** From ChatResult; 'length' (or 'cancelled') means the answer is incomplete. */
  finishReason?: FinishReason;
  /** Ignore `(k)` numbers above this (the trace's last step). */
  maxStep?: number;
}

/** A comment standing for omitted code: `# ...`, `# rest unchanged`, `# existing code`. */
const ELISION =
  /^\s*#\s*(?:\.{3}|…|.*\b(?:unchanged|rest of (?:the )?(?:code|file|function)|remains? the same|same as before|existing code)\b).*$/i;

function detectEol(text: string): '\r\n' | '\n' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length;
  return crlf > 0 && crlf * 2 >= lf ? '\r\n' : '\n';
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
