// The task statement of a repair prompt, read from the source: the function under test's
// signature and docstring, the failing test's name and its first assertions.
import type { PromptFile } from '../model/prompt';
import {
  defStartingAt,
  docstringOf,
  findDefs,
  scanPython,
  type PyDef,
} from '../source/pyStructure';
import { parseNodeId, samePyFile } from '../source/pytest';

export interface TaskSource {
  files: PromptFile[];
  /** Test function name or pytest node id (`tests/test_x.py::TestC::test_y[1-2]`). */
  testName?: string;
  /** The function under test; inferred from the test's assertions when absent. */
  functionName?: string;
  /** Where the function under test starts (the trace's call line): settles which of several
   * functions of that name it is. */
  functionAt?: { path: string; line: number };
}

const MAX_ASSERTS = 3;

/** Logical lines of a def's body that assert something (`assert …`, `self.assertEqual(…)`, `pytest.raises`). */
function assertionLines(lines: string[], start: number, end: number): string[] {
  const scanned = scanPython(lines);
  const out: string[] = [];
  for (let i = start; i < end && out.length < MAX_ASSERTS; i++) {
    const l = scanned[i];
    if (!l?.start || !/^\s*(?:assert\b|self\.assert\w*\(|with\s+pytest\.raises\b)/.test(l.text))
      continue;
    let j = i + 1;
    while (j < end && !scanned[j]?.start) j++;
    out.push(
      lines
        .slice(i, j)
        .map((s) => s.trim().replace(/\\$/, '').trim())
        .join(' ')
        .replace(/\s+#.*$/, ''),
    );
  }
  return out;
}

/**
 * A task statement from the source: the function under test's signature and docstring, the test's
 * name and its first assertions. Undefined when nothing useful is found.
 */
export function extractTask(src: TaskSource): string | undefined {
  const parsed = src.files.map((f) => {
    const lines = f.text.replace(/\r\n?/g, '\n').split('\n');
    return { path: f.path, lines, defs: findDefs(lines) };
  });
  const out: string[] = [];
  let asserts: string[] = [];
  const test = src.testName ? findTest(parsed, src.testName) : undefined;
  if (test) {
    asserts = assertionLines(test.file.lines, test.def.defLine + 1, test.def.end);
    out.push(`Failing test: ${test.label} (${test.file.path})`);
    if (asserts.length) out.push(...asserts.map((a) => `    ${a}`));
  }
  let found: { file: ParsedFile; def: PyDef } | undefined;
  const at = src.functionAt;
  if (at) {
    const file = parsed.find((f) => samePyFile(f.path, at.path));
    const def = file ? defStartingAt(file.defs, at.line) : undefined;
    if (file && def) found = { file, def };
  }
  let target = src.functionName;
  if (!found && !target && asserts.length) {
    const called = asserts.flatMap((a) =>
      Array.from(a.matchAll(/([A-Za-z_]\w*)\s*\(/g), (m) => m[1] ?? ''),
    );
    target = called.find(
      (name) => !name.startsWith('test') && parsed.some((f) => f.defs.some((d) => d.name === name)),
    );
  }
  if (!found && target) {
    const simple = target.split('.').pop() ?? target;
    for (const f of parsed) {
      const def =
        f.defs.find((d) => d.qualname === target) ??
        f.defs.find((d) => d.name === simple && !d.name.startsWith('test'));
      if (def) {
        found = { file: f, def };
        break;
      }
    }
  }
  if (found) {
    const { file: f, def } = found;
    const scanned = scanPython(f.lines);
    let headerEnd = def.defLine + 1;
    while (headerEnd < def.end && !scanned[headerEnd]?.start) headerEnd++;
    const header = f.lines
      .slice(def.defLine, headerEnd)
      .map((s) => s.trim())
      .join(' ')
      .replace(/:\s*(?:#.*)?$/, '');
    // `def name(` → `Class.name(` for methods, so the model knows which one.
    const signature = header.replace(
      /^(async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/,
      (_m, a: string | undefined) => `${a ?? ''}${def.qualname}`,
    );
    const doc = docstringHead(docstringOf(f.lines, def, scanned));
    const head = [`Function under test: ${signature} (${f.path})`];
    if (doc)
      head.push(
        doc
          .split('\n')
          .map((l) => `    ${l}`.trimEnd())
          .join('\n'),
      );
    out.unshift(...head);
  }
  return out.length ? out.join('\n') : undefined;
}

/** A docstring the task quotes whole: at most this many lines and characters; a longer one is cut
 * to its first paragraph, at most DOC_LINES lines. */
const DOC_WHOLE_LINES = 6;
const DOC_LINES = 4;
const DOC_CHARS = 400;

/** A short docstring, or a long one's first paragraph (its summary, at most DOC_LINES lines) and `…`. */
export function docstringHead(doc: string | undefined): string | undefined {
  if (!doc) return undefined;
  const lines = doc.split('\n');
  if (lines.length <= DOC_WHOLE_LINES && doc.length <= DOC_CHARS) return doc;
  const blank = lines.findIndex((l) => !l.trim());
  const para = lines.slice(0, blank < 0 ? lines.length : blank);
  let head = para.slice(0, DOC_LINES).join('\n');
  if (head.length > DOC_CHARS) head = `${head.slice(0, DOC_CHARS).trimEnd()}`;
  return head.length < doc.trim().length ? `${head.trimEnd()} …` : head;
}

interface ParsedFile {
  path: string;
  lines: string[];
  defs: PyDef[];
}

/**
 * The test function a node id names: in the id's file, `Class::method` by its qualified name (a
 * parametrized id by its function); a bare name anywhere. Never another file's function of that name
 * when the id's file is among the files.
 */
function findTest(
  parsed: ParsedFile[],
  nodeId: string,
): { file: ParsedFile; def: PyDef; label: string } | undefined {
  const id = parseNodeId(nodeId);
  const name = id.names[id.names.length - 1];
  if (!name) return undefined;
  const qual = id.names.join('.');
  const label = `${id.names.join('::')}${id.params !== undefined ? `[${id.params}]` : ''}`;
  const inFile = id.file ? parsed.filter((f) => samePyFile(f.path, id.file)) : [];
  const pools = inFile.length ? [inFile] : [parsed];
  for (const pool of pools) {
    for (const match of [
      (d: PyDef) => d.qualname === qual,
      (d: PyDef) => id.names.length === 1 && d.name === name,
    ]) {
      for (const file of pool) {
        const def = file.defs.find((d) => d.kind === 'def' && match(d));
        if (def) return { file, def, label };
      }
    }
  }
  return undefined;
}
