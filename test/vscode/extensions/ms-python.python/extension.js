// The subset of the Python extension's API (@vscode/python-extension) that Tracefix calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS stand-in, not Tracefix code
const vscode = require('vscode');

function selected(resource) {
  const p = vscode.workspace.getConfiguration('pythonStandIn', resource).get('selectedInterpreter');
  return typeof p === 'string' && p ? p : undefined;
}

exports.activate = () => ({
  environments: {
    getActiveEnvironmentPath(resource) {
      const p = selected(resource);
      return { id: p ?? 'none', path: p };
    },
    async resolveEnvironment(env) {
      const p = typeof env === 'string' ? env : env && env.path;
      return p ? { id: p, path: p, executable: { uri: vscode.Uri.file(p) } } : undefined;
    },
  },
});
