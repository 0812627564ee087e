// `npm run setup`, and the first step of `npm test`: makes this machine able to run every test layer.
// One file per prerequisite, run in order; each exports `name` and `ensure({ log, repo })` returning
//   { status: 'ok' | 'installed' | 'skipped' | 'missing', detail, command? }
// 'missing' stops the set-up with one line naming the exact command that fixes it. To add a
// prerequisite, write scripts/setup/<name>.mjs and list it in PREREQUISITES.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as apt from './apt.mjs';
import * as codeServer from './code-server.mjs';
import * as debugpy from './debugpy.mjs';
import * as pythons from './pythons.mjs';
import * as ruff from './ruff.mjs';

export const PREREQUISITES = [apt, debugpy, codeServer, pythons, ruff];

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs every prerequisite; returns true when the machine is ready. `only`: names to run. */
export function setup({ only } = {}) {
  const started = Date.now();
  for (const p of PREREQUISITES) {
    if (only && !only.includes(p.name)) continue;
    const log = (m) => console.log(`[setup] ${p.name}: ${m}`);
    const t = Date.now();
    const r = p.ensure({ log, repo });
    if (r.status === 'missing') {
      console.log(`[setup] ${p.name}: ${r.detail}`);
      console.log(`tracefix setup: cannot continue without ${p.name}; run: ${r.command}`);
      return false;
    }
    console.log(
      `[setup] ${p.name}: ${r.status}${r.detail ? ` (${r.detail})` : ''} ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  console.log(`[setup] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(setup() ? 0 : 2);
}
