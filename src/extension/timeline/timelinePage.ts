// The timeline webview's page (no `vscode` import, so tests load it as the view does):
// src/webview/timeline builds the step list into #steps and the selected step's detail into #detail.
import type { WebviewPage } from '../webview/page';

export const TIMELINE_PAGE: WebviewPage = {
  title: 'Tracefix Timeline',
  css: 'timeline.css',
  script: 'timeline',
  body: `
<header>
  <div class="bar">
    <label for="recording">Recording</label>
    <select id="recording" title="Which recording the timeline and the editor show" disabled><option>No trace recorded yet</option></select>
    <button id="replay" disabled title="Replay the recording in the debugger from the selected step (Step Back works)">Replay</button>
    <button id="compare-with" disabled title="Compare this run with a passing one: the same test at an earlier commit, a passing sibling test, or another recording">Compare with…</button>
  </div>
  <div id="compare" role="status" hidden><div id="compare-title"></div><div id="compare-summary"></div><button id="compare-first" title="Select the first step where the two runs part">First divergence</button> <button id="compare-stop" title="Show this recording alone again">Stop comparing</button></div>
  <div id="note" hidden></div>
  <div id="stale" role="status" hidden><span id="stale-text"></span> <button id="rerun" title="Run the same target again and record it">Re-run</button></div>
  <div id="why" role="status" hidden><span id="why-text"></span> <button id="why-back" title="Select the next step of the chain, further back towards where the value was made">Back</button><button id="why-forward" title="Select the previous step of the chain, nearer the value asked about">Forward</button><button id="why-clear" title="Remove the why highlight from the timeline and the code">Clear</button></div>
  <div id="recorded-with"></div>
</header>
<main>
  <div id="steps" role="listbox" tabindex="0" aria-label="Recorded steps (use ← and → to move)"><p class="empty">Run <b>Tracefix: Trace Only</b> or <b>Explain &amp; Fix</b> on a Python file or test to record its steps.</p></div>
  <section id="detail" aria-live="polite"></section>
</main>
`,
};
