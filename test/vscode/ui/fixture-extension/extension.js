// Fixture extension for the UI helper self-test: one command opens an untitled Python document
// with an `after` decoration (+ hover) on line 2 and offers one quick fix on its lines.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS fixture, not Tracefix code
const vscode = require('vscode');

const MARKER = '# tracefix-ui-fixture';
const SAMPLE = `${MARKER}\ntotal = price * count\nprint(total)\n`;

exports.activate = function activate(context) {
  const decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em' },
  });
  context.subscriptions.push(
    decoration,
    vscode.commands.registerCommand('tracefixUiFixture.openSample', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content: SAMPLE });
      const editor = await vscode.window.showTextDocument(doc);
      editor.setDecorations(decoration, [
        {
          range: doc.lineAt(1).range,
          hoverMessage: new vscode.MarkdownString('**fixture hover**: total was 42'),
          renderOptions: { after: { contentText: 'total = 42' } },
        },
      ]);
    }),
    vscode.languages.registerCodeActionsProvider(
      { language: 'python' },
      {
        provideCodeActions(doc, range) {
          if (doc.lineAt(0).text !== MARKER) return [];
          const line = doc.lineAt(range.start.line);
          const action = new vscode.CodeAction(
            'Fixture fix: append comment',
            vscode.CodeActionKind.QuickFix,
          );
          action.edit = new vscode.WorkspaceEdit();
          action.edit.insert(doc.uri, line.range.end, '  # fixed');
          return [action];
        },
      },
    ),
  );
};

exports.deactivate = function deactivate() {};
