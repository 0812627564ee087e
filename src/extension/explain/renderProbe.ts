// What the Explanation webview rendered, as it reports it back — only when the extension runs under
// its own tests (ExtensionMode.Test): the suites check the view itself, not just the state behind
// it. Users' webviews are never asked to report, so nothing of this is sent for them.
import type { RenderedView } from './protocol';

/** Most texts kept per streaming round (a long answer re-renders hundreds of times). */
const MAX_STREAMED = 500;

export class RenderProbe {
  private session: number | undefined;
  private last: RenderedView | undefined;
  /** Per round, the texts rendered while it streamed (tests compare them with the final one). */
  private streamed = new Map<number, string[]>();

  /** The view follows session `id` from now on: what was rendered of another one is dropped. */
  follow(id: number): void {
    this.session = id;
    this.last = undefined;
    this.streamed = new Map();
  }

  /** A report of the webview (ignored if malformed or of another session). */
  take(m: RenderedView): void {
    if (m.session !== this.session || !Array.isArray(m.rounds)) return;
    this.last = { session: m.session, banner: m.banner, rounds: m.rounds, inView: m.inView };
    for (const r of m.rounds) {
      if (!r.streaming) continue;
      const list = this.streamed.get(r.index) ?? [];
      if (list[list.length - 1] !== r.text && list.length < MAX_STREAMED) list.push(r.text);
      this.streamed.set(r.index, list);
    }
  }

  get rendered(): RenderedView | undefined {
    return this.last;
  }

  streamedRenders(round: number): readonly string[] {
    return this.streamed.get(round) ?? [];
  }
}
