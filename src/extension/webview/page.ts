// The HTML page of Tracefix's webviews (the Timeline and the Explanation): one stylesheet from the
// extension's media folder, one script bundled from src/webview (dist/webview), a body, and a
// Content-Security-Policy that allows nothing else — no inline script without the page's nonce,
// nothing remote, no images, fonts only from the extension. Free of `vscode` (unit-tested);
// shell.ts serves it.

/** Where a webview's files are, relative to the extension's root: its only resource roots. */
export const WEBVIEW_ROOTS = { styles: 'media', scripts: 'dist/webview' } as const;

export interface WebviewPage {
  title: string;
  /** A stylesheet in media/. */
  css: string;
  /** The webview's script: src/webview/<script>/main.ts, bundled to dist/webview/<script>.js. */
  script: string;
  /** The page's markup inside <body>, before the script. */
  body: string;
}

export interface WebviewSources {
  /** `webview.cspSource`: where the webview may load the extension's files from. */
  cspSource: string;
  /** A fresh random nonce per page. */
  nonce: string;
  /** The webview URI of a file of the extension, given relative to its root. */
  uri(relPath: string): string;
}

export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function webviewHtml(page: WebviewPage, src: WebviewSources): string {
  const css = src.uri(`${WEBVIEW_ROOTS.styles}/${page.css}`);
  const script = src.uri(`${WEBVIEW_ROOTS.scripts}/${page.script}.js`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${webviewCsp(src.cspSource, src.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
<title>${page.title}</title>
</head>
<body>
${page.body.trim()}
<script nonce="${src.nonce}" src="${script}"></script>
</body>
</html>`;
}
