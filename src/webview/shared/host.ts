// The extension a webview talks to: VS Code injects `acquireVsCodeApi()` into the page once; the
// message types come from the host's protocol file, so both sides agree on them at compile time.

export interface Host<Out> {
  postMessage(message: Out): void;
}

declare function acquireVsCodeApi(): Host<unknown>;

/** The page's channel to the extension (call once per page, as VS Code allows). */
export function acquireHost<Out>(): Host<Out> {
  return acquireVsCodeApi();
}

/** Calls `handle` with each message the extension posts to the page. */
export function onHostMessage<In>(handle: (message: In) => void): void {
  window.addEventListener('message', (ev: MessageEvent<In>) => handle(ev.data));
}
