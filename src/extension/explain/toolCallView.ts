// A trace tool call as the Explanation view shows it: the tool, its arguments in a readable form, and
// the answer the model got, line by line, with each cited step `(k)` / `(after k)` a link into the
// recording that answered (the failing run, or the patched run a later round could also ask about).
// Free of `vscode` (unit-tested).
import type { ToolCallRecord } from '../../core/fix';
import type { StepResolver } from './markdown';
import type { Inline, ToolCallView } from './protocol';

const MAX_ARGS = 300;
const STEP = /\((?:after )?(\d{1,9})\)/g;

export function argsText(json: string): string {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return json.length > MAX_ARGS ? `${json.slice(0, MAX_ARGS)}…` : json;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return JSON.stringify(v).slice(0, MAX_ARGS);
  const text = Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}=${JSON.stringify(x)}`)
    .join(', ');
  return text.length > MAX_ARGS ? `${text.slice(0, MAX_ARGS)}…` : text;
}

function linked(line: string, resolve: StepResolver | undefined): Inline[] {
  if (!resolve) return line ? [line] : [];
  const out: Inline[] = [];
  let last = 0;
  for (const m of line.matchAll(STEP)) {
    const step = Number(m[1]);
    const target = resolve(step, '');
    if (!target) continue;
    const at = m.index ?? 0;
    if (at > last) out.push(line.slice(last, at));
    out.push({ t: 'step', step, rec: target.rec, text: m[0], title: target.title });
    last = at + m[0].length;
  }
  if (last < line.length) out.push(line.slice(last));
  return out;
}

export function toolCallView(
  call: ToolCallRecord,
  resolve: StepResolver | undefined,
): ToolCallView {
  return {
    name: call.name,
    args: argsText(call.arguments),
    lines: call.answer
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((l) => linked(l, resolve)),
    error: call.error,
    truncated: call.truncated,
    said: call.said?.trim() ?? '',
  };
}
