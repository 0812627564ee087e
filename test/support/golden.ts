// Golden files of NExT texts. Python 3.12 changed what a recording sees (PEP 709 inlines list, set and
// dict comprehensions: no frame of their own, no per-item events), so a fixture may carry an
// override for 3.12 and later in golden/py3.12/<name>.txt; every other fixture has one golden file.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export function goldenFile(dir: string, name: string, pythonVersion: string): string {
  const [major, minor] = pythonVersion.split('.').map(Number);
  const modern = (major ?? 0) > 3 || ((major ?? 0) === 3 && (minor ?? 0) >= 12);
  const override = path.join(dir, 'py3.12', `${name}.txt`);
  return modern && existsSync(override) ? override : path.join(dir, `${name}.txt`);
}
