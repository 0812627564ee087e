// "Explain & Fix" / "Trace" above each pytest test function of a test file.
import * as vscode from 'vscode';
import { analyzePython } from '../../core/source/pyStructure';
import { isPytestFile, pytestFunctions } from '../../core/source/pytest';

export const TEST_FILE_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file', pattern: '**/test_*.py' },
  { language: 'python', scheme: 'file', pattern: '**/*_test.py' },
];

/** Argument the lenses pass to the run commands. */
export interface TestInvocation {
  uri: vscode.Uri;
  testId: string;
}

export function isTestInvocation(v: unknown): v is TestInvocation {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as TestInvocation).uri instanceof vscode.Uri &&
    typeof (v as TestInvocation).testId === 'string'
  );
}

export class TestCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isPytestFile(doc.uri.fsPath)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const t of pytestFunctions(analyzePython(doc.getText()))) {
      const range = doc.lineAt(t.header - 1).range;
      const arg: TestInvocation = { uri: doc.uri, testId: t.id };
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(sparkle) Explain & Fix',
          command: 'tracefix.explainAndFix',
          arguments: [arg],
          tooltip: `Trace ${t.id} and explain the failure`,
        }),
        new vscode.CodeLens(range, {
          title: 'Trace',
          command: 'tracefix.traceOnly',
          arguments: [arg],
          tooltip: `Record ${t.id} and show its values inline`,
        }),
      );
    }
    return lenses;
  }
}
