// The hover of a traced line: every recorded execution of it (step k, which call, what changed, with
// the full bounded values the inline text had to cut) as a Markdown table, plus command links. The
// command ids are parameters so this stays free of the editor; the extension trusts exactly those.

import type { Trace, TraceEvent } from '../trace/model';
import { recordingModel } from '../trace/recordingModel';
import { changeParts, partText } from './changes';

export interface HoverCommands {
  /** Shows the step in the timeline; argument `{ eventIndex }`. */
  timeline: string;
  /** Reveals the line that called this frame; argument `{ eventIndex }`. */
  caller: string;
  /** Replays the recording from this step; argument `{ eventIndex }`. */
  replay: string;
  /** Shows why a value is what it is (its why-chain in the timeline and the code); argument
   * `{ eventIndex, name }`. */
  why: string;
}

export interface HoverRow {
  eventIndex: number;
  step: number | null;
  kind: TraceEvent['kind'];
  function: string;
  callIndex: number;
  depth: number;
  /** `[name, full bounded value]`, including `__return__` / `__yield__`. */
  changed: [string, string][];
  deleted: string[];
  /** Changes inside values the recorder had to cut: `memo[3, 5]=30`, `del book['x']`, `seen.add(4)`. */
  deltas: string[];
  exception?: string;
  /** The event of the line that called this frame, if the caller is user code. */
  callerIndex?: number;
}

export interface HoverModel {
  file: string;
  line: number;
  /** Every event on the line, in execution order. */
  rows: HoverRow[];
  markdown: string;
}

export interface HoverOptions {
  /** Rows shown in the table before eliding the middle (default 24). */
  maxRows?: number;
  /** The editor's command ids for the links. */
  commands: HoverCommands;
  /** Markdown put before the table (e.g. a stale-trace warning). */
  note?: string;
}

/**
 * The event of the calling frame's line that made the call `e` belongs to: the caller's next event
 * after `e` (a line event is recorded once the line finished, i.e. after its calls), else its last
 * event before `e`.
 */
export function callerEvent(trace: Trace, e: TraceEvent): TraceEvent | undefined {
  if (e.parentCallId === undefined) return undefined;
  const model = recordingModel(trace);
  let i = model.frameEventAfter(e.parentCallId, e.index);
  if (i < 0) i = model.frameEventAtOrBefore(e.parentCallId, e.index - 1);
  return i < 0 ? undefined : model.event(i);
}

export function hoverRows(trace: Trace, file: string, line: number): HoverRow[] {
  const rows: HoverRow[] = [];
  const model = recordingModel(trace);
  for (const i of model.eventsAt(file, line)) {
    const e = model.event(i);
    const parts = changeParts(e);
    const changed: [string, string][] = [];
    const deltas: string[] = [];
    for (const p of parts) {
      if (
        p.kind === 'set' ||
        ((p.kind === 'return' || p.kind === 'yield') && e.value !== undefined)
      )
        changed.push([p.name, p.value ?? '']);
      else if (p.kind === 'delta') deltas.push(partText(p));
    }
    const row: HoverRow = {
      eventIndex: e.index,
      step: e.step,
      kind: e.kind,
      function: e.function,
      callIndex: e.callIndex,
      depth: e.depth,
      changed,
      deleted: e.deleted ?? [],
      deltas,
    };
    if (e.exception)
      row.exception = e.exception.repr || `${e.exception.type}: ${e.exception.message}`;
    const caller = callerEvent(trace, e);
    if (caller) row.callerIndex = caller.index;
    rows.push(row);
  }
  return rows;
}

