// Golden files of NExT texts. Python 3.12 changed what a recording sees (PEP 709 inlines list, set and
// dict comprehensions into their function: no frame of their own), so a fixture may carry an
// override for 3.12 and later in golden/py3.12/<name>.txt. pydevd's stepping on 3.13 does not stop
// on each turn of an inlined comprehension (it does on 3.12), so the stepping engine's text for
// such fixtures is golden/py3.13/<name>.step.txt. The newest matching file wins.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export function goldenFile(
  dir: string,
  name: string,
  pythonVersion: string,
  engine?: string,
): string {
  const [major = 0, minor = 0] = pythonVersion.split('.').map(Number);
  const at = major * 100 + minor;
  const candidates: string[] = [];
  for (const v of [313, 312]) {
    if (at < v) continue;
    const folder = path.join(dir, `py${Math.floor(v / 100)}.${v % 100}`);
    if (engine) candidates.push(path.join(folder, `${name}.${engine}.txt`));
    candidates.push(path.join(folder, `${name}.txt`));
  }
  return candidates.find((c) => existsSync(c)) ?? path.join(dir, `${name}.txt`);
}
