// Redaction of what the CLI prints: `fix --json` always, `trace` with --redact. The same rules as the
// prompts (redact.ts), plus the secret values of this environment: the API keys and
// the values of secret-named variables (see secretValues.ts).
import { learnSecrets } from './learnSecrets';
import { redact } from './redact';
import { envSecrets } from './secretValues';
import type { Trace } from '../trace/model';

/** The API keys and secret variable values of `env`, which are never printed or sent to a model. */
export function secretsOf(env: NodeJS.ProcessEnv, apiKey?: string): string[] {
  const keys = [apiKey, env.OPENAI_API_KEY, env.TRACEFIX_API_KEY].filter((k): k is string =>
    Boolean(k),
  );
  return [...new Set([...keys, ...envSecrets(env)])];
}

/** Secret values the rules find in a trace's sources and output (a URL's password in the code…). */
export function secretsInTrace(trace: Trace, known: readonly string[]): string[] {
  return learnSecrets(
    [...trace.sources.map((s) => s.text), ...trace.output.map((o) => o.text)],
    known,
  );
}

/** Every string inside `value` redacted (object keys stay). For JSON output. */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, { secrets }).text;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v, secrets)]),
    );
  }
  return value;
}

/**
 * Output chunks redacted one by one. The trace writers cut chunks between whole lines (NExT) or
 * whole JSON rows, so no value is split across two chunks; `<redacted>` contains no character that
 * needs escaping in JSON, so JSON stays valid.
 */
export function* redactChunks(
  chunks: Iterable<string>,
  secrets: readonly string[],
): Generator<string> {
  for (const chunk of chunks) yield redact(chunk, { secrets }).text;
}
