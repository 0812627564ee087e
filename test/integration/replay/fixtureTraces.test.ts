// The replay tests run on test/fixtures/traces/*.json: they must be what the recorder records today.
// Each program is recorded again with the fixtures' interpreter and compared with the committed
// file (run-dependent fields normalised, test/support/fixtureTraces.ts). After an intended recorder
// change: `npm run fixtures:traces` (UPDATE_FIXTURES=1) rewrites them; review the diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../../src/core/trace/json';
import { FIXTURES, fixturePath, fixtureText, recordFixture } from '../../support/fixtureTraces';

const minor = (version: string) => version.split('.').slice(0, 2).join('.');

describe.each(FIXTURES)('replay fixture %s', (name) => {
  it('is what the recorder records now', async () => {
    const fresh = fixtureText(await recordFixture(name));
    if (process.env.UPDATE_FIXTURES) writeFileSync(fixturePath(name), fresh);
    const committed = readFileSync(fixturePath(name), 'utf8');
    const was = parseTrace(committed, name);
    const now = parseTrace(fresh, name);
    // Another patch release of the same Python records the same; another minor version may not.
    expect(
      minor(now.interpreter.version),
      'record with the Python the fixtures were made with',
    ).toBe(minor(was.interpreter.version));
    const { interpreter: _was, ...expected } = JSON.parse(committed) as Record<string, unknown>;
    const { interpreter: _now, ...actual } = JSON.parse(fresh) as Record<string, unknown>;
    expect(actual).toEqual(expected);
  });
});
