// The round-1 repair prompt within one token budget (o200k, the tokenizer of the NExT text): the
// system prompt, task, command and failure first (the failure bounded), then `## Code` and the NExT
// trace share what is left — each spending its part on the backward slice first. The parts are
// measured as they will be sent and the trace is rendered again tighter when the whole is over.
import { buildPrompt, type PromptFile, type PromptInput } from '../model/prompt';
import { countTokens } from '../render/tokens';
import { renderNext } from '../render/next';
import type { Trace } from '../trace/model';
import { promptFiles, taskOf, traceErrorText } from './traceContext';

/** Default token budget of the whole round-1 prompt (system and user message). */
export const DEFAULT_PROMPT_BUDGET = 12_000;
/** Share of what is left after the fixed parts that `## Code` may use when there is a trace. */
const CODE_SHARE = 0.4;
/** The failure text's share of the budget at most (its start and its end are kept). */
const FAILURE_SHARE = 0.12;
const MIN_PART = 200;

export interface FittedPrompt {
  input: PromptInput;
  /** Tokens of the whole prompt (system + user message, before redaction). */
  tokens: number;
  /** Tokens of the NExT text and of the code excerpts. */
  traceTokens: number;
  codeTokens: number;
  /** Functions that ran but are not in the trace text (`file:name`). */
  leftOut: string[];
}

export interface FitOptions {
  budget?: number;
  /** Include the NExT trace (false: the no-trace ablation). */
  useTrace?: boolean;
  /** The model gets the trace tools (the system prompt says so). */
  tools?: { maxCalls: number };
  command: string;
  /** The `## First divergence from a passing run` section, shown whole (it counts in the budget). */
  divergence?: string;
}

function promptTokens(input: PromptInput, tools?: { maxCalls: number }): number {
  const built = buildPrompt(input, { redact: false, ...(tools ? { tools } : {}) });
  return built.request.messages.reduce((n, m) => n + countTokens(m.content) + 4, 0);
}

/** The failure text within `tokens`: its first lines and its end (the exception), the middle counted. */
export function boundFailure(text: string, tokens: number): string {
  if (countTokens(text) <= tokens) return text;
  const lines = text.split('\n');
  let head = lines.slice(0, 6).join('\n');
  while (countTokens(head) > tokens / 4 && head.length > 40) head = head.slice(0, head.length / 2);
  let tail = '';
  for (let i = lines.length - 1; i >= 6; i--) {
    const next = `${lines[i]}\n${tail}`;
    if (countTokens(head) + countTokens(next) + 20 > tokens) break;
    tail = next;
  }
  const left = lines.length - head.split('\n').length - tail.split('\n').length + 1;
  return `${head}\n[... ${Math.max(left, 1)} lines left out ...]\n${tail.trimEnd()}`;
}

export function fitPrompt(trace: Trace, opts: FitOptions): FittedPrompt {
  const budget = opts.budget ?? DEFAULT_PROMPT_BUDGET;
  const useTrace = opts.useTrace !== false;
  const tools = useTrace ? opts.tools : undefined;
  // The task is read from the whole files (never cut).
  const all: PromptFile[] = trace.sources
    .filter((s) => s.text)
    .map((s) => ({ path: s.path, text: s.text }));
  const task = taskOf(trace, all);
  const error = boundFailure(
    traceErrorText(trace),
    Math.max(MIN_PART, Math.floor(budget * FAILURE_SHARE)),
  );
  const base: PromptInput = {
    ...(task ? { task } : {}),
    files: all.map((f) => ({ ...f, shown: '' })),
    command: opts.command,
    error,
    ...(opts.divergence ? { divergence: opts.divergence } : {}),
    ...(useTrace ? { nextTrace: '#' } : {}),
  };
  const fixed = promptTokens(base, tools);
  const rest = Math.max(budget - fixed, 2 * MIN_PART);
  const codeBudget = Math.max(MIN_PART, Math.floor(useTrace ? rest * CODE_SHARE : rest));
  const files: PromptFile[] = promptFiles(trace, { budget: codeBudget });
  const withCode = promptTokens({ ...base, files }, tools);
  const codeTokens = withCode - fixed;
  if (!useTrace) {
    const { nextTrace: _none, ...input } = { ...base, files };
    return { input, tokens: withCode, traceTokens: 0, codeTokens, leftOut: [] };
  }
  let traceBudget = Math.max(MIN_PART, budget - withCode);
  let last: FittedPrompt | undefined;
  for (let attempt = 0; attempt < 4; attempt++) {
    const next = renderNext(trace, { budget: traceBudget });
    const input: PromptInput = { ...base, files, nextTrace: next.text };
    const tokens = promptTokens(input, tools);
    last = { input, tokens, traceTokens: next.tokens, codeTokens, leftOut: next.leftOut };
    if (tokens <= budget || traceBudget <= MIN_PART) return last;
    traceBudget = Math.max(MIN_PART, traceBudget - (tokens - budget) - Math.ceil(budget * 0.01));
  }
  return last as FittedPrompt;
}
