// The code a rendering chooses from, in the order it is worth showing. A unit is the code of one
// function that ran (its def block, nested defs excluded) or a file's module-level code. Units on the
// failure path come first — the frames on the exception's stack (or, without an exception, the stack
// where the run stopped), the pytest test, and the calls those frames made — then every other unit
// by nearness to them in the call tree, the later-running first.
import { sliceFocus, type SliceFocus } from '../slice/focus';
import type { Trace } from '../trace/model';
import { analyzePython, type PyBlock, type PySource } from '../source/pyStructure';
import { defLine, type FrameSummary, type TraceIndex } from './traceIndex';

export interface CodeUnit {
  id: number;
  file: string;
  kind: 'def' | 'module';
  /** `Class.method`, `outer.inner`, or `<module>`. */
  name: string;
  /** Lines of the unit, ascending: a def's header to its end (nested def bodies excluded). */
  lines: number[];
  /** Last line of the header statement (decorators to the colon); 0 for module units. */
  headerEnd: number;
  /** Header lines of the enclosing classes / defs, shown with the unit for context. */
  context: number[];
  /** On the failure path: the slice or the failure stack (its values are never cut). */
  failure: boolean;
  /** Distance of the unit's nearest slice event from the failing point (Infinity: not on the slice). */
  slice: number;
  /** The unit's lines on the slice, ascending. */
  sliceLines: number[];
  /** Recorded entries (steps) on the unit's lines. */
  steps: number;
}

export interface FileLayout {
  file: string;
  src: PySource;
  /** Source lines (1-based access: lines[n - 1]). */
  text: string[];
  /** line → id of the unit owning it (the innermost def, else the module unit); -1 when none exists. */
  owner: Int32Array;
  /** line → 1 when the statement it belongs to ran (an event on any of its lines). */
  ran: Uint8Array;
}

export interface UnitSet {
  /** In priority order: failure path first, then by nearness. */
  units: CodeUnit[];
  files: Map<string, FileLayout>;
  /** Files in the order the run entered them (only files with source text). */
  fileOrder: string[];
  /** The frames on the failure path, innermost first (exception stack, then test, then their calls). */
  failureFrames: number[];
  /** The backward slice from the failing point, when there is one. */
  focus?: SliceFocus;
}

export interface UnitOptions {
  /** Count these lines as run, so their units show them (the code excerpt keeps the imports). */
  extraRan?: (file: string, layout: FileLayout) => number[];
  /** Restrict to these files. */
  files?: string[];
}

const IMPORT = /^(?:from\s+\S+\s+import\b|import\s)/;

/** Module-level import statements of a file (1-based lines, all physical lines of each statement). */
export function importLines(layout: FileLayout): number[] {
  const out: number[] = [];
  for (const s of layout.src.statements) {
    if (s.scope || s.indent !== 0 || !IMPORT.test((layout.text[s.start - 1] ?? '').trimStart()))
      continue;
    for (let l = s.start; l <= s.end; l++) out.push(l);
  }
  return out;
}

/** Last line of each statement, by its first line. */
function statementEnds(src: PySource): Map<number, number> {
  return new Map(src.statements.map((s) => [s.start, s.end]));
}

function layoutFile(file: string, text: string[], executed: Set<number> | undefined): FileLayout {
  const src = analyzePython(text.join('\n'));
  const n = text.length;
  const ran = new Uint8Array(n + 2);
  if (executed) {
    for (const s of src.statements) {
      let hit = false;
      for (let l = s.start; l <= s.end && !hit; l++) hit = executed.has(l);
      if (hit) for (let l = s.start; l <= s.end; l++) ran[l] = 1;
    }
    for (const l of executed) if (l >= 1 && l <= n) ran[l] = 1;
  }
  return { file, src, text, owner: new Int32Array(n + 2).fill(-1), ran };
}

function qualname(b: PyBlock): string {
  const names = [b.name];
  for (let p = b.parent; p; p = p.parent) names.unshift(p.name);
  return names.join('.');
}

