// Public surface of the explain-and-fix pipeline (CLI, extension, demo).
export {
  buildFixPrompt,
  explainAndFix,
  unusableAnswer,
  DEFAULT_MAX_ROUNDS,
  type PrepareOptions,
} from './explainAndFix';
export {
  applyPatch,
  makePatch,
  patchStats,
  type FilePatch,
  type ProposedPatch,
} from './patchAdapter';
export { RationaleStream } from './rationaleStream';
export { DEFAULT_PROMPT_BUDGET, fitPrompt } from './promptBudget';
export { traceErrorText, promptFiles, taskOf } from './traceContext';
export type { FixEvent, FixOptions, FixResult, FixRound, ToolCallRecord } from './types';
export { askWithTools, DEFAULT_MAX_TOOL_CALLS, MAX_TOOL_CALLS } from './toolLoop';
