// What one event changed, as the parts every view writes the same way: the NExT text, the inline
// decorations, the hover and the timeline. A value whose repr was cut by the recorder does not show
// its change through the cut repr; the recorder sends the change as deltas into it (`memo[3, 5]=30`,
// `del book['x']`, `seen.add(4)`, docs/trace-format.md), and they are parts here like any binding.
import { deltaText, type Delta, type TraceEvent } from '../trace/model';

export type ChangeKind = 'set' | 'del' | 'delta' | 'return' | 'yield' | 'exception';

export interface ChangePart {
  kind: ChangeKind;
  /** The variable, delta path or pseudo-name (`__return__`, `__yield__`, `__exception__`). */
  name: string;
  /** Text before the value: `x=`, `memo[3, 5]=`, `seen.add(`, `del book['x']`, `__exception__ = `. */
  head: string;
  /** The value's repr, when the part has one. */
  value?: string;
  /** Text after the value: `)` for `add` / `discard`, else ''. */
  tail: string;
  /** The delta this part shows (kind 'delta'). */
  delta?: Delta;
}

export const RETURN_NAME = '__return__';
export const YIELD_NAME = '__yield__';
export const EXCEPTION_NAME = '__exception__';

function deltaPart(d: Delta): ChangePart {
  switch (d.op) {
    case '=':
      return {
        kind: 'delta',
        name: d.path,
        head: `${d.path}=`,
        value: d.value ?? '',
        tail: '',
        delta: d,
      };
    case 'del':
      return { kind: 'delta', name: d.path, head: `del ${d.path}`, tail: '', delta: d };
    case 'add':
    case 'discard':
      return {
        kind: 'delta',
        name: `${d.path}.${d.op}`,
        head: `${d.path}.${d.op}(`,
        value: d.value ?? '',
        tail: ')',
        delta: d,
      };
    case 'more':
      return {
        kind: 'delta',
        name: d.path,
        head: deltaText(d),
        tail: '',
        delta: d,
      };
  }
}

export interface ChangeOptions {
  /** Include the `None` a module (or class body) frame "returns" (default false: nobody asked for it). */
  moduleReturns?: boolean;
}

/** The parts of one event, in a fixed order: bindings, deletions, deltas, then return / yield / exception. */
export function changeParts(e: TraceEvent, options: ChangeOptions = {}): ChangePart[] {
  const parts: ChangePart[] = [];
  for (const name in e.changed)
    parts.push({ kind: 'set', name, head: `${name}=`, value: e.changed[name]!, tail: '' });
  for (const name of e.deleted ?? [])
    parts.push({ kind: 'del', name, head: `del ${name}`, tail: '' });
  for (const d of e.deltas ?? []) parts.push(deltaPart(d));
  if (
    (e.kind === 'return' || e.kind === 'yield') &&
    (options.moduleReturns || e.function !== '<module>')
  ) {
    const name = e.kind === 'return' ? RETURN_NAME : YIELD_NAME;
    parts.push({ kind: e.kind, name, head: `${name}=`, value: e.value ?? 'None', tail: '' });
  }
  if (e.kind === 'exception') {
    const repr = e.exception
      ? e.exception.repr || `${e.exception.type}(${JSON.stringify(e.exception.message)})`
      : 'Exception()';
    parts.push({
      kind: 'exception',
      name: EXCEPTION_NAME,
      head: `${EXCEPTION_NAME} = `,
      value: repr,
      tail: '',
    });
  }
  return parts;
}

/** Cuts a value to `width` characters with a trailing `...` (the NExT marker of a shortened value). */
export function shortenValue(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, Math.max(width - 3, 1))}...`;
}

/** One part as text, its value cut to `width` characters. */
export function partText(p: ChangePart, width = Infinity): string {
  return p.value === undefined ? p.head + p.tail : p.head + shortenValue(p.value, width) + p.tail;
}

/**
 * What an event changed, as one line (`x=1; memo[3, 5]=30; del y; __return__=4`), for lists such as
 * the timeline. '' when it changed nothing.
 */
export function changesText(
  e: TraceEvent,
  options: ChangeOptions & { width?: number; separator?: string } = {},
): string {
  return changeParts(e, options)
    .map((p) => partText(p, options.width))
    .join(options.separator ?? '; ');
}
