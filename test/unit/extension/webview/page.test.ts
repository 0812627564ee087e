// The page both webviews are served in: nothing may run or load but the extension's own stylesheet
// and the script carrying this page's nonce.
import { describe, expect, it } from 'vitest';
import { WEBVIEW_ROOTS, webviewCsp, webviewHtml } from '../../../../src/extension/webview/page';

const page = { title: 'T', css: 'a.css', script: 'a', body: '<main id="m"></main>' };
const src = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'bm9uY2U=',
  uri: (f: string) => `https://file+.vscode-resource.vscode-cdn.net/ext/${f}`,
};

describe('webview page', () => {
  it('allows nothing by default, styles and fonts from the extension, scripts by nonce only', () => {
    const csp = webviewCsp(src.cspSource, src.nonce);
    const rules = Object.fromEntries(
      csp.split('; ').map((r): [string, string[]] => {
        const [name = '', ...values] = r.split(' ');
        return [name, values];
      }),
    );
    expect(rules).toEqual({
      'default-src': ["'none'"],
      'style-src': [src.cspSource],
      'font-src': [src.cspSource],
      'script-src': [`'nonce-${src.nonce}'`],
    });
  });

  it('serves the stylesheet from media/, the body, then the bundled script with the nonce, under that policy', () => {
    const html = webviewHtml(page, src);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${webviewCsp(src.cspSource, src.nonce)}">`,
    );
    expect(html).toContain(`<link rel="stylesheet" href="${src.uri('media/a.css')}">`);
    expect(html).toContain('<title>T</title>');
    expect(html).toContain('<main id="m"></main>');
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts).toEqual([` nonce="${src.nonce}" src="${src.uri('dist/webview/a.js')}"`]);
    expect(html.indexOf('<main')).toBeLessThan(html.indexOf('<script'));
  });

  it('serves only from the stylesheets and the bundled scripts (the resource roots of the view)', () => {
    expect(Object.values(WEBVIEW_ROOTS).sort()).toEqual(['dist/webview', 'media']);
  });
});
