// Which Python runs the trace and where debugpy comes from. Interpreter: the launch configuration's
// `python`, else the Python extension's selected interpreter (the one the user picked for this
// workspace), else `tracefix.pythonPath`, else the core's PATH search. debugpy: the interpreter's own,
// else the copy bundled with the Python Debugger extension (handed to the core as `debugpyPath`),
// else Tracefix's own copy in <this extension>/bundled/libs (the core finds it next to dist/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../core/errors';
import { PythonExtension } from '@vscode/python-extension';

export type InterpreterSource = 'launch' | 'setting' | 'python-extension' | 'path';

export interface InterpreterChoice {
  python?: string;
  debugpyPath?: string;
  source: InterpreterSource;
}

const PYTHON_EXT = 'ms-python.python';
const DEBUGPY_EXT = 'ms-python.debugpy';

async function fromPythonExtension(
  folder: vscode.Uri | undefined,
  log: vscode.LogOutputChannel,
): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PYTHON_EXT)) return undefined;
  try {
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(folder);
    const env = await api.environments.resolveEnvironment(active);
    return env?.executable.uri?.fsPath ?? active.path;
  } catch (e) {
    log.warn(`Python extension API unavailable: ${errorMessage(e)}`);
    return undefined;
  }
}

/** `<ms-python.debugpy>/bundled/libs` when that extension is installed and ships debugpy there. */
export function bundledDebugpy(): string | undefined {
  const ext = vscode.extensions.getExtension(DEBUGPY_EXT);
  if (!ext) return undefined;
  const libs = path.join(ext.extensionPath, 'bundled', 'libs');
  return fs.existsSync(path.join(libs, 'debugpy', '__init__.py')) ? libs : undefined;
}

export async function chooseInterpreter(opts: {
  launchPython?: string;
  settingPython?: string;
  folder?: vscode.Uri;
  log: vscode.LogOutputChannel;
}): Promise<InterpreterChoice> {
  const debugpyPath = bundledDebugpy();
  const withDebugpy = (c: InterpreterChoice): InterpreterChoice =>
    debugpyPath ? { ...c, debugpyPath } : c;
  if (opts.launchPython) return withDebugpy({ python: opts.launchPython, source: 'launch' });
  const fromExt = await fromPythonExtension(opts.folder, opts.log);
  if (fromExt) return withDebugpy({ python: fromExt, source: 'python-extension' });
  if (opts.settingPython) return withDebugpy({ python: opts.settingPython, source: 'setting' });
  return withDebugpy({ source: 'path' });
}
