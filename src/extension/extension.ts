// Entry point: one Ctx owns everything (context.ts) and registers the command table (commands.ts);
// VS Code disposes it with the extension, which aborts a recording in progress. The test API is
// returned only when the extension runs under its own tests.
import type * as vscode from 'vscode';
import { createCommands } from './commands';
import { Ctx } from './context';
import { createTestApi, type TracefixTestApi } from './testApi';

export interface TracefixExtensionExports {
  /** For Tracefix's own test suites only (absent unless VS Code runs the extension under tests). */
  _test?: TracefixTestApi;
}

export function activate(extension: vscode.ExtensionContext): TracefixExtensionExports {
  const ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  ctx.registerCommands(createCommands(ctx));
  ctx.log.info(
    `Tracefix ${String((extension.extension.packageJSON as { version?: string }).version)} activated`,
  );
  return ctx.underTests ? { _test: createTestApi(ctx) } : {};
}

export function deactivate(): void {
  // The context is in extension.subscriptions: VS Code disposes it.
}
