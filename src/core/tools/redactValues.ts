// Recorded values as a model may see them. Tools match, compare and search these redacted values,
// never the raw ones: a yes/no answer about a raw value ("password != 'hunter2'" found nowhere)
// would tell the secret as surely as printing it. Each value is redacted with its name, as the
// prompt's `name=value;` entries are (so the rules about secret names apply), and cached.
import { redact } from '../redact/redact';

const MAX_CACHE = 200_000;

export class ValueRedactor {
  private readonly cache = new Map<string, string>();

  /** `secrets` may grow while the redactor is in use (secrets learned from later prompts). */
  constructor(private readonly secrets: readonly string[]) {}

  /** The value of `name` (a variable, a path into a value, `__return__`) redacted. */
  value(name: string, raw: string): string {
    const key = `${name}\u0000${raw}`;
    let v = this.cache.get(key);
    if (v === undefined) {
      const head = `${name}=`;
      const out = redact(head + raw, { secrets: this.secrets }).text;
      // A rule may rewrite the name too (it never does today); then the whole text is the value.
      v = out.startsWith(head) ? out.slice(head.length) : out;
      if (this.cache.size >= MAX_CACHE) this.cache.clear();
      this.cache.set(key, v);
    }
    return v;
  }

  /** Free text (printed output, an exception message, a source line); `context`: the text around
   * it, for a secret printed across lines. */
  text(raw: string, context?: { before: string; after: string }): string {
    return redact(raw, { secrets: this.secrets, context }).text;
  }

  /** How many secrets the list holds now (a grown list makes cached values stale). */
  get secretCount(): number {
    return this.secrets.length;
  }
}
