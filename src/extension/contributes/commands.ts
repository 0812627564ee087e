// Every command of the extension, declared once: its title, icon and where it appears (palette
// visibility, menus). commands.ts gives each one its handler — the type makes it give one to every
// command — and scripts/manifest.mjs writes package.json's `commands` and `menus` from here. Adding a
// command is adding an entry here and its handler there. Free of `vscode`.
import type { HoverCommands } from '../../core/render/hover';
import { CONTEXT_KEYS as K, VIEWS } from './views';

/** The menus Tracefix puts commands in. */
export type MenuId =
  'commandPalette' | 'editor/context' | 'editor/title' | 'explorer/context' | 'view/title';

export interface MenuPlacement {
  when: string;
  /** `group@order` (VS Code sorts by it). */
  group: string;
}

export interface CommandDecl {
  title: string;
  /** A codicon, e.g. `$(sparkle)` (shown where the command is an icon: title bars). */
  icon?: string;
  /** When the Command Palette offers it (`'false'`: never, e.g. a hover link's command). Default: always. */
  palette?: string;
  menus?: Partial<Record<Exclude<MenuId, 'commandPalette'>, MenuPlacement[]>>;
}

const PY_EDITOR = 'editorLangId == python';
const PY_TAB = 'resourceLangId == python';
const PY_FILE = 'resourceExtname == .py';
const TIMELINE = `view == ${VIEWS.timeline} && ${K.hasTrace}`;
const EXPLANATION = `view == ${VIEWS.explanation}`;

export const COMMAND_DECLS = {
  explainAndFix: {
    title: 'Explain & Fix',
    icon: '$(sparkle)',
    menus: {
      'editor/context': [{ when: PY_EDITOR, group: 'tracefix@1' }],
      'editor/title': [{ when: PY_TAB, group: 'navigation@90' }],
      'explorer/context': [{ when: PY_FILE, group: 'tracefix@1' }],
      'view/title': [{ when: EXPLANATION, group: 'navigation@1' }],
    },
  },
  traceOnly: {
    title: 'Trace Only',
    icon: '$(debug-line-by-line)',
    menus: {
      'editor/context': [{ when: PY_EDITOR, group: 'tracefix@2' }],
      'editor/title': [{ when: PY_TAB, group: 'tracefix@1' }],
      'explorer/context': [{ when: PY_FILE, group: 'tracefix@2' }],
    },
  },
  rerun: {
    title: 'Re-run',
    icon: '$(debug-rerun)',
    palette: K.hasTrace,
    menus: { 'view/title': [{ when: TIMELINE, group: 'navigation@1' }] },
  },
  clearTrace: {
    title: 'Clear Trace',
    icon: '$(clear-all)',
    palette: K.hasTrace,
    menus: {
      'editor/context': [{ when: `${PY_EDITOR} && ${K.hasTrace}`, group: 'tracefix@3' }],
      'editor/title': [{ when: `${PY_TAB} && ${K.hasTrace}`, group: 'tracefix@3' }],
      'view/title': [{ when: TIMELINE, group: 'navigation@4' }],
    },
  },
  chooseTarget: { title: 'Choose Target…', icon: '$(target)' },
  showTimeline: {
    title: 'Show Timeline',
    icon: '$(history)',
    menus: { 'editor/title': [{ when: `${PY_TAB} && ${K.hasTrace}`, group: 'tracefix@2' }] },
  },
  setApiKey: { title: 'Set Model API Key', icon: '$(key)' },
  showLog: { title: 'Show Log', icon: '$(output)' },
  goToCaller: { title: 'Go to Caller', palette: 'false' },
  replayTrace: {
    title: 'Replay Trace',
    icon: '$(debug-step-back)',
    menus: {
      'editor/title': [{ when: `${PY_TAB} && ${K.hasTrace}`, group: 'tracefix@2' }],
      'view/title': [{ when: TIMELINE, group: 'navigation@2' }],
    },
  },
  saveTrace: {
    title: 'Save Trace…',
    icon: '$(save)',
    palette: K.hasTrace,
    menus: { 'view/title': [{ when: TIMELINE, group: 'navigation@3' }] },
  },
  replayFromStep: { title: 'Replay from This Step', palette: 'false' },
  applyFix: { title: 'Apply Fix', icon: '$(check)' },
  previewFix: { title: 'Preview Fix', icon: '$(diff)' },
  undoFix: { title: 'Undo Applied Fix', icon: '$(discard)', palette: K.hasExplanation },
  showExplanation: { title: 'Show Explanation', icon: '$(book)' },
  showPrompt: {
    title: 'Show Prompt Sent to the Model',
    icon: '$(comment)',
    menus: {
      'view/title': [{ when: `${EXPLANATION} && ${K.hasExplanation}`, group: 'navigation@2' }],
    },
  },
  sandboxChoice: { title: 'Forget the Sandbox Choice for This Workspace' },
  why: { title: 'Why This Value?', icon: '$(question)', palette: `${K.hasTrace} && ${PY_EDITOR}` },
  clearWhy: {
    title: 'Clear Why Highlight',
    icon: '$(close)',
    palette: K.hasWhy,
    menus: {
      'view/title': [{ when: `view == ${VIEWS.timeline} && ${K.hasWhy}`, group: 'navigation@5' }],
    },
  },
  compareWith: {
    title: 'Compare with…',
    icon: '$(git-compare)',
    palette: K.hasTrace,
    menus: {
      'editor/title': [{ when: `${PY_TAB} && ${K.hasTrace}`, group: 'tracefix@2' }],
      'view/title': [{ when: TIMELINE, group: 'navigation@3' }],
    },
  },
  stopComparing: { title: 'Stop Comparing', icon: '$(close)', palette: K.comparing },
} as const satisfies Record<string, CommandDecl>;

