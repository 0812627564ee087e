// Tracefix's tools as VS Code language-model tools: the record tool and every trace tool of the core
// registry (core/tools/registry.ts), under a `tracefix_` name, with the core's description and
// schema. scripts/manifest.mjs writes package.json's `languageModelTools` from here, so a tool added
// to the registry is contributed as it is. Only how VS Code shows a tool lives here: its icon and the
// name it is referenced by in chat (`#tracefixHistory`), each with a default. Free of `vscode`.
import { COMPARE_RUNS, TRACE_TOOLS } from '../../core/tools';
import {
  RECORD_TRACE_DESCRIPTION,
  RECORD_TRACE_NAME,
  RECORD_TRACE_SCHEMA,
  RECORD_TRACE_SUMMARY,
  RECORD_TRACE_TITLE,
} from '../../core/tools/recordTool';
import type { JsonSchema } from '../../core/tools/types';

/** VS Code names of the tools: the core name with a `tracefix_` prefix (names are global). */
export const LM_TOOL_PREFIX = 'tracefix_';
export const lmToolName = (core: string): string => `${LM_TOOL_PREFIX}${core}`;

/** Icons (codicons) and chat reference names; a tool not listed gets the defaults (see below). */
const LOOK: Record<string, { icon?: string; reference?: string }> = {
  [RECORD_TRACE_NAME]: { icon: '$(record)', reference: 'tracefixRecord' },
  trace_overview: { icon: '$(list-tree)', reference: 'tracefixOverview' },
  variable_history: { icon: '$(symbol-variable)', reference: 'tracefixHistory' },
  state_at_step: { icon: '$(debug-stackframe)', reference: 'tracefixState' },
  line_executions: { icon: '$(list-ordered)', reference: 'tracefixLine' },
  calls: { icon: '$(type-hierarchy)', reference: 'tracefixCalls' },
  find_first: { icon: '$(search)', reference: 'tracefixFindFirst' },
  why: { icon: '$(debug-step-back)', reference: 'tracefixWhy' },
  compare_runs: { icon: '$(git-compare)', reference: 'tracefixCompare' },
  search_values: { icon: '$(search-fuzzy)', reference: 'tracefixSearch' },
};

/** `variable_history` → `tracefixVariableHistory`. */
const referenceOf = (name: string): string =>
  `tracefix${name.replace(/(?:^|_)(\w)/g, (_, c: string) => c.toUpperCase())}`;

interface ToolDecl {
  name: string;
  title: string;
  summary: string;
  description: string;
  inputSchema: JsonSchema;
}

/** The record tool first, then the registry's tools in its order, then compare_runs (answered over
 * the comparison on screen, not one recording). */
export function lmToolDecls(): ToolDecl[] {
  return [
    {
      name: RECORD_TRACE_NAME,
      title: RECORD_TRACE_TITLE,
      summary: RECORD_TRACE_SUMMARY,
      description: RECORD_TRACE_DESCRIPTION,
      inputSchema: RECORD_TRACE_SCHEMA,
    },
    ...TRACE_TOOLS,
    COMPARE_RUNS,
  ];
}

/** `contributes.languageModelTools`. */
export function toolContributions(): Record<string, unknown>[] {
  return lmToolDecls().map((t) => ({
    name: lmToolName(t.name),
    displayName: `Tracefix: ${t.title}`,
    toolReferenceName: LOOK[t.name]?.reference ?? referenceOf(t.name),
    canBeReferencedInPrompt: true,
    icon: LOOK[t.name]?.icon ?? '$(tools)',
    userDescription: t.summary,
    modelDescription: t.description,
    tags: ['python', 'debugging', 'tracefix'],
    inputSchema: t.inputSchema,
  }));
}
