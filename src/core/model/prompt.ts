// Builds the repair prompt in the NExT layout: task, failing command and failure, the buggy code,
// the NExT-rendered trace of the failing run, earlier failed attempts; then asks for a rationale
// that cites trace steps, a `Summary:` line and the fixed code. Every message is redacted.
import type { ChatMessage, ChatRequest } from './client/provider';
import { learnSecrets } from '../redact/learnSecrets';
import { redact } from '../redact/redact';

export interface PromptFile {
  /** As the user knows it (relative to the project root); the model is asked to name files so. */
  path: string;
  /** The whole file (answers are spliced into it). */
  text: string;
  /** What `## Code` shows when not the whole file: an excerpt whose other regions are collapsed to
   * `# ... lines a-b not shown` markers, or '' to only name the file (no room within the budget). */
  shown?: string;
}

export interface PreviousAttempt {
  /** What the attempt changed (its Summary line or a short diff). */
  patchSummary: string;
  /** How verification failed (assertion / traceback / test output). */
  failure: string;
  /** NExT trace of the patched program's failing run, if recorded. */
  nextTrace?: string;
}

export interface PromptInput {
  /** What the code should do: docstring, test name and assertion (see extractTask). */
  task?: string;
  /** The buggy code. */
  files: PromptFile[];
  /** The failing test or command, e.g. `pytest tests/test_stats.py::test_median`. */
  command: string;
  /** Failure output: assertion message / traceback. */
  error?: string;
  /** Already-rendered NExT text; absent for the no-trace ablation. */
  nextTrace?: string;
  /** The `## First divergence from a passing run` section (compare/promptSection.ts), if any. */
  divergence?: string;
  /** Earlier rounds that did not pass, oldest first. */
  previousAttempts?: PreviousAttempt[];
}

export interface PromptOptions {
  /** The model can query the recording with the trace tools (at most `maxCalls` calls this round). */
  tools?: { maxCalls: number };
  maxTokens?: number;
  temperature?: number;
  /** Default true. Only switch off for tests of the prompt layout itself. */
  redact?: boolean;
  /** Known secret values (environment secrets, the API key), removed also in encoded forms. */
  secrets?: readonly string[];
}

export interface BuiltPrompt {
  request: ChatRequest;
  /** Number of secrets replaced across all messages. */
  redactions: number;
  /** Secret values the rules found in this prompt (beyond options.secrets); later prompts should
   * search for them too. */
  learned: string[];
}

const FORMAT_RULES = `Answer in exactly this order:
1. Rationale: {RATIONALE}
2. One line starting with "Summary: " that states the fix in one sentence.
3. The fix: for each file you change, one fenced code block whose opening fence names the file, for example
\`\`\`python path/to/file.py
In it put the complete new code of every function or class you change (not the unchanged ones). Instead you may give a unified diff in a \`\`\`diff block with "--- a/path" and "+++ b/path" headers.

Do not copy trace comments ("# (k) ...") into the code. Keep the fix minimal and do not edit the tests unless the task says they are wrong. Some values were replaced by <redacted> for privacy; leave such literals unchanged.`;

const TRACE_EXPLAINED = `The execution trace is in NExT format: the program source with, after each executed line, a comment listing the values that line produced, in execution order, e.g.
    total = total + x  # (3) total=1; (6) total=3;
(k) is the global step number; a line run several times (loops, repeated calls) lists several steps, and "...(N more);" stands for N entries left out of the middle. "__return__=v" is the value a function returned, "__exception__ = E(...)" an exception raised there. Values are Python reprs ("Node#1(...)" is the first Node object seen; the same number means the same object) and may be shortened; a change inside a value too large to show is written as the change itself, e.g. "memo[3, 5]=30", "del book['x']", "seen.add(4)". Only code that ran is shown; "# ... lines a-b not shown" markers stand for the rest. Comments at the top say when the trace is partial or left steps out.`;

/** What the system prompt says about the trace tools, when the model gets them. */
export function toolsExplained(maxCalls: number): string {
  return `Tools: you can query the complete recording of the failing run with the tools you are given (up to ${maxCalls} calls in this answer): the history of a variable, the state at a step, the executions of a line, the call tree, the first step where a condition holds, a search of recorded values, and why a variable has its value (the steps that produced it). They answer from the recording, nothing is re-run, and they see every step, including those the NExT text shortened or left out. Use them when the trace text does not show what you need, then answer in the format below; tool answers cite steps as (k) too.`;
}

