// Text output of `tracefix bench`: the progress display (a redrawn bar on a terminal, one plain
// line per task otherwise) and the summary table.
import type { ArmSummary, BenchReport, Stat, TaskResult } from './types';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number | null): string => (x === null ? '–' : String(Math.round(x)));
const ms = (x: number | null): string =>
  x === null ? '–' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`;
const statText = (s: Stat, f: (x: number | null) => string): string =>
  `${f(s.median)} / ${f(s.p95)}`;

function clock(msTotal: number): string {
  const s = Math.floor(msTotal / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export interface ProgressCounts {
  done: number;
  total: number;
  traced: number;
  fixed: number;
  elapsedMs: number;
}

export function progressBar(c: ProgressCounts, width = 28): string {
  const filled = c.total === 0 ? width : Math.round((c.done / c.total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${c.done}/${c.total}  traced ${c.traced}  fixed ${c.fixed}  ${clock(c.elapsedMs)}`;
}

/** One line per finished task, for logs (non-TTY stderr). */
export function progressLine(r: TaskResult, done: number, total: number): string {
  const trace = r.traced
    ? `traced (${r.traceStatus ?? '?'}, ${r.traceEvents} events, ${ms(r.traceMs)})`
    : 'NOT traced';
  const fix = r.fixed
    ? `fixed in round ${r.fixedRound ?? '?'}`
    : `not fixed: ${r.failureCause ?? '?'}${r.error ? ` — ${r.error.split('\n')[0]?.slice(0, 160)}` : ''}`;
  const ablation = r.noTrace
    ? `; without trace: ${r.noTrace.fixed ? 'fixed' : `not fixed (${r.noTrace.failureCause ?? '?'})`}`
    : '';
  const tools = r.tools
    ? `; with tools: ${r.tools.fixed ? 'fixed' : `not fixed (${r.tools.failureCause ?? '?'})`}${r.tools.toolCalls ? `, ${r.tools.toolCalls} tool call${r.tools.toolCalls === 1 ? '' : 's'}` : ''}`
    : '';
  const divergence = r.divergence
    ? `; with divergence: ${r.divergence.fixed ? 'fixed' : `not fixed (${r.divergence.failureCause ?? '?'})`}`
    : '';
  return `[${done}/${total}] ${r.id}: ${trace}; ${fix}${ablation}${tools}${divergence}`;
}

/** Draws the bar on a terminal, prints a line per task elsewhere. */
export class BenchProgress {
  private counts: ProgressCounts = { done: 0, total: 0, traced: 0, fixed: 0, elapsedMs: 0 };
  private readonly started = Date.now();

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly prefix: string,
  ) {}

  start(total: number): void {
    this.counts.total = total;
    if (this.out.isTTY) this.draw();
    else this.out.write(`${this.prefix}: ${total} tasks\n`);
  }

  task(r: TaskResult, done: number, total: number): void {
    this.counts = {
      done,
      total,
      traced: this.counts.traced + (r.traced ? 1 : 0),
      fixed: this.counts.fixed + (r.fixed ? 1 : 0),
      elapsedMs: Date.now() - this.started,
    };
    if (this.out.isTTY) this.draw();
    else this.out.write(`${this.prefix}: ${progressLine(r, done, total)}\n`);
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }

  private draw(): void {
    this.out.write(
      `\r\x1b[2K${this.prefix} ${progressBar({ ...this.counts, elapsedMs: Date.now() - this.started })}`,
    );
  }
}

function armRows(name: string, a: ArmSummary): string[][] {
  const rows: string[][] = [
    [`${name}: pass@1`, `${pct(a.passAt1)} (${Math.round(a.passAt1 * a.tasks)}/${a.tasks})`],
    [`${name}: fixed (any round)`, `${pct(a.fixRate)} (${a.fixed}/${a.tasks})`],
  ];
  if (a.perRound.length > 1) {
    for (const r of a.perRound)
      rows.push([
        `${name}: round ${r.round}`,
        `+${r.fixed} → ${pct(r.cumulativeRate)} (gain ${pct(r.gain)})`,
      ]);
  }
  rows.push([`${name}: prompt tokens median / p95`, statText(a.promptTokens, num)]);
  rows.push([`${name}: model latency median / p95`, statText(a.modelLatencyMs, ms)]);
  if (a.toolCalls.median !== null && a.toolCalls.p95 !== null && a.toolCalls.p95 > 0)
    rows.push([`${name}: tool calls per task median / p95`, statText(a.toolCalls, num)]);
  const failures = Object.entries(a.failures)
    .sort((x, y) => (y[1] ?? 0) - (x[1] ?? 0))
    .map(([k, v]) => `${k} ${v ?? 0}`)
    .join(', ');
  rows.push([`${name}: failures by cause`, failures || 'none']);
  return rows;
}

