// Entry point: everything lives in one TracefixContext, disposed with the extension.
import type * as vscode from 'vscode';
import { TracefixContext } from './context';
import { registerExplainFeature } from './explain/feature';
import { createTestApi, type TracefixTestApi } from './testApi';
import { registerTraceLmTools } from './tools/lmTools';

export interface TracefixExtensionExports {
  /** For Tracefix's own test suites only. */
  _test: TracefixTestApi;
}

export function activate(extension: vscode.ExtensionContext): TracefixExtensionExports {
  const ctx = new TracefixContext(extension);
  extension.subscriptions.push(ctx);
  // The model step (ask → verify → offer a code action), its panel, code actions and commands.
  extension.subscriptions.push(registerExplainFeature(ctx));
  // The trace tools for Copilot agent mode and other chat participants (vscode.lm.registerTool).
  extension.subscriptions.push(registerTraceLmTools(ctx));
  ctx.log.info(
    `Tracefix ${String((extension.extension.packageJSON as { version?: string }).version)} activated`,
  );
  return { _test: createTestApi(ctx) };
}

export function deactivate(): void {
  // The context is in extension.subscriptions: VS Code disposes it (aborting any recording).
}
