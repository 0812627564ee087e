// What `tracefix fix` prints as it goes: progress on stderr, the streamed rationale, each round's
// diff and verdict on stdout, and with --show-prompt the exact prompts and tool calls.
import type { FixEvent, FixRound, ToolCallRecord } from '../core/fix';
import type { ChatMessage } from '../core/model/client/provider';
import { redact } from '../core/redact/redact';
import { baselineLine } from './baselineOutput';

export function formatPrompt(messages: ChatMessage[], round: number, tools: string[] = []): string {
  const body = messages
    .map((m) => `----- ${m.role} -----\n${m.content.replace(/\n+$/, '')}`)
    .join('\n');
  const offered = tools.length ? `tools offered with it: ${tools.join(', ')}\n` : '';
  return `===== prompt (round ${round}) =====\n${body}\n===== end of prompt =====\n${offered}`;
}

/** A tool call and the answer the model got, as --show-prompt prints them. */
export function formatToolCall(call: ToolCallRecord, round: number): string {
  const said = call.said?.trim() ? `----- assistant -----\n${call.said.trim()}\n` : '';
  return `${said}----- tool call (round ${round}): ${call.name} ${call.arguments} -----\n${call.answer.replace(/\n+$/, '')}\n----- end of tool answer -----\n`;
}

function verdict(kind: string, r: FixRound, secrets: readonly string[]): string {
  const v = r.verification;
  if (v?.passed) {
    const what = kind === 'pytest' ? 'verified: test passes' : `verified: \`${v.command}\` exits 0`;
    return v.sandboxed ? what : `${what} (run without a sandbox)`;
  }
  // The failure line quotes program output, which may carry a secret.
  const failure = redact(r.failure, { secrets }).text;
  if (r.changesTests.length && !v)
    return `not verified: ${failure} (allow with --allow-test-edits)`;
  return `not verified: ${failure || 'no patch'}`;
}

/** Prints progress (stderr) and the streamed rationale, diff and verdict (stdout). */
export function humanPrinter(
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  showPrompt: boolean,
  maxRounds: number,
  kind: string,
  modelLabel: string,
  secrets: readonly string[],
) {
  let streamed = '';
  return (e: FixEvent): void => {
    switch (e.type) {
      case 'trace-start':
        err.write(
          e.patched
            ? `tracefix: tracing the patched program…\n`
            : 'tracefix: tracing the failing run…\n',
        );
        break;
      case 'trace-done':
        err.write(
          `tracefix: recorded ${e.trace.outcome.eventCount} events${e.nextTokens ? ` (NExT trace: ${e.nextTokens} tokens)` : ''}\n`,
        );
        break;
      case 'trace-failed':
        err.write(`tracefix: could not trace the patched program: ${e.message}\n`);
        break;
      case 'baseline-progress':
      case 'baseline-done':
        err.write(redact(baselineLine(e), { secrets }).text);
        break;
      case 'model-start':
        if (showPrompt) out.write(formatPrompt(e.messages, e.round, e.tools ?? []));
        err.write(`tracefix: asking ${modelLabel} (round ${e.round} of ${maxRounds})…\n`);
        if (e.round > 1) out.write(`\n=== round ${e.round} ===\n`);
        streamed = '';
        break;
      case 'rationale-delta':
        streamed += e.text;
        out.write(e.text);
        break;
      case 'tool-call':
        // Text streamed before the calls ends its line; the answer follows the calls.
        if (streamed && !streamed.endsWith('\n')) out.write('\n');
        streamed = '';
        if (showPrompt) out.write(formatToolCall(e.call, e.round));
        else
          err.write(
            redact(
              `tracefix: asked the recording: ${e.call.name} ${e.call.arguments.slice(0, 200)}${e.call.error ? ` (${e.call.answer.split('\n')[0]?.slice(0, 160) ?? ''})` : ''}\n`,
              { secrets },
            ).text,
          );
        break;
      case 'tools-unavailable':
        err.write(
          redact(
            `tracefix: note: ${modelLabel} does not take tool calls (${e.reason}); asking without the trace tools\n`,
            { secrets },
          ).text,
        );
        if (showPrompt) out.write(formatPrompt(e.messages, e.round));
        break;
      case 'answer':
        if (streamed && !streamed.endsWith('\n')) out.write('\n');
        break;
      case 'verify-start':
        err.write(`tracefix: verifying the patch: ${e.command}…\n`);
        break;
      case 'verify-done':
        break;
      case 'round-done': {
        const r = e.round;
        if (r.summary && !streamed.includes(r.summary)) out.write(`Summary: ${r.summary}\n`);
        if (r.patch) {
          out.write(
            `${streamed.endsWith('\n\n') ? '' : '\n'}${r.patch.diff.replace(/\n*$/, '\n')}\n`,
          );
          for (const p of r.problems) err.write(`tracefix: note: ${p}\n`);
        }
        out.write(`${verdict(kind, r, secrets)}\n`);
        break;
      }
    }
  };
}
