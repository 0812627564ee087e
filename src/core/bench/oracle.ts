// The test-only "oracle" model: answers a task with the dataset's correct program, wrapped in a
// realistic rationale (citing a step of the trace it was shown, when there is one) and written in
// one of several answer formats real models use. It measures that tracing, prompt building, answer
// parsing, patching and verification work on every real program; it says nothing about how well a
// model repairs code. Every output of a run with it says "oracle (test-only)".
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type {
  ChatRequest,
  ChatResult,
  CompleteOptions,
  ModelProvider,
} from '../model/client/provider';
import { PROGRAM_FILE, TEST_FILE, type BenchTask } from './types';

export const ORACLE_MODEL = 'oracle';
export const ORACLE_LABEL = 'oracle (test-only)';

export const ANSWER_FORMATS = [
  'fenced-tagged',
  'fenced-plain',
  'unified-diff',
  'function-with-prose',
  'crlf',
] as const;
export type AnswerFormat = (typeof ANSWER_FORMATS)[number];

/** Format of a task's answer: spread over the formats by the task's position in the dataset. */
export function formatFor(index: number): AnswerFormat {
  return ANSWER_FORMATS[index % ANSWER_FORMATS.length] ?? 'fenced-tagged';
}

/** The last step number `(k)` of the NExT trace in the prompt, if the prompt has a trace. */
export function lastTraceStep(req: ChatRequest): number | undefined {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const at = user.indexOf('## Execution trace of the failing run');
  if (at < 0) return undefined;
  const end = user.indexOf('\n## ', at + 5);
  const section = user.slice(at, end < 0 ? undefined : end);
  let last: number | undefined;
  for (const line of section.split('\n')) {
    const comment = line.indexOf('# (');
    if (comment < 0) continue;
    for (const m of line.slice(comment).matchAll(/\((\d+)\)/g))
      last = Math.max(last ?? 0, Number(m[1]));
  }
  return last;
}

function rationale(task: BenchTask, step: number | undefined): string {
  const where =
    step !== undefined
      ? `Following the trace, \`${task.entryPoint}\` runs to step (${step}) and the values it produces there are not what ${TEST_FILE} expects; the assertion that fails checks exactly that result.`
      : `Walking through \`${task.entryPoint}\` on the failing input, the value it produces is not what ${TEST_FILE} expects; the assertion that fails checks exactly that result.`;
  return [
    `The failing check calls \`${task.entryPoint}\` from ${PROGRAM_FILE}.`,
    where,
    `Comparing the code with the task statement, the body of \`${task.entryPoint}\` departs from what the docstring describes, so the result is wrong from the first call on. Rewriting it to follow the specification fixes every assertion.`,
  ].join(' ');
}

/** The entry function to the end of the file: where HumanEval's solution lives. */
function entryFunction(task: BenchTask): string | undefined {
  if (task.dataset === 'mbpp') return undefined; // every MBPP function is a stub: the whole file is needed
  const m = new RegExp(`^def ${task.entryPoint}\\(`, 'm').exec(task.reference);
  return m ? task.reference.slice(m.index) : undefined;
}

export function oracleAnswer(
  task: BenchTask,
  format: AnswerFormat,
  step: number | undefined,
): string {
  const head = `${rationale(task, step)}\n\nSummary: Rewrite \`${task.entryPoint}\` so it does what its docstring specifies.\n\n`;
  const ref = task.reference.replace(/\n*$/, '\n');
  switch (format) {
    case 'fenced-tagged':
      return `${head}\`\`\`python ${PROGRAM_FILE}\n${ref}\`\`\`\n`;
    case 'fenced-plain':
      return `${head}Here is the corrected ${PROGRAM_FILE}:\n\n\`\`\`\n${ref}\`\`\`\n`;
    case 'unified-diff': {
      const diff = createTwoFilesPatch(
        `a/${PROGRAM_FILE}`,
        `b/${PROGRAM_FILE}`,
        task.program.replace(/\n*$/, '\n'),
        ref,
        undefined,
        undefined,
        { headerOptions: FILE_HEADERS_ONLY },
      );
      return `${head}\`\`\`diff\n${diff.replace(/\n*$/, '\n')}\`\`\`\n`;
    }
    case 'function-with-prose': {
      const fn = entryFunction(task);
      const code = fn ?? ref;
      return `${head}The change is confined to ${fn ? `\`${task.entryPoint}\`` : PROGRAM_FILE}; everything else stays as it is.\n\n\`\`\`python\n${code.replace(/\n*$/, '\n')}\`\`\`\n\nWith this change the failing assertion holds, and the other assertions in ${TEST_FILE} keep passing because they exercise the same logic.\n`;
    }
    case 'crlf':
      return `${head}\`\`\`python ${PROGRAM_FILE}\n${ref}\`\`\`\n`.replace(/\n/g, '\r\n');
  }
}

/**
 * A ModelProvider answering one task (its answer is the same in every round). Offered the trace
 * tools, it first asks for the calls of the task's function (so the tools arm runs the tool loop on
 * every real program), then answers.
 */
export function createOracleProvider(task: BenchTask, format: AnswerFormat): ModelProvider {
  return {
    id: `${ORACLE_MODEL}:test-only`,
    label: ORACLE_LABEL,
    complete(req: ChatRequest, opts: CompleteOptions = {}): Promise<ChatResult> {
      const started = Date.now();
      if (opts.signal?.aborted)
        return Promise.resolve({
          text: '',
          finishReason: 'cancelled',
          latencyMs: 0,
          model: ORACLE_LABEL,
        });
      const askedBefore = req.messages.some((m) => m.role === 'tool');
      if (req.tools?.some((t) => t.name === 'calls') && req.toolChoice !== 'none' && !askedBefore) {
        const call = {
          id: `oracle-${task.id}`,
          name: 'calls',
          arguments: JSON.stringify({ function: task.entryPoint }),
        };
        return Promise.resolve({
          text: '',
          finishReason: 'tool-calls',
          toolCalls: [call],
          latencyMs: Date.now() - started,
          model: ORACLE_LABEL,
        });
      }
      const text = oracleAnswer(task, format, lastTraceStep(req));
      // Streamed in pieces, as a real endpoint does, so the rationale streaming path runs too.
      for (let i = 0; i < text.length; i += 64) opts.onDelta?.(text.slice(i, i + 64));
      return Promise.resolve({
        text,
        finishReason: 'stop',
        latencyMs: Date.now() - started,
        model: ORACLE_LABEL,
      });
    },
  };
}
