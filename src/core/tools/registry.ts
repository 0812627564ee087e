// The query tools: names, titles, descriptions for the model and their inputs (zod schemas declared
// beside each tool's function; the JSON Schema is derived from them, schema.ts). The same
// definitions are offered in Explain & Fix (function calling), contributed as VS Code language-model
// tools (scripts/manifest.mjs writes them into package.json) and served over MCP. Adding a tool is
// adding its spec here.
import { calls, CALLS_INPUT } from './calls';
import { findFirst, FIND_FIRST_INPUT } from './findFirst';
import { variableHistory, VARIABLE_HISTORY_INPUT } from './history';
import { lineExecutions, LINE_EXECUTIONS_INPUT } from './lines';
import { traceOverview, TRACE_OVERVIEW_INPUT } from './overview';
import { defineTool } from './schema';
import { searchValues, SEARCH_VALUES_INPUT } from './search';
import { stateAtStep, STATE_AT_STEP_INPUT } from './state';
import type { ToolSpec } from './types';
import { whyValue, WHY_INPUT } from './why';

export const VARIABLE_HISTORY: ToolSpec = defineTool({
  name: 'variable_history',
  title: 'Variable History',
  summary: 'Every recorded change of a variable, with step and line.',
  description:
    'Every recorded change of one variable in the run, in step order: assignments, argument bindings, deletions and changes inside values too large to print (e.g. memo[3]=30), each with its step (k), file:line and call (fn#n is the n-th call of fn). Use it to follow a value beyond what the NExT text shows (it shortens long histories to "...(N more)"). Name `__return__` lists return values. Narrow with function, file, line_from/line_to; page with from_step.',
  input: VARIABLE_HISTORY_INPUT,
  run: variableHistory,
});

export const STATE_AT_STEP: ToolSpec = defineTool({
  name: 'state_at_step',
  title: 'State at a Step',
  summary: 'All local variables and the call stack right after a step of the recording.',
  description:
    "The complete state right after one step: every local variable of the frame the step ran in (not only what changed), the source line, and the call stack with each caller's line and locals when it made the call.",
  input: STATE_AT_STEP_INPUT,
  run: stateAtStep,
});

export const LINE_EXECUTIONS: ToolSpec = defineTool({
  name: 'line_executions',
  title: 'Executions of a Line',
  summary: 'Every recorded run of a source line and what it changed.',
  description:
    'Every recorded execution of one source line: its step (or "(after k)" when it changed nothing), the call it ran in and what it changed. Use it for loop bodies and lines whose entries the NExT text cut; it also says how often the line ran in an unrecorded stretch of a long run.',
  input: LINE_EXECUTIONS_INPUT,
  run: lineExecutions,
});

export const CALLS: ToolSpec = defineTool({
  name: 'calls',
  title: 'Call Tree',
  summary:
    'Callers of a step, calls of a function, or the call tree, with arguments and return values.',
  description:
    'The call tree. With step: the callers of that step (innermost first) and the calls its frame made, with arguments, return value or exception and step range. With function: every call of that function and where it was called from. With neither: the tree from the top, `depth` levels deep.',
  input: CALLS_INPUT,
  run: calls,
});

export const FIND_FIRST: ToolSpec = defineTool({
  name: 'find_first',
  title: 'Find First Step Where…',
  summary: 'The first step where a condition on recorded values holds (e.g. total > 5).',
  description:
    "The first step after which a condition on recorded values holds in the frame that ran it, and the next few. Conditions compare recorded reprs: n == 3, n > 10, name != 'abc', items contains 'x', 'x' in items, s startswith 'ab', flag (true unless 0/empty/None/False), __return__ == None, memo[3] == 30, combined with and, or, not and parentheses. Numbers compare as numbers; a name not bound at a step makes its comparison false. Nothing is executed.",
  input: FIND_FIRST_INPUT,
  run: findFirst,
});

export const SEARCH_VALUES: ToolSpec = defineTool({
  name: 'search_values',
  title: 'Search Recorded Values',
  summary: 'Steps whose recorded values (or printed output) contain a text.',
  description:
    "Steps whose recorded values contain a text (case-insensitive unless case_sensitive), with the matching values, and lines of the program's printed output that contain it. Use it to find where a value (an id, a wrong number, a string) first appeared.",
  input: SEARCH_VALUES_INPUT,
  run: searchValues,
});

export const TRACE_OVERVIEW: ToolSpec = defineTool({
  name: 'trace_overview',
  title: 'Trace Overview',
  summary:
    'How the recorded run ended, what ran, and the code annotated with the values it produced.',
  description:
    'What the recording is: the program and how it ended (failure, exception, partial), its size, the functions that ran, and the NExT-annotated source — the code that ran with `# (k) name=value;` after each executed line, k the step number — within next_budget tokens. Start here, then ask the other tools about steps, lines and variables.',
  input: TRACE_OVERVIEW_INPUT,
  run: traceOverview,
});

export const WHY: ToolSpec = defineTool({
  name: 'why',
  title: 'Why',
  summary: "The chain of recorded steps and values that produced a variable's value.",
  description:
    'Why a variable has its value at a step: the chain of recorded steps that produced it, nearest first — where it was bound or written (also through another name or frame holding the same object), what that line read, the calls whose returned values it used, the arguments a parameter came from, and the branches that made those lines run — each with its step (k), file:line, what it changed and which later step it feeds. Without step: at the failing point. Use it to find where a wrong value was made.',
  input: WHY_INPUT,
  run: whyValue,
});

/** The tools offered in Explain & Fix (the prompt already holds the NExT text). */
export const QUERY_TOOLS: readonly ToolSpec[] = [
  VARIABLE_HISTORY,
  STATE_AT_STEP,
  LINE_EXECUTIONS,
  CALLS,
  FIND_FIRST,
  SEARCH_VALUES,
  WHY,
];

/** Every tool over a recording: the query tools and the overview (editor and MCP). */
export const TRACE_TOOLS: readonly ToolSpec[] = [TRACE_OVERVIEW, ...QUERY_TOOLS];

export function toolByName(name: string): ToolSpec | undefined {
  return TRACE_TOOLS.find((t) => t.name === name);
}
