// The default of every `tracefix.*` setting, taken from the core's constants: package.json's
// `contributes.configuration` repeats them for VS Code's Settings UI, and a unit test keeps the two
// equal. Free of `vscode` so that test can import it.
import {
  DEFAULT_MAX_ROUNDS,
  DEFAULT_MAX_TOOL_CALLS,
  DEFAULT_PROMPT_BUDGET,
  MAX_TOOL_CALLS,
} from '../core/fix';
import { DEFAULT_DEADLINE_MS, DEFAULT_MAX_TOKENS } from '../core/model/openaiProvider';
import { DEFAULT_INLINE_WIDTH } from '../core/render/decorations';
import { DEFAULT_LIMITS } from '../core/trace/model';
import { DEFAULT_ENGINE, ENGINE_NAMES } from '../core/trace/options';

export const SECTION = 'tracefix';

/** Setting (without the `tracefix.` prefix) → its default. */
export const SETTING_DEFAULTS = {
  pythonPath: '',
  launch: null,
  maxSteps: DEFAULT_LIMITS.maxSteps,
  timeoutSeconds: DEFAULT_LIMITS.timeoutMs / 1000,
  reprLength: DEFAULT_LIMITS.reprLength,
  budget: DEFAULT_PROMPT_BUDGET,
  engine: DEFAULT_ENGINE,
  'inline.maxLength': DEFAULT_INLINE_WIDTH,
  'inline.dimNeverExecuted': true,
  provider: 'openai',
  model: '',
  baseUrl: '',
  modelTimeoutSeconds: DEFAULT_DEADLINE_MS / 1000,
  maxTokens: DEFAULT_MAX_TOKENS,
  maxRounds: DEFAULT_MAX_ROUNDS,
  maxToolCalls: DEFAULT_MAX_TOOL_CALLS,
  allowTestEdits: false,
  'tools.allowProgramArguments': false,
  'verify.env': [],
  baseline: 'auto',
} as const;

/** Bounds and choices the core imposes, repeated in package.json (`maximum`, `enum`). */
export const SETTING_BOUNDS = {
  maxToolCalls: { minimum: 0, maximum: MAX_TOOL_CALLS },
  engine: { enum: ENGINE_NAMES },
  provider: { enum: ['openai', 'vscode-lm'] },
  baseline: { enum: ['auto', 'none', 'git', 'last-pass', 'sibling'] },
} as const;
