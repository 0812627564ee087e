// code-server 4.100.3 in ~/.cache/tracefix (the real VS Code the vscode layer runs in).
import { CODE_SERVER_VERSION, codeServerDir, ensureCodeServer } from '../vscode-test/prepare.mjs';

export const name = 'code-server';

export function ensure({ log, repo }) {
  try {
    ensureCodeServer(repo, log);
    return { status: 'ok', detail: `code-server ${CODE_SERVER_VERSION} in ${codeServerDir()}` };
  } catch (e) {
    return {
      status: 'missing',
      detail: e instanceof Error ? e.message : String(e),
      command: 'bash scripts/vscode-test/install-code-server.sh',
    };
  }
}