export function systemPrompt(withTrace: boolean, tools?: { maxCalls: number }): string {
  const intro = withTrace
    ? 'You are an expert Python debugger. You get a buggy program, the command that fails, the failure and an execution trace of the failing run. Find the root cause from what the program actually did, then fix it.'
    : 'You are an expert Python debugger. You get a buggy program, the command that fails and the failure. Find the root cause, then fix it.';
  const rationale = withTrace
    ? 'walk through the trace, citing step numbers like (7). Say at which step the actual values first differ from what the task expects, and why the code produces them.'
    : 'walk through what the code does on the failing input. Say where the actual values first differ from what the task expects, and why.';
  const toolText = withTrace && tools && tools.maxCalls > 0 ? toolsExplained(tools.maxCalls) : '';
  return [
    intro,
    withTrace ? TRACE_EXPLAINED : '',
    toolText,
    FORMAT_RULES.replace('{RATIONALE}', rationale),
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** A fence longer than any backtick run inside `text`, so code containing ``` stays intact. */
export function fenceFor(text: string): string {
  let longest = 2;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(longest + 1);
}

function block(text: string, info = ''): string {
  const fence = fenceFor(text);
  const body = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  return `${fence}${info}\n${body}\n${fence}`;
}

function language(path: string): string {
  return /\.pyi?$/.test(path) ? 'python' : '';
}

/** The files' code (or excerpts of it), and the names of the files there was no room for. */
function codeSection(files: PromptFile[]): string {
  const shown = files.filter((f) => f.shown !== '');
  const out: string[] = [];
  if (shown.some((f) => f.shown !== undefined)) {
    out.push(
      'Large files are shown in part: the functions that ran, with the regions not shown collapsed to "# ... lines a-b not shown" markers. Give the complete new code of each function you change.',
    );
  }
  out.push(
    ...shown.map(
      (f) => `### ${f.path}\n${block(f.shown ?? f.text, `${language(f.path)} ${f.path}`.trim())}`,
    ),
  );
  const named = files.filter((f) => f.shown === '').map((f) => f.path);
  if (named.length) out.push(`Also ran, not shown for lack of room: ${named.join(', ')}.`);
  return out.join('\n\n');
}

export function buildUserPrompt(input: PromptInput): string {
  const parts: string[] = [];
  if (input.task?.trim()) parts.push(`## Task\n${input.task.trim()}`);
  parts.push(`## Failing command\n${block(input.command, 'sh')}`);
  if (input.error?.trim()) parts.push(`## Failure\n${block(input.error.trim(), 'text')}`);
  parts.push(`## Code\n${codeSection(input.files)}`);
  if (input.nextTrace?.trim())
    parts.push(
      `## Execution trace of the failing run (NExT format)\n${block(input.nextTrace, 'python')}`,
    );
  if (input.divergence?.trim()) parts.push(input.divergence.trim());
  const attempts = input.previousAttempts ?? [];
  if (attempts.length) {
    const rounds = attempts.map((a, i) => {
      const lines = [
        `### Attempt ${i + 1}`,
        `Change:\n${block(a.patchSummary.trim(), 'text')}`,
        `Result: still failing:\n${block(a.failure.trim(), 'text')}`,
      ];
      if (a.nextTrace?.trim())
        lines.push(`Trace of the patched run:\n${block(a.nextTrace, 'python')}`);
      return lines.join('\n');
    });
    parts.push(
      `## Earlier attempts that did not fix it\nThe code above is the original; these changes were tried on it and failed. Do not repeat them.\n\n${rounds.join('\n\n')}`,
    );
  }
  parts.push(
    input.nextTrace?.trim()
      ? 'Now give the rationale (cite trace steps), the Summary line and the fix.'
      : 'Now give the rationale, the Summary line and the fix.',
  );
  return parts.join('\n\n');
}

/** The chat request for one repair round, redacted. */
export function buildPrompt(input: PromptInput, options: PromptOptions = {}): BuiltPrompt {
  const withTrace =
    Boolean(input.nextTrace?.trim()) ||
    (input.previousAttempts ?? []).some((a) => a.nextTrace?.trim());
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt(withTrace, options.tools) },
    { role: 'user', content: buildUserPrompt(input) },
  ];
  let redactions = 0;
  let learned: string[] = [];
  if (options.redact !== false) {
    // What a rule finds anywhere (a URL's password in the source) goes wherever else it appears too:
    // printed by the program, in a repr, base64-encoded in verification output.
    const known = options.secrets ?? [];
    learned = learnSecrets(
      messages.map((m) => m.content),
      known,
    ).filter((v) => !known.includes(v));
    const secrets = [...known, ...learned];
    for (const m of messages) {
      const r = redact(m.content, { secrets });
      m.content = r.text;
      redactions += r.count;
    }
  }
  const request: ChatRequest = { messages };
  if (options.maxTokens !== undefined) request.maxTokens = options.maxTokens;
  if (options.temperature !== undefined) request.temperature = options.temperature;
  return { request, redactions, learned };
}
