// Passes streamed answer text through until the first code fence, so a UI can show the rationale
// (and the Summary line before the code) live without echoing the code it will show as a diff.
// A line is held back only while it could still turn into a fence (``` or ~~~).
const FENCE = /^[ \t]*(?:```|~~~)/;
const MAYBE_FENCE = /^[ \t]*(?:`{0,2}|~{0,2})$/;

export class RationaleStream {
  private pending = '';
  /** The current line is known not to be a fence: pass its characters straight through. */
  private lineDecided = false;
  private stopped = false;

  /** True once a code fence was seen; nothing more is passed. */
  get done(): boolean {
    return this.stopped;
  }

  /** Text to show for this delta ('' when held back or after the code started). */
  push(delta: string): string {
    if (this.stopped) return '';
    let out = '';
    for (const ch of delta) {
      if (this.lineDecided) {
        out += ch;
        if (ch === '\n') this.lineDecided = false;
        continue;
      }
      this.pending += ch;
      if (FENCE.test(this.pending)) {
        this.stopped = true;
        this.pending = '';
        return out;
      }
      if (ch === '\n' || !MAYBE_FENCE.test(this.pending)) {
        out += this.pending;
        this.pending = '';
        this.lineDecided = ch !== '\n';
      }
    }
    return out;
  }

  /** Whatever is still held back at the end of the answer (a last line of backticks or spaces). */
  flush(): string {
    if (this.stopped) return '';
    const rest = this.pending;
    this.pending = '';
    return rest;
  }
}
