// search_values: recorded values (bindings, changes inside values, return values, exceptions) and
// printed output that contain a text, in step order; optionally only one variable's values or one
// function's. Matches redacted values only, so a search cannot probe a secret.
import * as z from 'zod';
import { deltaText, type OutputChunk } from '../trace/model';
import {
  BoundedList,
  cut,
  functionMatches,
  gapSentence,
  itemLimit,
  stepRef,
  whereAt,
} from './format';
import { fromStep, functionName, limit } from './schema';
import { traceView } from './traceView';
import { MAX_ITEMS, ToolInputError, type ToolAnswerDraft, type ToolContext } from './types';

export const SEARCH_VALUES_INPUT = z.strictObject({
  text: z.string().max(200).describe("Text to look for in the values' reprs."),
  name: z.string().max(300).describe('Only in the values of this variable.').optional(),
  function: functionName.optional(),
  case_sensitive: z.boolean().describe('Match case (default false).').optional(),
  from_step: fromStep.optional(),
  limit: limit.optional(),
});

/** Characters of context kept around a match in a long value. */
const AROUND = 60;
/** Printed lines (and at most so many characters) each side of a line, redacted with it. */
const CONTEXT_LINES = 4;
const CONTEXT_CHARS = 400;

function excerpt(value: string, at: number, len: number, width: number): string {
  if (value.length <= width) return value;
  const from = Math.max(0, at - AROUND);
  const to = Math.min(value.length, at + len + AROUND);
  return `${from > 0 ? '...' : ''}${value.slice(from, to)}${to < value.length ? '...' : ''}`;
}

export function searchValues(
  ctx: ToolContext,
  args: z.output<typeof SEARCH_VALUES_INPUT>,
): ToolAnswerDraft {
  const view = traceView(ctx.trace);
  const text = args.text;
  if (text.length > 200) throw new ToolInputError('text: at most 200 characters');
  const caseSensitive = args.case_sensitive === true;
  const needle = caseSensitive ? text : text.toLowerCase();
  const name = args.name;
  const fn = args.function;
  const from = view.indexFromStep(args.from_step);
  const list = new BoundedList(
    itemLimit(args.limit, ctx.limits, MAX_ITEMS),
    ctx.limits.maxChars - 700,
  );
  const find = (v: string): number => (caseSensitive ? v : v.toLowerCase()).indexOf(needle);
  // Redaction only replaces spans with "<redacted>", so a needle without < or > that is not part of
  // that word is in a redacted value only if it is in the raw one: the raw value is a sound
  // pre-filter, and only candidates are redacted (the match itself is always on the redacted value).
  const prefilter = !/[<>]/.test(needle) && !'<redacted>'.includes(needle);
  let before = 0;
  for (let i = 0; i < view.length; i++) {
    ctx.budget.tick();
    if (view.stepAt(i) === null) continue;
    const f = view.frames.get(view.callIdAt(i));
    if (!f || !functionMatches(f.function, fn)) continue;
    const hits: string[] = [];
    const consider = (
      label: string,
      key: string,
      raw: string,
      show: (v: string) => string,
    ): void => {
      if (
        name !== undefined &&
        key !== name &&
        !key.startsWith(`${name}[`) &&
        !key.startsWith(`${name}.`)
      )
        return;
      if (prefilter && find(raw) < 0) return;
      const v = label === '__exception__' ? ctx.values.text(raw) : ctx.values.value(key, raw);
      const at = find(v);
      if (at >= 0) hits.push(show(excerpt(v, at, needle.length, ctx.limits.valueWidth)));
    };
    const e = view.event(i);
    for (const n in e.changed) consider(n, n, e.changed[n] ?? '', (x) => `${n}=${x}`);
    for (const d of e.deltas ?? [])
      if (d.value !== undefined && d.op !== 'more')
        consider(d.path, d.path, d.value, (x) => deltaText({ ...d, value: x }));
    if ((e.kind === 'return' || e.kind === 'yield') && e.function !== '<module>') {
      const pseudo = e.kind === 'return' ? '__return__' : '__yield__';
      consider(pseudo, pseudo, e.value ?? 'None', (x) => `${pseudo}=${x}`);
    }
    if (e.exception && e.kind === 'exception')
      consider('__exception__', '__exception__', e.exception.repr, (x) => `__exception__ = ${x}`);
    if (!hits.length) continue;
    if (i < from) {
      before++;
      continue;
    }
    list.add(
      `${stepRef(view, i)} ${whereAt(view, i)} ${hits.map((h) => cut(h, { ...ctx.limits, valueWidth: ctx.limits.valueWidth + 40 })).join('; ')}`,
      view.stepAt(i),
    );
  }
  const out: string[] = [];
  const scope = `${name ? ` in the values of ${name}` : ''}${fn ? ` in ${fn}` : ''}`;
  const total = list.count + before;
  out.push(
    total
      ? `"${text}" found${scope} at ${total} step${total === 1 ? '' : 's'}${before ? ` (${before} before the requested step not listed)` : ''}:`
      : `"${text}" is in no recorded value${scope}.`,
  );
  if (list.items) out.push(list.text());
  const more = list.more('steps');
  if (more) out.push(more);
  if (name === undefined && fn === undefined) {
    const printed = printedMatches(ctx, view, find, needle.length, prefilter);
    if (printed) out.push(printed);
  }
  const g = gapSentence(view);
  if (g) out.push(`Note: ${g}; values from then cannot be searched.`);
  return { text: out.join('\n'), truncated: list.left > 0 };
}

