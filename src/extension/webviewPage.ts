// The HTML page of Tracefix's webviews (the Timeline and the Explanation): one stylesheet and its
// scripts from the extension's media folder, a body, and a Content-Security-Policy that allows
// nothing else — no inline script without the page's nonce, nothing remote, no images, fonts only
// from the extension. Free of `vscode` (unit-tested); webviewShell.ts serves it.

export interface WebviewPage {
  title: string;
  /** File names in media/; the scripts run in this order. */
  css: string;
  scripts: string[];
  /** The page's markup inside <body>, before the script. */
  body: string;
}

export interface WebviewSources {
  /** `webview.cspSource`: where the webview may load the extension's files from. */
  cspSource: string;
  /** A fresh random nonce per page. */
  nonce: string;
  /** The webview URI of a file in media/. */
  media(file: string): string;
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
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${webviewCsp(src.cspSource, src.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${src.media(page.css)}">
<title>${page.title}</title>
</head>
<body>
${page.body.trim()}
${page.scripts.map((f) => `<script nonce="${src.nonce}" src="${src.media(f)}"></script>`).join('\n')}
</body>
</html>`;
}
