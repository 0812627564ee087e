// The secrets corpus (test/support/secretsCorpus.ts) through every path to a model: the prompt of
// round 1 and of round 2 (the verification output a patch printed, quoted under "Earlier attempts"),
// and the trace tools' answers (search_values, state_at_step) over a recording whose output and
// values hold every form. Each form of each secret must be caught, except the few out of scope.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { learnSecrets } from '../../../src/core/redact/learnSecrets';
import { buildPrompt } from '../../../src/core/model/prompt';
import { TRACE_TOOLS, ToolSession } from '../../../src/core/tools';
import {
  caught,
  CORPUS_ENCODINGS,
  CORPUS_PY,
  CORPUS_SECRETS,
  corpusEntry,
  corpusText,
  expectedMiss,
  marker,
  pyStrRepr,
  CORPUS_ENV_SECRETS,
  CORPUS_SOURCE,
} from '../../support/secretsCorpus';
import { TraceBuilder } from '../render/traceBuilder';

const cases = CORPUS_SECRETS.flatMap((s) =>
  CORPUS_ENCODINGS.map((e) => ({ s, e, label: `${marker(e, s)} ${e.name}` })),
);
const expected = cases.filter((c) => !expectedMiss(c.e, c.s));

describe('the secrets corpus', () => {
  it('Python prints the same entries as the TypeScript corpus', () => {
    const values = Object.fromEntries(CORPUS_SECRETS.map((s) => [s.id, s.value]));
    const r = spawnSync(
      'python3',
      [
        '-c',
        `${CORPUS_PY}\nimport json, sys\nfor l in corpus_lines(json.loads(sys.argv[1])):\n    print(l)`,
        JSON.stringify(values),
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    // zlib's bytes differ between Node's and Python's builds; the rest must be identical.
    const notZlib = (text: string): string =>
      text.replace(/\[E29\/(S\d) [^\]]* E29\/\1\]/g, '[E29]');
    expect(notZlib(r.stdout.trimEnd())).toBe(notZlib(corpusText()));
  });

  it(`${expected.length} of ${cases.length} forms are in scope; none of them reaches the round-1 or round-2 prompt`, () => {
    const block = corpusText();
    const built = buildPrompt(
      {
        files: [{ path: 'leaky.py', text: CORPUS_SOURCE }],
        command: 'python -m pytest test_leaky.py',
        error: block,
        previousAttempts: [{ patchSummary: 'print the environment', failure: block }],
      },
      { secrets: CORPUS_ENV_SECRETS },
    );
    const user = built.request.messages[1]?.content ?? '';
    expect(user).toContain('[E01/S1 ');
    const missed = expected.filter((c) => !caught(user, c.e, c.s)).map((c) => c.label);
    expect(missed).toEqual([]);
  });

  it('none of them reaches a tool answer (search_values, state_at_step) over the output and the values', () => {
    const b = new TraceBuilder().source('leaky.py', CORPUS_SOURCE);
    b.call('leaky.py', 'leak', 4, { values: '{...}' });
    for (const c of cases) b.line(5, { line: pyStrRepr(corpusEntry(c.e, c.s)) });
    const trace = b.build();
    const steps = new Map<string, number>();
    for (const c of cases) {
      const repr = pyStrRepr(corpusEntry(c.e, c.s));
      steps.set(c.label, trace.events.find((ev) => ev.changed.line === repr)?.step ?? -1);
    }
    trace.output = [{ stream: 'stdout', text: `${corpusText()}\n`, afterEvent: 1 }];
    const known = [...CORPUS_ENV_SECRETS];
    const secrets = [...known, ...learnSecrets([CORPUS_SOURCE, corpusText()], known)];
    const session = new ToolSession(trace, {
      tools: TRACE_TOOLS,
      secrets,
      limits: { valueWidth: 4000, maxChars: 20_000 },
    });
    const missed: string[] = [];
    for (const c of expected) {
      const found = session.call('search_values', { text: marker(c.e, c.s) });
      const state = session.call('state_at_step', { step: steps.get(c.label) ?? -1 });
      expect(found.text, c.label).toContain(`[${marker(c.e, c.s)} `);
      if (!caught(found.text, c.e, c.s)) {
        missed.push(`search_values ${c.label}`);
        if (process.env.DEBUG_CORPUS) console.log(found.text);
      }
      if (!caught(state.text, c.e, c.s)) missed.push(`state_at_step ${c.label}`);
    }
    expect(missed).toEqual([]);
  });
});
