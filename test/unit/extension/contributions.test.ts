// What the declarations of src/extension/contributes make of package.json's `contributes` (the copy
// in package.json is checked by `npm run lint`, scripts/manifest.mjs --check). Checked here: what the
// types cannot say — `when` clauses name only context keys the extension sets and its own views,
// every setting's default fits its own bounds, and the tools' names are unique.
import { describe, expect, it } from 'vitest';
import { MAX_TOOL_CALLS } from '../../../src/core/fix';
import { COMPARE_RUNS, TRACE_TOOLS } from '../../../src/core/tools';
import { RECORD_TRACE_NAME } from '../../../src/core/tools/recordTool';
import { commandContributions, COMMANDS } from '../../../src/extension/contributes/commands';
import { generatedManifest } from '../../../src/extension/contributes';
import {
  SECTION,
  SETTING_DEFAULTS,
  SETTINGS,
  type SettingDecl,
} from '../../../src/extension/contributes/settings';
import { toolContributions } from '../../../src/extension/contributes/tools';
import { CONTEXT_KEYS, VIEWS } from '../../../src/extension/contributes/views';

interface MenuItem {
  command: string;
  when: string;
  group?: string;
}

const menus = commandContributions().menus as Record<string, MenuItem[]>;

describe('contributed commands and menus', () => {
  it('menus name only declared commands; `when` clauses test only the keys the extension sets and its own views', () => {
    const commands = new Set<string>(Object.values(COMMANDS));
    const keys = new Set<string>(Object.values(CONTEXT_KEYS));
    const views = new Set<string>(Object.values(VIEWS));
    for (const m of Object.values(menus).flat()) {
      expect(commands.has(m.command), m.command).toBe(true);
      for (const [, name] of m.when.matchAll(/view == ([\w.-]+)/g))
        expect(views.has(name!), m.when).toBe(true);
      const rest = m.when.replace(/view == [\w.-]+/g, '');
      for (const [key] of rest.matchAll(/tracefix\.[\w.]+/g))
        expect(keys.has(key), `${key} in ${m.when}`).toBe(true);
    }
  });

  it('orders each menu by group, as VS Code shows it', () => {
    const timeline = (menus['view/title'] ?? [])
      .filter((m) => m.when.startsWith(`view == ${VIEWS.timeline}`))
      .map((m) => m.group);
    const order = timeline.map((g) => Number(g?.split('@')[1]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order)).toEqual(new Set([1, 2, 3, 4, 5]));
  });
});

describe('contributed settings', () => {
  it.each(Object.entries(SETTINGS) as [string, SettingDecl][])(
    'tracefix.%s: its default fits its own type, bounds and choices',
    (_name, s) => {
      const types: string[] = [s.type].flat();
      const v = s.default;
      const type =
        v === null
          ? 'null'
          : Number.isInteger(v)
            ? 'integer'
            : Array.isArray(v)
              ? 'array'
              : typeof v;
      expect(types.includes(type) || (type === 'integer' && types.includes('number'))).toBe(true);
      if (typeof v === 'number') {
        if (s.minimum !== undefined) expect(v).toBeGreaterThanOrEqual(s.minimum);
        if (s.maximum !== undefined) expect(v).toBeLessThanOrEqual(s.maximum);
      }
      if (s.enum) expect(s.enum).toContain(v);
      if (s.enumDescriptions) expect(s.enumDescriptions).toHaveLength(s.enum?.length ?? -1);
    },
  );

  it('the tool-call setting allows 0 (no tools) up to the core maximum', () => {
    expect(SETTINGS.maxToolCalls).toMatchObject({ minimum: 0, maximum: MAX_TOOL_CALLS });
    expect(SETTING_DEFAULTS.maxToolCalls).toBeGreaterThan(0);
  });

  it('Restricted Mode withholds the settings that say what runs', () => {
    expect(generatedManifest().restrictedConfigurations).toEqual([
      `${SECTION}.pythonPath`,
      `${SECTION}.launch`,
    ]);
  });
});

describe('contributed language-model tools', () => {
  const tools = toolContributions() as { name: string; toolReferenceName: string }[];

  it('the record tool, then every tool of the core registry, then compare_runs, each under a unique prefixed name', () => {
    expect(tools.map((t) => t.name)).toEqual(
      [RECORD_TRACE_NAME, ...TRACE_TOOLS.map((t) => t.name), COMPARE_RUNS.name].map(
        (n) => `tracefix_${n}`,
      ),
    );
  });

  it('each can be referenced in chat by a unique identifier', () => {
    const refs = tools.map((t) => t.toolReferenceName);
    expect(new Set(refs).size).toBe(refs.length);
    for (const r of refs) expect(r).toMatch(/^tracefix[A-Z]\w*$/);
  });
});
