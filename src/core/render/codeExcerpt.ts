// The code a repair prompt shows (its `## Code` section), within a token budget: whole files when they
// all fit; otherwise, failure first, the whole code of the functions on the failure path (the frames
// on the exception's stack, the test, the calls they made), the imports of their files, then the
// other functions that ran by nearness to the failure; regions not shown collapse to a
// `# ... lines a-b not shown` marker. A file holding the failing code is never dropped for one that
// was only imported.
import type { Trace } from '../trace/model';
import { Layouter, type RenderMode } from './layout';
import { cutLine, MAX_LINE_CHARS } from './lineText';
import { fileOrder } from './next';
import { countTokens } from './tokens';
import { indexTrace } from './traceIndex';
import { buildUnits, importLines, type CodeUnit } from './units';

export const DEFAULT_CODE_BUDGET = 6000;

export interface ExcerptFile {
  path: string;
  /** The whole file as traced. */
  text: string;
  /** What to show when not the whole file: an excerpt with markers. Undefined = the whole file. */
  shown?: string;
}

export interface CodeExcerpt {
  /** Files shown, in the order the run entered them. */
  files: ExcerptFile[];
  /** Files whose code ran but none of it fits the budget. */
  leftOut: ExcerptFile[];
  /** Tokens of the shown texts (without the prompt's headers and fences). */
  tokens: number;
}

const CODE_MODE: RenderMode = {
  annotate: false,
  levels: [
    { keep: 0, width: Infinity, gap: Infinity },
    { keep: 0, width: Infinity, gap: 8 },
    { keep: 0, width: Infinity, gap: 3 },
  ],
  failureLevels: 1,
  sliceUnitsWhole: true,
};
/** Tokens a file costs in the prompt besides its text (`### path`, the fences). */
const FILE_OVERHEAD = 14;

function wholeFits(files: { text: string }[], budget: number): number | undefined {
  // A cheap bound first: a file far beyond the budget is not counted (nor is a huge line tokenized).
  let chars = 0;
  for (const f of files) chars += f.text.length;
  if (chars > budget * 12) return undefined;
  let tokens = 0;
  for (const f of files) {
    const lines = f.text.split('\n');
    if (lines.some((l) => l.length > MAX_LINE_CHARS)) return undefined;
    tokens += countTokens(f.text) + FILE_OVERHEAD;
    if (tokens > budget) return undefined;
  }
  return tokens;
}

/** Failure units, then the imports of their files, then the rest in nearness order. */
function codeOrder(units: CodeUnit[]): CodeUnit[] {
  const failureFiles = new Set(units.filter((u) => u.failure).map((u) => u.file));
  const imports = units.filter(
    (u) => !u.failure && u.kind === 'module' && failureFiles.has(u.file),
  );
  return [
    ...units.filter((u) => u.failure),
    ...imports,
    ...units.filter((u) => !u.failure && !imports.includes(u)),
  ];
}

export function selectCode(trace: Trace, options: { budget?: number } = {}): CodeExcerpt {
  const budget = options.budget ?? DEFAULT_CODE_BUDGET;
  const order = fileOrder(trace);
  const texts = new Map(trace.sources.map((s) => [s.path, s.text]));
  const candidates = order.map((path) => ({ path, text: texts.get(path) ?? '' }));
  const whole = wholeFits(candidates, budget);
  if (whole !== undefined) return { files: candidates, leftOut: [], tokens: whole };
  const index = indexTrace(trace);
  const set = buildUnits(trace, index, { extraRan: (_file, layout) => importLines(layout) });
  set.units.splice(0, set.units.length, ...codeOrder(set.units));
  const layouter = new Layouter(trace, index, set, CODE_MODE);
  let planBudget = budget - FILE_OVERHEAD * Math.min(order.length, 4);
  for (let attempt = 0; attempt < 6 && planBudget > 0; attempt++) {
    const { files } = layouter.emitFiles(layouter.plan(planBudget));
    const shown: ExcerptFile[] = files.map((f) => {
      const text = texts.get(f.file) ?? '';
      return f.whole ? { path: f.file, text } : { path: f.file, text, shown: `${f.text}\n` };
    });
    const tokens = shown.reduce(
      (n, f) =>
        n + countTokens(f.shown ?? f.text.split('\n').map(cutLine).join('\n')) + FILE_OVERHEAD,
      0,
    );
    if (tokens <= budget) {
      const names = new Set(shown.map((f) => f.path));
      return { files: shown, leftOut: candidates.filter((f) => !names.has(f.path)), tokens };
    }
    planBudget -= tokens - budget + Math.ceil(budget * 0.03);
  }
  return { files: [], leftOut: candidates, tokens: 0 };
}
