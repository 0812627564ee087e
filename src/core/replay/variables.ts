// Variable references for one stop: scopes list recorded locals, and a value whose repr is a
// list/tuple/dict/set literal expands into its items (split from the text, see reprSplit.ts), to any
// depth. References are only valid until the position changes (`reset`).

import type { DebugProtocol } from '@vscode/debugprotocol';
import { splitRepr } from './reprSplit';

type Container =
  { kind: 'entries'; entries: Array<[string, string]> } | { kind: 'repr'; repr: string };

export const TRUNCATED_NAME = '…';
export const TRUNCATED_VALUE = '(the recorded repr was cut here)';

export class VariableStore {
  private readonly containers = new Map<number, Container>();
  private nextRef = 1;

  reset(): void {
    this.containers.clear();
    this.nextRef = 1;
  }

  /** A reference listing these name/repr pairs in order. */
  entries(entries: Array<[string, string]>): number {
    return this.add({ kind: 'entries', entries });
  }

  /** A reference expanding `repr`, or 0 when it is not an expandable literal. */
  forRepr(repr: string): number {
    const split = splitRepr(repr);
    if (split === undefined || (split.entries.length === 0 && !split.truncated)) return 0;
    return this.add({ kind: 'repr', repr });
  }

  /** The children of a reference, or undefined for an unknown (stale) reference. */
  variables(ref: number): DebugProtocol.Variable[] | undefined {
    const c = this.containers.get(ref);
    if (c === undefined) return undefined;
    if (c.kind === 'entries')
      return c.entries.map(([name, value]) => this.variable(name, value, name));
    const split = splitRepr(c.repr);
    if (split === undefined) return [];
    const out = split.entries.map((entry, i) => this.variable(entry.key ?? String(i), entry.value));
    if (split.truncated)
      out.push({
        name: TRUNCATED_NAME,
        value: split.more !== undefined ? `(${split.more} more, not recorded)` : TRUNCATED_VALUE,
        variablesReference: 0,
        presentationHint: { attributes: ['readOnly'] },
      });
    return out;
  }

  /** `evaluateName` only for recorded names: items inside a repr cannot be evaluated in a replay. */
  variable(name: string, value: string, evaluateName?: string): DebugProtocol.Variable {
    const v: DebugProtocol.Variable = {
      name,
      value,
      variablesReference: this.forRepr(value),
      presentationHint: { attributes: ['readOnly'] },
    };
    if (evaluateName !== undefined) v.evaluateName = evaluateName;
    return v;
  }

  private add(c: Container): number {
    const ref = this.nextRef++;
    this.containers.set(ref, c);
    return ref;
  }
}
