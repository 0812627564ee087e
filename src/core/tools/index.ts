// Public surface of the trace query tools (Explain & Fix, the VS Code language-model tools, MCP).
export { ToolSession, citedSteps, type ToolDefinition, type ToolSessionOptions } from './session';
export { QUERY_TOOLS, TRACE_TOOLS, TRACE_OVERVIEW, toolByName } from './registry';
export { DEFAULT_OVERVIEW_BUDGET } from './overview';
export { COMPARE_RUNS, COMPARE_RUNS_NAME } from './compareRuns';
export { parseCondition, evaluate, numericValue } from './condition';
export { checkInput, jsonSchemaOf } from './schema';
export {
  DEFAULT_TOOL_LIMITS,
  MAX_ITEMS,
  type JsonSchema,
  type ToolAnswer,
  type ToolLimits,
  type ToolSpec,
} from './types';