interface PrintedLine {
  chunk: OutputChunk;
  line: string;
}

const printedCache = new WeakMap<readonly OutputChunk[], PrintedLine[]>();

/** Every printed line with the chunk it came from (once per recording). */
function printedLines(output: readonly OutputChunk[]): PrintedLine[] {
  let lines = printedCache.get(output);
  if (!lines) {
    lines = output.flatMap((chunk) => chunk.text.split('\n').map((line) => ({ chunk, line })));
    printedCache.set(output, lines);
  }
  return lines;
}

/** Lines of printed output holding the text, with the step they were printed after. */
function printedMatches(
  ctx: ToolContext,
  view: ReturnType<typeof traceView>,
  find: (v: string) => number,
  len: number,
  prefilter: boolean,
): string {
  const lines: string[] = [];
  let count = 0;
  const printed = printedLines(ctx.trace.output);
  const joined = (from: number, to: number): string =>
    printed
      .slice(Math.max(0, from), Math.max(0, to))
      .map((p) => p.line)
      .join('\n');
  for (let i = 0; i < printed.length; i++) {
    const { chunk, line } = printed[i] as PrintedLine;
    ctx.budget.tick();
    if (prefilter && find(line) < 0) continue;
    // A line is redacted with its neighbours: a secret printed in pieces on several lines is
    // recognised on each of them.
    const v = ctx.values.text(line, {
      before: `${joined(i - CONTEXT_LINES, i).slice(-CONTEXT_CHARS)}\n`,
      after: `\n${joined(i + 1, i + 1 + CONTEXT_LINES).slice(0, CONTEXT_CHARS)}`,
    });
    const at = find(v);
    if (at < 0) continue;
    count++;
    if (lines.length < 8) {
      const step = view.stepAtOrBefore(Math.min(chunk.afterEvent, view.length) - 1);
      lines.push(
        `  ${step === null ? '(start)' : `(after ${step})`} ${chunk.stream}: ${excerpt(v, at, len, ctx.limits.valueWidth)}`,
      );
    }
  }
  if (!count) return '';
  return [
    `Printed output holding it (${count} line${count === 1 ? '' : 's'}${count > lines.length ? `, first ${lines.length}` : ''}):`,
    ...lines,
  ].join('\n');
}