/** The frames on the failure path, innermost first. */
export function failurePath(trace: Trace, index: TraceIndex): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const push = (id: number | undefined) => {
    if (id !== undefined && !seen.has(id) && index.frames.has(id)) {
      seen.add(id);
      out.push(id);
    }
  };
  const stack: number[] = [];
  const wanted = trace.outcome.status === 'exception' ? trace.outcome.exception?.type : undefined;
  const xs = index.exceptions;
  let k = xs.length - 1;
  if (wanted !== undefined) while (k >= 0 && xs[k]?.type !== wanted) k--;
  if (trace.outcome.status === 'exception' && k >= 0) {
    // The exception left frames innermost first; walk back from the outermost one to its callee.
    let cur = xs[k]!;
    stack.unshift(cur.callId);
    for (let j = k - 1; j >= 0; j--) {
      const x = xs[j]!;
      if (x.type === cur.type && index.frames.get(x.callId)?.parentCallId === cur.callId) {
        stack.unshift(x.callId);
        cur = x;
      }
    }
  } else if (index.last) {
    // No exception: the stack where the run stopped (timeout, os._exit, a crash, the last line).
    for (
      let id: number | undefined = index.last.callId;
      id !== undefined;
      id = index.frames.get(id)?.parentCallId
    )
      stack.push(id);
  }
  for (const id of stack) push(id);
  if (trace.program.kind === 'pytest') {
    const [file, ...names] = trace.program.target.split('::');
    const fn = names[names.length - 1]?.replace(/\[.*$/, '');
    for (const f of index.frames.values())
      if (f.function === fn && file !== undefined && file.endsWith(f.file)) push(f.callId);
  }
  // The calls the failing frames made: those on the failing lines first (in call order, dunder
  // methods such as an assertion's __eq__ / __repr__ after the others), then the latest.
  const onPath = new Set(out);
  const failingLine = new Map<number, number>();
  for (const x of index.exceptions) if (onPath.has(x.callId)) failingLine.set(x.callId, x.line);
  const children: FrameSummary[] = [];
  for (const f of index.frames.values())
    if (f.parentCallId !== undefined && onPath.has(f.parentCallId) && !onPath.has(f.callId))
      children.push(f);
  const onFailingLine = (f: FrameSummary) =>
    f.calledFromLine !== undefined && failingLine.get(f.parentCallId ?? -1) === f.calledFromLine
      ? 0
      : 1;
  const dunder = (f: FrameSummary) => (/^__\w+__$/.test(f.function) ? 1 : 0);
  children.sort((a, b) => {
    const la = onFailingLine(a);
    const lb = onFailingLine(b);
    if (la !== lb) return la - lb;
    return la === 0
      ? dunder(a) - dunder(b) || a.firstIndex - b.firstIndex
      : b.lastIndex - a.lastIndex;
  });
  for (const f of children) push(f.callId);
  return out;
}

export function buildUnits(trace: Trace, index: TraceIndex, options: UnitOptions = {}): UnitSet {
  const files = new Map<string, FileLayout>();
  const fileOrder: string[] = [];
  const wantFile = (f: string) => !options.files || options.files.includes(f);
  // Files in the order their first event ran.
  for (const file of index.model.byLine.keys()) {
    if (files.has(file) || !wantFile(file)) continue;
    const text = index.lines.get(file);
    if (!text) continue;
    files.set(file, layoutFile(file, text, index.executed.get(file)));
    fileOrder.push(file);
  }
  // Files known only from the gap of a long run.
  for (const [file, lines] of index.gapRuns) {
    const text = index.lines.get(file);
    if (files.has(file) || !text || !wantFile(file) || lines.size === 0) continue;
    files.set(file, layoutFile(file, text, index.executed.get(file)));
    fileOrder.push(file);
  }
  const units: CodeUnit[] = [];
  for (const file of fileOrder) {
    const layout = files.get(file)!;
    const n = layout.text.length;
    for (const l of options.extraRan?.(file, layout) ?? []) layout.ran[l] = 1;
    const ran = (l: number) => layout.ran[l] === 1;
    // Module unit: lines outside every def (classes are transparent).
    const module: CodeUnit = {
      id: units.length,
      file,
      kind: 'module',
      name: '<module>',
      lines: [],
      headerEnd: 0,
      context: [],
      failure: false,
      slice: Infinity,
      sliceLines: [],
      steps: 0,
    };
    const defs = layout.src.blocks
      .filter((b) => b.kind === 'def')
      .sort((a, b) => a.start - b.start);
    const blockOf = new Int32Array(n + 2).fill(-1);
    defs.forEach((b, i) => {
      for (let l = b.start; l <= Math.min(b.end, n); l++) blockOf[l] = i;
    });
    const defUnits = new Map<number, CodeUnit>();
    const ends = statementEnds(layout.src);
    const headerEndOf = (b: PyBlock) => ends.get(b.start) ?? b.header;
    for (let l = 1; l <= n; l++) {
      const bi = blockOf[l] as number;
      if (bi < 0) {
        module.lines.push(l);
        continue;
      }
      let u = defUnits.get(bi);
      if (!u) {
        const b = defs[bi]!;
        const context: number[] = [];
        for (let p = b.parent; p; p = p.parent)
          for (let c = p.start; c <= headerEndOf(p); c++) context.unshift(c);
        u = {
          id: -1,
          file,
          kind: 'def',
          name: qualname(b),
          lines: [],
          headerEnd: headerEndOf(b),
          context,
          failure: false,
          slice: Infinity,
          sliceLines: [],
          steps: 0,
        };
        defUnits.set(bi, u);
      }
      u.lines.push(l);
    }
    // A nested def that never ran is part of the code of the def around it (shown with it), not a
    // hole in it; innermost first so that chains of them fold outwards.
    for (const bi of [...defUnits.keys()].sort((a, b) => defs[b]!.start - defs[a]!.start)) {
      const u = defUnits.get(bi)!;
      let p = defs[bi]!.parent;
      while (p && p.kind !== 'def') p = p.parent;
      const outer = p ? defUnits.get(defs.indexOf(p)) : undefined;
      if (!outer || u.lines.some(ran)) continue;
      outer.lines = [...outer.lines, ...u.lines].sort((a, b) => a - b);
      defUnits.delete(bi);
    }
    const entries = index.entries.get(file);
    for (const u of [module, ...defUnits.values()]) {
      if (!u.lines.some(ran)) continue;
      u.id = units.length;
      units.push(u);
      for (const l of u.lines) {
        layout.owner[l] = u.id;
        u.steps += entries?.get(l)?.length ?? 0;
      }
    }
  }
  const failureFrames = failurePath(trace, index);
  const focus = sliceFocus(trace);
  if (focus) markSlice(units, files, index, focus);
  return {
    units: orderUnits(units, files, index, failureFrames),
    files,
    fileOrder,
    failureFrames,
    ...(focus ? { focus } : {}),
  };
}