function points(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} points`;
}

function table(rows: string[][]): string {
  const w = Math.max(...rows.map((r) => (r[0] ?? '').length));
  return rows.map((r) => `  ${(r[0] ?? '').padEnd(w)}  ${r[1] ?? ''}`).join('\n');
}

function bugTypeTable(report: BenchReport): string {
  const { trace, noTrace, tools, divergence } = report.summary.arms;
  const types = Object.keys(trace?.byBugType ?? noTrace?.byBugType ?? {}).sort();
  if (types.length < 2) return '';
  const head = [
    'bug type',
    'tasks',
    ...(trace ? ['with trace'] : []),
    ...(noTrace ? ['without trace'] : []),
    ...(tools ? ['with tools'] : []),
    ...(divergence ? ['with divergence'] : []),
  ];
  const rows = types.map((t) => {
    const b = trace?.byBugType[t] ?? noTrace?.byBugType[t];
    const cell = (a?: ArmSummary) => {
      const x = a?.byBugType[t];
      return x ? `${x.fixed} (${pct(x.rate)})` : '–';
    };
    return [
      t,
      String(b?.tasks ?? 0),
      ...(trace ? [cell(trace)] : []),
      ...(noTrace ? [cell(noTrace)] : []),
      ...(tools ? [cell(tools)] : []),
      ...(divergence ? [cell(divergence)] : []),
    ];
  });
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map(
      (r) =>
        `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')}`,
    )
    .join('\n');
}

export function summaryTable(report: BenchReport): string {
  const s = report.summary;
  const rows: string[][] = [
    ['dataset', `${s.dataset} (${s.tasks} tasks)`],
    [
      'model',
      report.model.testOnly
        ? `${report.model.label} — measures the pipeline, not a model`
        : `${report.model.label}${report.model.baseURL ? ` at ${report.model.baseURL}` : ''}`,
    ],
    ['trace recorded', `${s.traced}/${s.tasks} (${pct(s.traceSuccessRate)})`],
    ['trace time median / p95', statText(s.traceMs, ms)],
    ['NExT tokens median / p95', statText(s.traceTokens, num)],
  ];
  if (s.arms.trace) rows.push(...armRows('with trace', s.arms.trace));
  if (s.arms.noTrace) rows.push(...armRows('without trace', s.arms.noTrace));
  if (s.arms.tools) rows.push(...armRows('with trace + tools', s.arms.tools));
  if (s.arms.divergence) {
    rows.push(...armRows('with trace + divergence', s.arms.divergence));
    if (s.baselines)
      rows.push([
        'passing (reference) runs recorded',
        `${s.baselines.recorded}/${s.tasks}; compare median / p95 ${statText(s.baselines.compareMs, ms)}`,
      ]);
  }
  if (s.nextEffect !== null)
    rows.push(['NExT effect (pass@1 with − without)', points(s.nextEffect)]);
  if (s.toolsEffect !== null && s.toolsEffect !== undefined)
    rows.push(['tools effect (pass@1 with tools − with trace)', points(s.toolsEffect)]);
  if (s.divergenceEffect !== null && s.divergenceEffect !== undefined)
    rows.push([
      'divergence effect (pass@1 with divergence − with trace)',
      points(s.divergenceEffect),
    ]);
  rows.push(['wall time', ms(s.durationMs)]);
  const parts = [
    `tracefix bench — ${s.dataset}, ${report.model.testOnly ? report.model.label : report.model.name}`,
    table(rows),
  ];
  const bt = bugTypeTable(report);
  if (bt) parts.push(bt);
  if (report.notes.length) parts.push(report.notes.map((n) => `note: ${n}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}
