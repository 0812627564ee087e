// The Explanation webview's page (no `vscode` import, so tests load it as the view does):
// src/webview/explain renders the banner into #banner and the rounds into #rounds.
import type { WebviewPage } from '../webview/page';

// Nothing remote: the stylesheet and the script from the extension only, no images, fonts or frames.
export const EXPLANATION_PAGE: WebviewPage = {
  title: 'Tracefix Explanation',
  css: 'explain.css',
  script: 'explain',
  body: `
<header id="banner" class="banner kind-empty" role="status" aria-live="polite">
  <div class="banner-head"><span class="icon" aria-hidden="true"></span><span id="banner-title">No explanation yet</span></div>
  <div id="banner-detail">Run <b>Tracefix: Explain &amp; Fix</b> on a failing test or script: the rationale streams in here, with a fix checked against the test.</div>
  <div id="banner-actions" class="buttons"></div>
</header>
<div id="title"></div>
<main id="rounds"></main>
`,
};
