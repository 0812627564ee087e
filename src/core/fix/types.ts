// Types of the explain-and-fix pipeline: its options, the events a UI follows, and the result.
import type { Baseline, BaselineSpec } from '../compare/baseline';
import type { RunComparison } from '../compare/compare';
import type {
  ChatMessage,
  ChatResult,
  FinishReason,
  ModelProvider,
} from '../model/client/provider';
import type { AnswerState } from '../model/answer/parse';
import type { Trace } from '../trace/model';
import type { RecordOptions } from '../trace/options';
import type { VerifyResult } from '../verify/verify';
import type { ProposedPatch } from './patchAdapter';
import type { ToolCallRecord } from './toolLoop';

export type { ToolCallRecord } from './toolLoop';

export interface FixOptions {
  /** What to run and trace (the same options as `tracefix trace`). */
  recordOptions: RecordOptions;
  provider: ModelProvider;
  /** Token budget of the NExT trace in the prompt (default 6000). */
  budget?: number;
  /** Model rounds at most (default 3). */
  maxRounds?: number;
  /** false: the no-trace ablation — the prompt carries code and failure only, and failed
   * attempts are not traced either. Default true. */
  useTrace?: boolean;
  /** A trace of the failing run that was already recorded (e.g. shown in the editor); else one is recorded. */
  trace?: Trace;
  /** A passing run to compare the failing one with (the prompt's "First divergence" section and the
   * compare_runs tool): how to obtain it, or one already recorded. Default: none. Ignored without the trace. */
  baseline?: BaselineSpec | Baseline;
  /** Wall-clock limit of each verification run (default 30 s). */
  verifyTimeoutMs?: number;
  /** Verify (and offer) patches that change test code (the failing test's file, conftest.py,
   * test_*.py, *_test.py, tests/). Default false: such a patch is reported as "changes the tests". */
  allowTestEdits?: boolean;
  /** Run patched code (verification, re-tracing) inside the sandbox. Default true: UserError
   * 'untrusted' up front when no sandbox is available. false: the user allowed running it unsandboxed. */
  sandbox?: boolean;
  /** false: no model-written code runs at all; patches are offered unverified. Default true. */
  verify?: boolean;
  /** What model-written runs (verification, re-traces) get of the environment beyond the allow-list
   * (runEnv.ts): `NAME` (its value here) or `NAME=VALUE`. The model's API key is refused. */
  runEnv?: readonly string[];
  /** Tool calls the model may make per round to query the recording (default 8; 0: no tools). Tools
   * are offered only with the trace (not in the no-trace ablation) and to providers that take them. */
  maxToolCalls?: number;
  maxTokens?: number;
  temperature?: number;
  /** Values that must never reach the model (the model API key…), also when encoded; the values of
   * secret-named environment variables of the run are added automatically. */
  secrets?: readonly string[];
  onEvent?: (event: FixEvent) => void;
  signal?: AbortSignal;
}

export type FixEvent =
  | {
      type: 'trace-start';
      round: number;
      /** true when tracing a candidate patch in a temp copy */ patched: boolean;
    }
  | { type: 'trace-done'; round: number; patched: boolean; trace: Trace; nextTokens: number }
  /** Obtaining the passing run: one line of progress ("recording … at HEAD (3f2a91c)"). */
  | { type: 'baseline-progress'; text: string }
  /** The passing run and the comparison (absent when none was found: `notes` say why). */
  | {
      type: 'baseline-done';
      baseline?: Baseline;
      comparison?: RunComparison;
      notes: string[];
    }
  /** Tracing a candidate patch failed (e.g. the patch broke the syntax); the round goes on without it. */
  | { type: 'trace-failed'; round: number; message: string }
  /** `tools`: the trace tools offered with the prompt (names; empty without them). */
  | {
      type: 'model-start';
      round: number;
      provider: string;
      messages: ChatMessage[];
      tools?: string[];
    }
  /** Streamed answer text up to where the code starts (the rationale and Summary line). */
  | { type: 'rationale-delta'; round: number; text: string }
  /** The model called a tool and got this answer (before it was asked again). */
  | { type: 'tool-call'; round: number; call: ToolCallRecord }
  /** The model or server refused tools: this round is asked again with `messages` (the plain
   * prompt), and later rounds ask without tools. Said once. */
  | { type: 'tools-unavailable'; round: number; reason: string; messages: ChatMessage[] }
  | {
      type: 'answer';
      round: number;
      text: string;
      finishReason: FinishReason;
      state: AnswerState;
      problems: string[];
    }
  | { type: 'verify-start'; round: number; command: string }
  | { type: 'verify-done'; round: number; verification: VerifyResult }
  | { type: 'round-done'; round: FixRound };

export interface FixRound {
  /** 1-based. */
  index: number;
  /** The messages the model saw, exactly as sent (redacted). */
  prompt: ChatMessage[];
  /** Secrets replaced in this prompt. */
  redactions: number;
  /** latencyMs and usage add up every request of the round (tool calls make several). */
  answer: {
    text: string;
    finishReason: FinishReason;
    latencyMs: number;
    usage?: ChatResult['usage'];
    model?: string;
  };
  /** The tool calls the model made in this round, with their answers, in order. */
  toolCalls?: ToolCallRecord[];
  rationale: string;
  summary: string;
  /** Trace steps the rationale cites. */
  steps: number[];
  state: AnswerState;
  /** What could not be used in the answer, or why it gave no patch. */
  problems: string[];
  /** Against the file texts at trace time; null when the answer gave no usable code. */
  patch: ProposedPatch | null;
  /** The patch's files that are test code; unless test edits are allowed, such a patch is not
   * verified and never offered as the fix. */
  changesTests: string[];
  /** null when there was no patch to verify. */
  verification: VerifyResult | null;
  /** '' when verified; else one line on why this round did not fix it. */
  failure: string;
}

export interface FixResult {
  rounds: FixRound[];
  /** A round's patch passed verification. */
  fixed: boolean;
  /** The verified patch when fixed, else the last patch proposed that leaves the tests alone
   * (unverified), else null. */
  patch: ProposedPatch | null;
  /** The trace of the original failing run the prompts were built from. */
  trace: Trace;
  /** How the run was invoked, for display: `python -m pytest tests/test_x.py::test_y`. */
  command: string;
  /** One line on the original failure. */
  failure: string;
  /** The passing run the failing one was compared with, and where they part. */
  comparison?: { description: string; labels: Baseline['labels']; result: RunComparison };
}
