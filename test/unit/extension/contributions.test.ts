// package.json declares what VS Code shows (commands, views, colours, menus and their `when` clauses,
// the replay debugger); the extension registers the same ids from commandIds.ts. Every id on one side
// must exist on the other, or a menu item runs nothing or a registered command is unreachable.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPLAY_DEBUG_TYPE } from '../../../src/core/replay';
import {
  COLORS,
  COMMANDS,
  CONTEXT_KEYS,
  HOVER_COMMANDS,
  VIEWS,
} from '../../../src/extension/commandIds';

interface MenuItem {
  command: string;
  when?: string;
}

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    menus: Record<string, MenuItem[]>;
    debuggers: { type: string }[];
    colors: { id: string }[];
  };
};
const menuItems = Object.values(pkg.contributes.menus).flat();

describe('package.json contributions and the extension agree', () => {
  it('contributes exactly the commands of the command table', () => {
    expect(pkg.contributes.commands.map((c) => c.command).sort()).toEqual(
      Object.values(COMMANDS).sort(),
    );
  });

  it('puts only Tracefix commands in its menus', () => {
    const known = new Set<string>(Object.values(COMMANDS));
    for (const m of menuItems) expect(known.has(m.command), m.command).toBe(true);
  });

  it('tests only the context keys the extension sets, and names only its own views', () => {
    const keys = new Set<string>(Object.values(CONTEXT_KEYS));
    const views = new Set<string>(Object.values(VIEWS));
    for (const m of menuItems) {
      const when = m.when ?? '';
      for (const [, name] of when.matchAll(/view == ([\w.-]+)/g))
        expect(views.has(name!), when).toBe(true);
      const rest = when.replace(/view == [\w.-]+/g, '');
      for (const [key] of rest.matchAll(/tracefix\.[\w.]+/g))
        expect(keys.has(key), `${key} in ${when}`).toBe(true);
    }
  });

  it('contributes exactly the webview views the extension provides', () => {
    const contributed = Object.values(pkg.contributes.views)
      .flat()
      .map((v) => v.id);
    expect(contributed.sort()).toEqual(Object.values(VIEWS).sort());
  });

  it('contributes exactly the colours the decorations use', () => {
    expect(pkg.contributes.colors.map((c) => c.id).sort()).toEqual(Object.values(COLORS).sort());
  });

  it('hover links run commands of the table', () => {
    for (const id of Object.values(HOVER_COMMANDS)) expect(Object.values(COMMANDS)).toContain(id);
  });

  it('contributes the replay debugger the extension registers, and activates on it', () => {
    expect(pkg.contributes.debuggers.map((d) => d.type)).toEqual([REPLAY_DEBUG_TYPE]);
    expect(pkg.activationEvents).toContain(`onDebugResolve:${REPLAY_DEBUG_TYPE}`);
  });
});
