// Decides what a command runs. In order: what the command was invoked on (a CodeLens test, an explorer
// file), the target chosen with "Choose Target…" (remembered per workspace), the `tracefix.launch`
// setting (a launch.json configuration name or an explicit target), then the editor: the pytest test
// at the cursor in a test file, the whole test file elsewhere in it, else the file as a script.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { analyzePython } from '../../core/source/pyStructure';
import { isPytestFile, pytestFunctionAt } from '../../core/source/pytest';
import { isTestInvocation } from '../editor/codeLens';
import {
  isPythonLaunchConfig,
  planForFile,
  planFromLaunchConfig,
  planFromSetting,
  splitArgs,
  type RunPlan,
  type VariableContext,
} from './runPlan';
import { readSettings } from '../settings';

/** The remembered choice (workspaceState). Paths are relative to the workspace folder. */
export type StoredTarget =
  | { kind: 'script'; file: string; args: string[] }
  | { kind: 'pytest'; nodeId: string }
  | { kind: 'module'; module: string; args: string[] }
  | { kind: 'launch'; name: string };

const STATE_KEY = 'tracefix.target';

export class TargetResolver implements vscode.Disposable {
  private readonly status = vscode.window.createStatusBarItem(
    'tracefix.target',
    vscode.StatusBarAlignment.Left,
    50,
  );

  constructor(private readonly state: vscode.Memento) {
    this.status.name = 'Tracefix target';
    this.status.command = 'tracefix.chooseTarget';
    this.updateStatus();
  }

  get picked(): StoredTarget | undefined {
    return this.state.get<StoredTarget>(STATE_KEY);
  }

  async setPicked(t: StoredTarget | undefined): Promise<void> {
    await this.state.update(STATE_KEY, t);
    this.updateStatus();
  }

  private updateStatus(): void {
    const t = this.picked;
    if (!t) return this.status.hide();
    const label =
      t.kind === 'script'
        ? t.file
        : t.kind === 'pytest'
          ? t.nodeId
          : t.kind === 'module'
            ? `-m ${t.module}`
            : t.name;
    this.status.text = `$(target) ${label}`;
    this.status.tooltip = 'Tracefix runs this target. Click to choose another.';
    this.status.show();
  }

  /** The plan for a command invoked with `arg` (Uri, CodeLens argument or nothing). */
  resolve(arg: unknown): RunPlan {
    const editor = vscode.window.activeTextEditor;
    if (isTestInvocation(arg))
      return planForFile(arg.uri.fsPath, folderOf(arg.uri), arg.testId, 'explicit');
    if (
      arg instanceof vscode.Uri &&
      arg.scheme === 'file' &&
      arg.toString() !== editor?.document.uri.toString()
    ) {
      return planForFile(arg.fsPath, folderOf(arg), undefined, 'explicit');
    }
    const folder = editor ? folderOf(editor.document.uri) : firstFolder();
    const ctx = variables(folder, editor?.document);
    const picked = this.picked;
    if (picked) return { ...this.fromStored(picked, ctx), origin: 'picked' };
    const launch = readSettings(vscode.Uri.file(folder)).launch;
    if (typeof launch === 'string') return this.fromLaunchName(launch, ctx);
    if (launch) return planFromSetting(launch, ctx);
    if (
      !editor ||
      editor.document.uri.scheme !== 'file' ||
      editor.document.languageId !== 'python'
    ) {
      throw new UserError('bad-argument', 'Open a Python file (or choose a target) to trace.');
    }
    return this.fromEditor(editor, folder);
  }

  private fromEditor(editor: vscode.TextEditor, folder: string): RunPlan {
    const file = editor.document.uri.fsPath;
    if (isPytestFile(file)) {
      const test = pytestFunctionAt(
        analyzePython(editor.document.getText()),
        editor.selection.active.line + 1,
      );
      return planForFile(file, folder, test?.id);
    }
    return planForFile(file, folder);
  }

  private fromStored(t: StoredTarget, ctx: VariableContext): RunPlan {
    const root = ctx.workspaceFolder;
    switch (t.kind) {
      case 'script':
        return {
          target: { kind: 'script', path: t.file },
          args: t.args,
          cwd: root,
          root,
          label: t.file,
          origin: 'picked',
        };
      case 'pytest':
        return {
          target: { kind: 'pytest', nodeId: t.nodeId },
          args: [],
          cwd: root,
          root,
          label: t.nodeId,
          origin: 'picked',
        };
      case 'module':
        return {
          target: { kind: 'module', module: t.module },
          args: t.args,
          cwd: root,
          root,
          label: `-m ${t.module}`,
          origin: 'picked',
        };
      case 'launch':
        return this.fromLaunchName(t.name, ctx);
    }
  }