/** A Markdown code span that survives any backticks in `text` and sits safely in a table cell. */
export function codeCell(text: string): string {
  const flat = text.replace(/\r?\n/g, '⏎');
  const runs = flat.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || fence.length > 1 ? ' ' : '';
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

export function commandUri(command: string, arg: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([arg]))}`;
}

/** The "why?" link of a value: its why-chain (only recordings with statement data can answer). */
function whyLink(row: HoverRow, name: string, cmd: HoverCommands): string {
  const title = `Why does ${name.replace(/["\\]/g, '')} have this value? Highlights the steps that made it`;
  return ` [why?](${commandUri(cmd.why, { eventIndex: row.eventIndex, name })} "${title}")`;
}

function rowMarkdown(row: HoverRow, cmd: HoverCommands, canAskWhy: boolean): string {
  const step = row.step === null ? '·' : String(row.step);
  const stepCell = `[${step}](${commandUri(cmd.timeline, { eventIndex: row.eventIndex })} "Show step in timeline")`;
  const call = `${escapeText(row.function)} #${row.callIndex} · depth ${row.depth}`;
  const parts = row.changed.map(
    ([n, v]) => `${escapeText(n)} = ${codeCell(v)}${canAskWhy ? whyLink(row, n, cmd) : ''}`,
  );
  for (const d of row.deleted) parts.push(`del ${escapeText(d)}`);
  for (const d of row.deltas) parts.push(codeCell(d));
  if (row.exception) parts.push(`✗ ${codeCell(row.exception)}`);
  if (parts.length === 0) parts.push(row.kind === 'line' ? '—' : row.kind);
  else if (row.kind === 'call') parts.unshift('call:');
  const links = [
    row.callerIndex !== undefined
      ? `[caller](${commandUri(cmd.caller, { eventIndex: row.eventIndex })} "Go to caller")`
      : '',
    `[replay](${commandUri(cmd.replay, { eventIndex: row.eventIndex })} "Replay from this step")`,
  ].filter(Boolean);
  return `| ${stepCell} | ${call} | ${parts.join(', ')} | ${links.join(' ')} |`;
}

/** Escapes Markdown punctuation in identifiers (`__init__` would turn bold). */
function escapeText(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

export function buildHover(
  trace: Trace,
  file: string,
  line: number,
  options: HoverOptions,
): HoverModel | undefined {
  const rows = hoverRows(trace, file, line);
  const exc = trace.outcome.exception;
  const isExceptionLine = exc !== undefined && exc.file === file && exc.line === line;
  if (rows.length === 0 && !isExceptionLine) return undefined;
  const cmd = options.commands;
  const canAskWhy = trace.uses !== undefined && Object.keys(trace.uses).length > 0;
  const maxRows = Math.max(2, options.maxRows ?? 24);
  const out: string[] = [];
  if (options.note) out.push(options.note, '');
  const runs = rows.filter((r) => r.kind === 'line').length;
  const fns = [...new Set(rows.map((r) => r.function))].map(escapeText).join(', ');
  out.push(`**Tracefix** · line ${line} · ran ${runs}× ${fns ? `in ${fns}` : ''}`.trimEnd());
  if (isExceptionLine && exc)
    out.push('', `**✗ ${escapeText(exc.type)}**: ${codeCell(exc.message || exc.repr)}`);
  if (rows.length > 0) {
    out.push('', '| step | call | changed | |', '|---:|---|---|---|');
    const shown =
      rows.length <= maxRows
        ? rows
        : [
            ...rows.slice(0, Math.ceil(maxRows / 2)),
            ...rows.slice(rows.length - Math.floor(maxRows / 2)),
          ];
    shown.forEach((row, i) => {
      if (rows.length > maxRows && i === Math.ceil(maxRows / 2)) {
        out.push(`| … | ${rows.length - maxRows} more executions | see the timeline | |`);
      }
      out.push(rowMarkdown(row, cmd, canAskWhy));
    });
    const last = rows[rows.length - 1]!;
    const links = [
      `[Show step in timeline](${commandUri(cmd.timeline, { eventIndex: last.eventIndex })})`,
    ];
    if (last.callerIndex !== undefined)
      links.push(`[Go to caller](${commandUri(cmd.caller, { eventIndex: last.eventIndex })})`);
    links.push(
      `[Replay from this step](${commandUri(cmd.replay, { eventIndex: last.eventIndex })})`,
    );
    out.push('', links.join(' · '));
  }
  return { file, line, rows, markdown: out.join('\n') };
}
