// Access paths of the statement rows (UseRow, from the recorder's `ast` pass): `x`, `x.attr`,
// `x[]`, `x.attr[]`, `x.m()`. The slice resolves each to the name's binding in the frame and, for
// what it holds, to the object's state under a key: the attribute, `[]` for items, or any part.

export interface AccessPath {
  /** The local, closure or global name the path starts from. */
  root: string;
  /** The first attribute read or written through it (deeper attributes fold into it). */
  attr?: string;
  /** An item (`x[k]`) of the name or of its attribute. */
  item: boolean;
  /** A method called on what the name holds (`x.m()`): reads the whole object. */
  method?: string;
}

/** Key of an object's part: an attribute name, ITEMS for items, ANY_PART for any part. */
export const ITEMS = '[]';
export const ANY_PART = '*';

const PATH = /^([A-Za-z_][\w]*)(?:\.([A-Za-z_][\w]*)(\(\))?)?(\[\])?$/;

const parsed = new Map<string, AccessPath | null>();

/** The access path of a row's entry (memoised: rows repeat the same few paths on every run). */
export function parsePath(p: string): AccessPath | undefined {
  let hit = parsed.get(p);
  if (hit === undefined) {
    hit = parse(p) ?? null;
    if (parsed.size < 100_000) parsed.set(p, hit);
  }
  return hit ?? undefined;
}

function parse(p: string): AccessPath | undefined {
  const m = PATH.exec(p);
  if (!m) return undefined;
  const out: AccessPath = { root: m[1] as string, item: m[4] !== undefined };
  if (m[2] !== undefined) {
    if (m[3] !== undefined) out.method = m[2];
    else out.attr = m[2];
  }
  return out;
}

/** The part of the object (held by the path's root) a path reads or writes: its attribute, its
 * items, or (a method call, the whole value) any part. */
export function partOf(p: AccessPath): string {
  if (p.attr !== undefined) return p.attr;
  if (p.item) return ITEMS;
  return ANY_PART;
}

/** A recorded delta path (`memo[3, 5]`, `node.next`, `seen`) as root and part. */
export function deltaPart(path: string): { root: string; part: string } | undefined {
  const m = /^([A-Za-z_]\w*)(?:(\.)([A-Za-z_]\w*)|(\[))?/.exec(path);
  if (!m) return undefined;
  return { root: m[1] as string, part: m[2] ? (m[3] as string) : m[4] ? ITEMS : ANY_PART };
}