  private fromLaunchName(name: string, ctx: VariableContext): RunPlan {
    const configs = launchConfigs(ctx.workspaceFolder);
    const cfg = configs.find((c) => c.name === name);
    if (!cfg) {
      throw new UserError(
        'bad-argument',
        `No Python launch configuration named "${name}" in launch.json.`,
        `Known: ${configs.map((c) => c.name).join(', ') || 'none'}.`,
      );
    }
    return planFromLaunchConfig(cfg, ctx);
  }

  /** The "Choose Target…" quick pick. Returns false when dismissed. */
  async choose(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    const folder = editor ? folderOf(editor.document.uri) : firstFolder();
    type Item = vscode.QuickPickItem & { pick: () => Promise<StoredTarget | undefined | 'auto'> };
    const items: Item[] = [
      {
        label: '$(wand) Automatic',
        description: 'test at the cursor, else the current file',
        pick: () => Promise.resolve('auto'),
      },
    ];
    if (editor?.document.languageId === 'python' && editor.document.uri.scheme === 'file') {
      const file = editor.document.uri.fsPath;
      const rel = path.relative(folder, file).split(path.sep).join('/');
      const test = isPytestFile(file)
        ? pytestFunctionAt(
            analyzePython(editor.document.getText()),
            editor.selection.active.line + 1,
          )
        : undefined;
      if (test)
        items.push({
          label: `$(beaker) ${rel}::${test.id}`,
          description: 'test at the cursor',
          pick: () => Promise.resolve({ kind: 'pytest', nodeId: `${rel}::${test.id}` }),
        });
      if (isPytestFile(file))
        items.push({
          label: `$(beaker) ${rel}`,
          description: 'all tests of this file',
          pick: () => Promise.resolve({ kind: 'pytest', nodeId: rel }),
        });
      else
        items.push({
          label: `$(file) ${rel}`,
          description: 'this file as a script',
          pick: async () => ({
            kind: 'script',
            file: rel,
            args: splitArgs((await ask('Arguments (optional)', '')) ?? ''),
          }),
        });
    }
    for (const c of launchConfigs(folder)) {
      items.push({
        label: `$(debug-alt) ${c.name}`,
        description: 'launch.json',
        pick: () => Promise.resolve({ kind: 'launch', name: c.name }),
      });
    }
    items.push({
      label: '$(symbol-module) Module…',
      description: 'python -m <module> <args>',
      pick: async () => {
        const line = await ask('Module and arguments, e.g. `mypkg.cli --verbose`', '');
        const [module, ...args] = splitArgs(line ?? '');
        return module ? { kind: 'module', module, args } : undefined;
      },
    });
    items.push({
      label: '$(terminal) Script with arguments…',
      description: 'python <file> <args>',
      pick: async () => {
        const line = await ask('Script path (relative to the workspace) and arguments', '');
        const [file, ...args] = splitArgs(line ?? '');
        return file ? { kind: 'script', file, args } : undefined;
      },
    });
    const chosen = await vscode.window.showQuickPick(items, {
      title: 'Tracefix: what should be traced?',
      placeHolder: describe(this.picked),
    });
    if (!chosen) return false;
    const t = await chosen.pick();
    if (t === undefined) return false;
    await this.setPicked(t === 'auto' ? undefined : t);
    return true;
  }

  dispose(): void {
    this.status.dispose();
  }
}

function describe(t: StoredTarget | undefined): string {
  if (!t) return 'Now: automatic (test at the cursor, else the current file)';
  return `Now: ${t.kind === 'launch' ? t.name : t.kind === 'pytest' ? t.nodeId : t.kind === 'module' ? `-m ${t.module}` : t.file}`;
}

function ask(prompt: string, value: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ prompt, value });
}

function firstFolder(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new UserError('bad-argument', 'Open a folder to trace a program in it.');
  return f.uri.fsPath;
}

function folderOf(uri: vscode.Uri): string {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
}

function variables(folder: string, doc: vscode.TextDocument | undefined): VariableContext {
  const ctx: VariableContext = {
    workspaceFolder: folder,
    env: process.env,
    userHome: os.homedir(),
  };
  if (doc?.uri.scheme === 'file') ctx.file = doc.uri.fsPath;
  return ctx;
}

function launchConfigs(folder: string) {
  const all =
    vscode.workspace
      .getConfiguration('launch', vscode.Uri.file(folder))
      .get<unknown[]>('configurations') ?? [];
  return all.filter(isPythonLaunchConfig);
}
