// What Tracefix contributes to VS Code, generated from the declarations beside this file (commands
// and menus, settings, views and colours, the language-model tools, the replay debugger):
// scripts/manifest.mjs writes it into package.json, and `npm run lint` fails when package.json is
// stale. The rest of package.json (name, activation on Python, capabilities' wording) is written by
// hand. Free of `vscode`.
import { commandContributions } from './commands';
import { DEBUGGER_ACTIVATION, debuggerContributions } from './debuggers';
import { settingContributions } from './settings';
import { toolContributions } from './tools';
import { colorContributions, viewContributions } from './views';

export { COMMANDS, COMMAND_DECLS, HOVER_COMMANDS, type CommandName } from './commands';
export { COLORS, CONTEXT_KEYS, VIEWS } from './views';

/** The parts of package.json generated from the code. */
export interface GeneratedManifest {
  contributes: Record<string, unknown>;
  /** Activation events the contributions need (kept beside the hand-written ones). */
  activationEvents: string[];
  /** `capabilities.untrustedWorkspaces.restrictedConfigurations`. */
  restrictedConfigurations: string[];
}

export function generatedManifest(): GeneratedManifest {
  const { commands, menus } = commandContributions();
  const settings = settingContributions();
  return {
    contributes: {
      commands,
      ...viewContributions(),
      menus,
      configuration: settings.configuration,
      colors: colorContributions(),
      debuggers: debuggerContributions(),
      languageModelTools: toolContributions(),
    },
    activationEvents: [DEBUGGER_ACTIVATION],
    restrictedConfigurations: settings.restricted,
  };
}
