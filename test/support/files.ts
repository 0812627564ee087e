// Test helper: the contents of a folder tree, to assert that nothing in it changed.
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Every file under dir with its content, for "untouched" comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out[path.relative(dir, p)] = readFileSync(p, 'utf8');
      else if (e.isSymbolicLink()) out[path.relative(dir, p)] = `-> ${p}`;
    }
  };
  walk(dir);
  return out;
}
