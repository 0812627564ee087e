// The attack that sent the user's OpenAI key to a non-OpenAI endpoint, end to end: a program (and
// then the model's patch) prints the key and a short source password in every form of the secrets
// corpus — chunked base64, spaced characters, XOR-hex among them; two rounds of `tracefix fix`
// against the scripted OpenAI server on 127.0.0.1, the model querying both recordings with
// search_values and state_at_step. No form in scope may survive in any request the server received
// (prompts of both rounds and every tool answer), nor in `fix --json`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caught,
  CORPUS_ENCODINGS,
  CORPUS_PY,
  CORPUS_SECRETS,
  expectedMiss,
  marker,
  SOURCE_PASSWORD_LINE,
} from '../support/secretsCorpus';
import { startOpenAIServer, steps, type OpenAIServer } from '../support/openaiServer';
import { buildCli, fixAnswer, runCli } from './cliRun';

const [KEY, , , , PASSWORD] = CORPUS_SECRETS;
const SECRETS = [KEY, PASSWORD].map((s) => ({ id: s.id, value: s.value }));

let cli: { cli: string; dispose: () => void };
let dir: string;
let server: OpenAIServer | undefined;
beforeAll(async () => {
  cli = await buildCli();
  dir = mkdtempSync(path.join(os.tmpdir(), 'tfx-secrets-corpus-'));
});
afterAll(async () => {
  await server?.close();
  cli.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The module: it prints every form of the key (from the environment) and of its own password. */
const leak = (result: string): string => `import os
${SOURCE_PASSWORD_LINE}
${CORPUS_PY}

def leak():
    # The key last: the end of the output is what round 2's prompt quotes.
    values = {'${PASSWORD.id}': PASSWORD, '${KEY.id}': os.environ.get('OPENAI_API_KEY', '')}
    for line in corpus_lines(values):
        print(line)
    # The forms of the attack once more at the end: round 2's prompt quotes the end of the output.
    for line in corpus_lines({'${KEY.id}': values['${KEY.id}']}, only=('E11', 'E04', 'E26')):
        print(line)


def total(xs):
    leak()
    return ${result}
`;

const TEST = 'from module import total\n\n\ndef test_total():\n    assert total([1, 2, 3]) == 6\n';

/** The body of module.py a fix answer gives (the whole module: the corpus code must stay). */
const fixed = (result: string): string => leak(result).trimEnd();

/** Tool calls asking for entries (`E11/S1`…) in a recording. */
const queries = (marks: string[], run?: string) =>
  marks.map((text) => ({ name: 'search_values', arguments: { text, ...(run ? { run } : {}) } }));
const ATTACK = ['E11/S1', 'E04/S1', 'E26/S1', 'E12/S1', 'E25/S1', 'E01/S5'];

describe('the secrets corpus through two rounds of tracefix fix', () => {
  it('no form of the key or the password reaches the model, in prompts or tool answers, nor --json', async () => {
    writeFileSync(path.join(dir, 'module.py'), leak('sum(xs) + 1'));
    writeFileSync(path.join(dir, 'test_module.py'), TEST);
    server = await startOpenAIServer([
      steps.tools(queries([...ATTACK, 'E19/S1', 'E24/S5'])),
      steps.answer(fixAnswer('module.py', fixed('sum(xs) + 2'), 'Add two.')),
      steps.tools([
        ...queries(ATTACK, 'patched'),
        { name: 'state_at_step', arguments: { step: 3, run: 'patched' } },
      ]),
      steps.answer(fixAnswer('module.py', fixed('sum(xs)'), 'Return the sum.')),
    ]);
    const r = await runCli(
      cli.cli,
      ['fix', '--test', 'test_module.py::test_total', '--json', '--no-sandbox'],
      dir,
      {
        TRACEFIX_BASE_URL: server.url,
        TRACEFIX_API_KEY: 'local-endpoint-key-98765',
        OPENAI_API_KEY: KEY.value,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const bodies = server.completions().map((q) => q.body as { messages: { content?: string }[] });
    expect(bodies).toHaveLength(4);
    const texts = bodies.flatMap((b) => b.messages.map((m) => m.content ?? ''));
    const everything = texts.join('\n\n');
    // The attack's forms did reach the model's inputs (redacted): in round 2's prompt and in the
    // tool answers about the patched run.
    const round2 = bodies[2]?.messages.map((m) => m.content ?? '').join('\n') ?? '';
    for (const e of ['E11', 'E04', 'E26']) expect(round2).toContain(`[${e}/${KEY.id} `);
    const answers = bodies[3]?.messages.slice(-7).map((m) => m.content ?? '') ?? [];
    expect(answers.join('\n')).toContain(`[E26/${KEY.id} `);
    const missed: string[] = [];
    for (const s of SECRETS)
      for (const e of CORPUS_ENCODINGS) {
        if (expectedMiss(e, s) || !everything.includes(`[${marker(e, s)} `)) continue;
        if (!caught(everything, e, s)) missed.push(`${marker(e, s)} ${e.name}`);
        if (!caught(r.stdout.replace(/\\n/g, '\n'), e, s) && r.stdout.includes(`[${marker(e, s)} `))
          missed.push(`--json ${marker(e, s)}`);
      }
    expect(missed).toEqual([]);
    expect(everything).not.toContain(KEY.value);
    expect(everything.includes(KEY.value.slice(8, 24))).toBe(false);
    expect(r.stdout).not.toContain(KEY.value);
  });
});
