// package.json repeats every setting's default for VS Code's Settings UI; the extension reads its
// defaults from the core (settingDefaults.ts). They must stay equal, or the Settings UI shows one
// value while the extension uses another.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ROUNDS, DEFAULT_MAX_TOOL_CALLS } from '../../../src/core/fix';
import { DEFAULT_DEADLINE_MS, DEFAULT_MAX_TOKENS } from '../../../src/core/model/openaiProvider';
import { DEFAULT_PROMPT_BUDGET } from '../../../src/core/fix/promptBudget';
import { DEFAULT_LIMITS } from '../../../src/core/trace/model';
import { SECTION, SETTING_BOUNDS, SETTING_DEFAULTS } from '../../../src/extension/settingDefaults';

interface Property {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}

const properties = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, Property> } };
  }
).contributes.configuration.properties;

describe('setting defaults', () => {
  it('package.json contributes exactly the settings the extension has defaults for', () => {
    const contributed = Object.keys(properties).map((k) => k.replace(`${SECTION}.`, ''));
    expect(contributed.sort()).toEqual(Object.keys(SETTING_DEFAULTS).sort());
  });

  it.each(Object.entries(SETTING_DEFAULTS))('tracefix.%s: package.json says %j', (key, value) => {
    expect(properties[`${SECTION}.${key}`]?.default).toEqual(value);
  });

  it('the core limits, budget, rounds, tool calls and model limits are the core constants', () => {
    expect(SETTING_DEFAULTS.maxSteps).toBe(DEFAULT_LIMITS.maxSteps);
    expect(SETTING_DEFAULTS.timeoutSeconds * 1000).toBe(DEFAULT_LIMITS.timeoutMs);
    expect(SETTING_DEFAULTS.reprLength).toBe(DEFAULT_LIMITS.reprLength);
    expect(SETTING_DEFAULTS.budget).toBe(DEFAULT_PROMPT_BUDGET);
    expect(SETTING_DEFAULTS.maxRounds).toBe(DEFAULT_MAX_ROUNDS);
    expect(SETTING_DEFAULTS.maxToolCalls).toBe(DEFAULT_MAX_TOOL_CALLS);
    expect(SETTING_DEFAULTS.modelTimeoutSeconds * 1000).toBe(DEFAULT_DEADLINE_MS);
    expect(SETTING_DEFAULTS.maxTokens).toBe(DEFAULT_MAX_TOKENS);
  });

  it.each(Object.entries(SETTING_BOUNDS))(
    'tracefix.%s: package.json has the core bounds',
    (key, bounds) => {
      expect(properties[`${SECTION}.${key}`]).toMatchObject(bounds);
    },
  );
});