/** Which units (and lines) the slice passes through, and how near the failure. */
function markSlice(
  units: CodeUnit[],
  files: Map<string, FileLayout>,
  index: TraceIndex,
  focus: SliceFocus,
): void {
  for (const [callId, d] of focus.frames) {
    const f = index.frames.get(callId);
    const u = f ? units[unitOfFrame(f, files)] : undefined;
    if (u && d < u.slice) u.slice = d;
  }
  const lines = new Map<number, Set<number>>();
  const mark = (file: string, lineNos: Iterable<number>, isCall: boolean) => {
    const layout = files.get(file);
    if (!layout) return;
    for (const line of lineNos) {
      // A call's entry is written on the `def` line, not on its first decorator.
      const l = isCall ? defLine(layout.text, line) : line;
      const owner = layout.owner[l] ?? -1;
      if (owner < 0) continue;
      let set = lines.get(owner);
      if (!set) lines.set(owner, (set = new Set()));
      set.add(l);
    }
  };
  for (const [file, m] of focus.lines) mark(file, m.keys(), false);
  for (const [file, m] of focus.calls) mark(file, m.keys(), true);
  for (const [id, set] of lines) {
    const u = units[id];
    if (u) u.sliceLines = [...set].sort((a, b) => a - b);
  }
}

/** The unit a frame's code belongs to. */
function unitOfFrame(f: FrameSummary, files: Map<string, FileLayout>): number {
  const layout = files.get(f.file);
  if (!layout) return -1;
  return layout.owner[f.firstLine] ?? -1;
}

function orderUnits(
  units: CodeUnit[],
  files: Map<string, FileLayout>,
  index: TraceIndex,
  failureFrames: number[],
): CodeUnit[] {
  const rank = new Map<number, number>();
  failureFrames.forEach((id) => {
    const f = index.frames.get(id);
    const u = f ? unitOfFrame(f, files) : -1;
    if (u >= 0 && !rank.has(u)) rank.set(u, rank.size);
  });
  // Nearness: breadth-first over the call tree from the failure frames.
  const children = new Map<number, number[]>();
  for (const f of index.frames.values()) {
    if (f.parentCallId === undefined) continue;
    let list = children.get(f.parentCallId);
    if (!list) children.set(f.parentCallId, (list = []));
    list.push(f.callId);
  }
  const dist = new Map<number, number>();
  let frontier = failureFrames.filter((id) => index.frames.has(id));
  for (const id of frontier) dist.set(id, 0);
  for (let d = 1; frontier.length; d++) {
    const next: number[] = [];
    for (const id of frontier) {
      const f = index.frames.get(id);
      for (const n of [
        ...(children.get(id) ?? []),
        ...(f?.parentCallId !== undefined ? [f.parentCallId] : []),
      ]) {
        if (dist.has(n) || !index.frames.has(n)) continue;
        dist.set(n, d);
        next.push(n);
      }
    }
    frontier = next;
  }
  const near = new Map<number, { d: number; last: number }>();
  for (const f of index.frames.values()) {
    const u = unitOfFrame(f, files);
    if (u < 0) continue;
    const d = dist.get(f.callId) ?? Number.MAX_SAFE_INTEGER;
    const cur = near.get(u);
    if (!cur || d < cur.d || (d === cur.d && f.lastIndex > cur.last))
      near.set(u, { d, last: f.lastIndex });
  }
  for (const u of units) u.failure = rank.has(u.id) || u.slice < Infinity;
  const key = (u: CodeUnit) => near.get(u.id) ?? { d: Number.MAX_SAFE_INTEGER, last: -1 };
  // The slice first, nearest the failure first; then the failure stack and its calls; then the rest.
  return [...units].sort((a, b) => {
    if (a.slice !== b.slice) return a.slice - b.slice;
    const ra = rank.get(a.id);
    const rb = rank.get(b.id);
    if (ra !== undefined || rb !== undefined) return (ra ?? Infinity) - (rb ?? Infinity);
    return key(a).d - key(b).d || key(b).last - key(a).last || a.id - b.id;
  });
}
