// `npm run lint`'s Python part: `ruff check` and `ruff format --check` (rules and files: ruff.toml)
// with the pinned ruff that `npm run setup` installs (scripts/setup/ruff.mjs).
//   node scripts/lint-python.mjs          check, exit 1 on findings
//   node scripts/lint-python.mjs --fix    apply ruff's safe fixes and format
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUFF_BIN, RUFF_VERSION } from './setup/ruff.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (!existsSync(RUFF_BIN)) {
  console.error(
    `ruff ${RUFF_VERSION} is not installed: run \`npm run setup\` (it installs ${RUFF_BIN}).`,
  );
  process.exit(2);
}
const fix = process.argv.includes('--fix');
const steps = fix ? [['check', '--fix'], ['format']] : [['check'], ['format', '--check']];
let failed = false;
for (const args of steps) {
  const r = spawnSync(RUFF_BIN, [...args, '.'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
