// One round of Explain & Fix as the Explanation webview shows it: a foldable section with the
// round's state, what it read, the trace tool calls it made, its rationale, verdict, notes, diff and
// buttons. What the user folded or unfolded is remembered per session, over the default.
import type { RoundStateName, RoundView, ToolCallView } from '../../extension/explain/protocol';
import { el } from '../shared/dom';
import { block, buttons, diffBlock, icon, inlines, type IconKind } from './blocks';

const STATE_ICON: Record<RoundStateName, IconKind> = {
  verified: 'ok',
  unverified: 'warn',
  tests: 'warn',
  'no-patch': 'error',
  running: 'running',
};

const STATE_CHIP: Record<RoundStateName, string> = {
  verified: 'verified',
  unverified: 'not verified',
  tests: 'changes the tests',
  'no-patch': 'no fix',
  running: '',
};

const PHASE_TEXT: Record<string, string> = {
  asking: 'asking the model…',
  verifying: 'verifying the fix…',
  tracing: 'tracing the program with the previous fix…',
};

/** What the user folded or opened themselves: it wins over the default until the session changes. */
export class FoldMemory {
  /** Round index → folded. */
  readonly rounds = new Map<number, boolean>();
  /** "round:call" → folded. */
  readonly calls = new Map<string, boolean>();

  clear(): void {
    this.rounds.clear();
    this.calls.clear();
  }
}

function roundHeader(r: RoundView): HTMLElement {
  const h = el('h2', 'round-head');
  h.append(
    icon(r.applied ? 'ok' : STATE_ICON[r.state]),
    el('span', 'round-no', `Round ${r.index}`),
  );
  if (r.state === 'running') h.append(el('span', 'phase', PHASE_TEXT[r.phase] ?? r.phase));
  else h.append(el('span', `chip chip-${r.state}`, r.applied ? 'applied' : STATE_CHIP[r.state]));
  return h;
}

function toolCall(r: RoundView, c: ToolCallView, i: number, folds: FoldMemory): HTMLElement {
  const key = `${r.index}:${i}`;
  const d = el('details', `tool-call${c.error ? ' error' : ''}`);
  d.open = folds.calls.has(key) ? !folds.calls.get(key) : false;
  d.addEventListener('toggle', () => folds.calls.set(key, !d.open));
  const s = el('summary');
  s.append(el('code', 'tool-name', `${c.name}(${c.args})`));
  const gist = (c.lines[0] ?? [])
    .map((x) => (typeof x === 'string' ? x : 'text' in x ? x.text : ''))
    .join('');
  if (gist) s.append(el('span', 'tool-gist', ` — ${gist}`));
  if (c.truncated) s.append(el('span', 'chip chip-cut', 'more on request'));
  d.append(s);
  if (c.said) d.append(el('p', 'tool-said', c.said));
  const pre = el('pre', 'tool-answer');
  for (const line of c.lines) {
    inlines(pre, line);
    pre.append(document.createTextNode('\n'));
  }
  d.append(pre);
  return d;
}

/** The trace tool calls of a round: each call's question, its answer folded, with step links. */
function toolCalls(r: RoundView, folds: FoldMemory): HTMLElement {
  const box = el('div', 'tool-calls');
  const n = r.toolCalls.length;
  box.append(el('p', 'tool-calls-head', `Asked the recording ${n === 1 ? 'once' : `${n} times`}:`));
  r.toolCalls.forEach((c, i) => box.append(toolCall(r, c, i, folds)));
  return box;
}

export function roundSection(r: RoundView, folds: FoldMemory): HTMLElement {
  const sec = el('section', `round state-${r.state}${r.applied ? ' applied' : ''}`);
  sec.dataset.round = String(r.index);
  const folded = folds.rounds.get(r.index) ?? r.collapsed;
  const details = el('details');
  details.open = !folded;
  const summary = el('summary');
  summary.append(roundHeader(r));
  if (r.state !== 'running') summary.append(el('span', 'round-verdict', r.verdict));
  details.append(summary);
  // Also fires (later) for the state set here: only a change away from the default is the user's.
  details.addEventListener('toggle', () => {
    if (details.open === !r.collapsed) folds.rounds.delete(r.index);
    else folds.rounds.set(r.index, !details.open);
  });
  const body = el('div', 'round-body');
  if (r.read) body.append(el('p', 'read', `Read ${r.read}.`));
  if (r.toolCalls.length) body.append(toolCalls(r, folds));
  const rat = el('div', 'rationale');
  for (const b of r.blocks) rat.append(block(b));
  body.append(rat);
  if (r.thinking) body.append(el('p', 'thinking', 'The model is reasoning…'));
  if (r.state === 'running' && !r.thinking) rat.append(el('span', 'cursor', '▍'));
  if (r.state !== 'running') {
    body.append(el('p', `verdict ${r.verified ? 'ok' : 'fail'}`, r.verdict));
    for (const n of r.notes) body.append(el('p', 'note', n));
    if (r.diff) body.append(diffBlock(r.diff));
    if (r.confirm) {
      const box = el('div', 'confirm');
      box.append(icon('warn'), el('span', '', r.confirm));
      body.append(box);
    }
    body.append(buttons(r.actions));
  }
  details.append(body);
  sec.append(details);
  return sec;
}