export type CommandName = keyof typeof COMMAND_DECLS;

/** Command name → id (`tracefix.<name>`). */
export const COMMANDS = Object.fromEntries(
  Object.keys(COMMAND_DECLS).map((name) => [name, `tracefix.${name}`]),
) as { readonly [N in CommandName]: `tracefix.${N}` };

/** The command links of a hover, trusted by the hover provider and nothing else. */
export const HOVER_COMMANDS: HoverCommands = {
  timeline: COMMANDS.showTimeline,
  caller: COMMANDS.goToCaller,
  replay: COMMANDS.replayFromStep,
  why: COMMANDS.why,
};

const MENU_ORDER: MenuId[] = [
  'commandPalette',
  'editor/context',
  'editor/title',
  'explorer/context',
  'view/title',
];

/** `navigation@90` after `navigation@2`. */
function byGroup(a: { group?: string }, b: { group?: string }): number {
  const [ga = '', oa = '0'] = (a.group ?? '').split('@');
  const [gb = '', ob = '0'] = (b.group ?? '').split('@');
  return ga.localeCompare(gb) || Number(oa) - Number(ob);
}

/** `contributes.commands` and `contributes.menus`. */
export function commandContributions(): Record<string, unknown> {
  const decls = Object.entries(COMMAND_DECLS) as [CommandName, CommandDecl][];
  const commands = decls.map(([name, d]) => ({
    command: COMMANDS[name],
    title: d.title,
    category: 'Tracefix',
    ...(d.icon ? { icon: d.icon } : {}),
  }));
  const menus: Partial<Record<MenuId, { command: string; when: string; group?: string }[]>> = {};
  for (const menu of MENU_ORDER) {
    const items = decls.flatMap(([name, d]): { command: string; when: string; group?: string }[] =>
      menu === 'commandPalette'
        ? d.palette !== undefined
          ? [{ command: COMMANDS[name], when: d.palette }]
          : []
        : (d.menus?.[menu] ?? []).map((p) => ({ command: COMMANDS[name], ...p })),
    );
    if (items.length) menus[menu] = items.sort(byGroup);
  }
  return { commands, menus };
}
