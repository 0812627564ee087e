// The layers of src/ and the imports between them, checked by `npm run lint` (depcruise src):
//   - no import cycle between files (type-only imports count: a cycle of types still ties the
//     modules together and breaks the order esbuild initialises them in), none between the
//     folders of src/core (each is a layer: dap, trace, render, model, …);
//   - src/core never imports `vscode` nor anything above it (cli, extension, webview); src/cli
//     never imports the editor;
//   - src/webview (browser code) imports only itself and the hosts' protocol files, which import
//     nothing but types; the extension never imports webview code;
//   - src/extension/contributes is free of `vscode` (scripts/manifest.mjs evaluates it in Node).

// `import 'vscode'` resolves to @types/vscode's index.d.ts where that is installed (so no .d.ts may
// be excluded from the cruise, or the import vanishes), and stays the bare name where it is not.
const VSCODE = ['^vscode$', '(^|/)node_modules/@types/vscode/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'Files of src/ import each other in a cycle.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-core-folder-cycle',
      severity: 'error',
      comment: 'Two folders of src/core depend on each other (through any of their files).',
      scope: 'folder',
      from: { path: '^src/core/' },
      to: { path: '^src/core/', circular: true },
    },
    {
      name: 'core-without-vscode',
      severity: 'error',
      comment: 'src/core and src/cli run without an editor: put editor glue in src/extension.',
      from: { path: '^src/(core|cli)/' },
      to: { path: VSCODE },
    },
    {
      name: 'core-below-everything',
      severity: 'error',
      comment: 'src/core must not import the CLI, the extension or the webviews.',
      from: { path: '^src/core/' },
      to: { path: '^src/(cli|extension|webview)/' },
    },
    {
      name: 'cli-without-editor',
      severity: 'error',
      comment: 'src/cli must not import the extension or the webviews.',
      from: { path: '^src/cli/' },
      to: { path: '^src/(extension|webview)/' },
    },
    {
      name: 'webview-sees-only-protocol',
      severity: 'error',
      comment:
        'A webview script runs in the browser: it imports only src/webview and the message types of its host (src/extension/*/protocol.ts).',
      from: { path: '^src/webview/' },
      to: { pathNot: ['^src/webview/', '^src/extension/[^/]+/protocol\\.ts$'] },
    },
    {
      name: 'protocol-is-types',
      severity: 'error',
      comment: 'A protocol file is shared with browser code: it imports types only.',
      from: { path: '^src/extension/[^/]+/protocol\\.ts$' },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'extension-not-webview',
      severity: 'error',
      comment: 'The extension talks to a webview through messages, never by importing its code.',
      from: { path: '^src/(extension|core|cli)/' },
      to: { path: '^src/webview/' },
    },
    {
      name: 'contributes-without-vscode',
      severity: 'error',
      comment: 'scripts/manifest.mjs evaluates src/extension/contributes in Node, without VS Code.',
      from: { path: '^src/extension/contributes/' },
      to: { path: VSCODE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
  },
};
