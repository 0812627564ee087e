// package.json's `contributes.languageModelTools` repeats the core's tool definitions (VS Code reads
// the schema from the manifest, the extension registers the implementation under the same name):
// they must stay the same, or a model gets a schema the tool does not take.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOOL_CALLS } from '../../../src/core/fix';
import { COMPARE_RUNS, TRACE_TOOLS } from '../../../src/core/tools';
import {
  RECORD_TRACE_DESCRIPTION,
  RECORD_TRACE_NAME,
  RECORD_TRACE_SCHEMA,
} from '../../../src/core/tools/recordTool';

interface Contributed {
  name: string;
  displayName: string;
  toolReferenceName: string;
  canBeReferencedInPrompt: boolean;
  userDescription: string;
  modelDescription: string;
  inputSchema: unknown;
}

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: {
    languageModelTools: Contributed[];
    configuration: { properties: Record<string, { default?: unknown; minimum?: number }> };
  };
};

describe('contributes.languageModelTools', () => {
  const core = [
    {
      name: RECORD_TRACE_NAME,
      description: RECORD_TRACE_DESCRIPTION,
      inputSchema: RECORD_TRACE_SCHEMA,
    },
    ...TRACE_TOOLS,
    COMPARE_RUNS,
  ];
  const contributed = pkg.contributes.languageModelTools;

  it('names every core tool once, prefixed, in the same order', () => {
    expect(contributed.map((t) => t.name)).toEqual(core.map((t) => `tracefix_${t.name}`));
    expect(new Set(contributed.map((t) => t.toolReferenceName)).size).toBe(contributed.length);
  });

  it.each(core.map((t) => [t.name, t] as const))(
    "%s: the model description and input schema are the core's",
    (name, t) => {
      const c = contributed.find((x) => x.name === `tracefix_${name}`);
      expect(c?.modelDescription).toBe(t.description);
      expect(c?.inputSchema).toEqual(t.inputSchema);
      expect(c?.displayName).toMatch(/^Tracefix: /);
      expect(c?.userDescription.length).toBeGreaterThan(20);
      expect(c?.canBeReferencedInPrompt).toBe(true);
    },
  );

  it('the tool-call setting defaults to the core default and allows 0 (no tools)', () => {
    expect(pkg.contributes.configuration.properties['tracefix.maxToolCalls']).toMatchObject({
      default: DEFAULT_MAX_TOOL_CALLS,
      minimum: 0,
    });
  });
});
