// `npm run bench -- secrets`: how much of the secrets corpus (test/support/secretsCorpus.ts) redaction
// catches on each path to a model, per encoding, and what redaction with known secrets costs per
// megabyte of text (it must stay linear in the text's size).
//   1. coverage: every form of every corpus secret, in the round-2 prompt (buildPrompt with the
//      output quoted under "Earlier attempts") and in the tool answers (search_values, state_at_step
//      over a recording whose output and values hold every form);
//   2. time: redact() with the corpus secrets known, on 1 MB and 4 MB of code, of hex and of
//      base64-looking text (MB/s should not fall as the size grows).
import { learnSecrets } from '../../src/core/redact/learnSecrets';
import { buildPrompt } from '../../src/core/model/prompt';
import { redact } from '../../src/core/redact/redact';
import { TRACE_TOOLS, ToolSession } from '../../src/core/tools';
import type { Trace } from '../../src/core/trace/model';
import { TraceBuilder } from '../../test/unit/render/traceBuilder';
import {
  caught,
  CORPUS_ENCODINGS,
  CORPUS_SECRETS,
  corpusEntry,
  corpusText,
  expectedMiss,
  marker,
  pyStrRepr,
  CORPUS_ENV_SECRETS as ENV,
  CORPUS_SOURCE as SOURCE,
} from '../../test/support/secretsCorpus';

const cases = CORPUS_SECRETS.flatMap((s) => CORPUS_ENCODINGS.map((e) => ({ s, e })));

function promptText(): string {
  const block = corpusText();
  const built = buildPrompt(
    {
      files: [{ path: 'leaky.py', text: SOURCE }],
      command: 'python -m pytest test_leaky.py',
      error: block,
      previousAttempts: [{ patchSummary: 'print the environment', failure: block }],
    },
    { secrets: ENV },
  );
  return built.request.messages[1]?.content ?? '';
}

function recording(): Trace {
  const b = new TraceBuilder().source('leaky.py', SOURCE);
  b.call('leaky.py', 'leak', 4, { values: '{...}' });
  for (const c of cases) b.line(5, { line: pyStrRepr(corpusEntry(c.e, c.s)) });
  const trace = b.build();
  trace.output = [{ stream: 'stdout', text: `${corpusText()}\n`, afterEvent: 1 }];
  return trace;
}

function coverage(): void {
  const prompt = promptText();
  const trace = recording();
  const secrets = [...ENV, ...learnSecrets([SOURCE, corpusText()], ENV)];
  const session = new ToolSession(trace, {
    tools: TRACE_TOOLS,
    secrets,
    limits: { valueWidth: 4000, maxChars: 20_000 },
  });
  const row = new Map<string, { prompt: number; tools: number; n: number; scope: boolean }>();
  let promptCaught = 0;
  let toolCaught = 0;
  let inScope = 0;
  let inScopePrompt = 0;
  let inScopeTools = 0;
  for (const c of cases) {
    const repr = pyStrRepr(corpusEntry(c.e, c.s));
    const step = trace.events.find((ev) => ev.changed.line === repr)?.step ?? -1;
    const p = caught(prompt, c.e, c.s);
    const t =
      caught(session.call('search_values', { text: marker(c.e, c.s) }).text, c.e, c.s) &&
      caught(session.call('state_at_step', { step }).text, c.e, c.s);
    const r = row.get(c.e.id) ?? { prompt: 0, tools: 0, n: 0, scope: !c.e.outOfScope };
    r.prompt += p ? 1 : 0;
    r.tools += t ? 1 : 0;
    r.n++;
    row.set(c.e.id, r);
    promptCaught += p ? 1 : 0;
    toolCaught += t ? 1 : 0;
    if (!expectedMiss(c.e, c.s)) {
      inScope++;
      inScopePrompt += p ? 1 : 0;
      inScopeTools += t ? 1 : 0;
    }
  }
  console.log(
    `\nSecrets corpus: ${CORPUS_SECRETS.length} secrets x ${CORPUS_ENCODINGS.length} encodings = ${cases.length} forms`,
  );
  console.log('encoding                                   prompt  tools');
  for (const e of CORPUS_ENCODINGS) {
    const r = row.get(e.id);
    if (!r) continue;
    const name = `${e.id} ${e.name}${e.outOfScope ? ' (out of scope)' : ''}`.padEnd(42);
    console.log(`${name} ${`${r.prompt}/${r.n}`.padStart(6)} ${`${r.tools}/${r.n}`.padStart(6)}`);
  }
  console.log(
    `all forms:      prompt ${promptCaught}/${cases.length}, tool answers ${toolCaught}/${cases.length}`,
  );
  console.log(
    `forms in scope: prompt ${inScopePrompt}/${inScope}, tool answers ${inScopeTools}/${inScope}`,
  );
}

function time(label: string, text: string): void {
  const mb = text.length / 1e6;
  const cells = [[], CORPUS_SECRETS.map((s) => s.value)].map((secrets) => {
    redact(text.slice(0, 1000), { secrets });
    const t0 = performance.now();
    const r = redact(text, { secrets });
    const ms = performance.now() - t0;
    return `${ms.toFixed(0).padStart(6)} ms ${(mb / (ms / 1000)).toFixed(2).padStart(6)} MB/s ${String(r.count).padStart(3)}`;
  });
  console.log(`${label.padEnd(22)} ${mb.toFixed(1).padStart(4)} MB  ${cells.join('   ')}`);
}

function speed(): void {
  console.log(
    '\nredact()                        no known secrets            the 5 corpus secrets known',
  );
  console.log(
    'text                    size       time    speed  redacted    time    speed  redacted',
  );
  const code = `def f(x):\n    return {"key": x, "n": 12345, "path": "/usr/lib/x.py"}  # comment\n`;
  const hex = '0123456789abcdef'.split('');
  let seed = 7;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  const hexText = (n: number): string => Array.from({ length: n }, () => hex[rnd(16)]).join('');
  const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const b64Text = (n: number): string =>
    Array.from({ length: n }, (_, i) => (i % 77 === 76 ? '\n' : b64[rnd(64)])).join('');
  for (const mb of [1, 4]) {
    const n = mb * 1_000_000;
    time(`code`, code.repeat(Math.ceil(n / code.length)).slice(0, n));
    time(`random hex`, hexText(n));
    time(`random base64 lines`, b64Text(n));
  }
}

coverage();
speed();
