// `tracefix` command line: argument parsing and printing only; the work is in src/core.
import * as path from 'node:path';
import { EXIT, checkOutputPath, recordOptions, targetFiles, writeChunks } from './common';
import { UserError, errorMessage, isUserError } from '../core/errors';
import { renderNext } from '../core/render/next';
import { preloadTokenizer } from '../core/render/tokens';
import { traceJsonChunks } from '../core/trace/json';
import { recordTrace } from '../core/trace/record';
import { TRACE_OPTIONS, parse, splitDashDash, traceArgs } from './args';
import { benchCommand } from './benchCommand';
import { diffCommand } from './diffCommand';
import { fixCommand } from './fixCommand';
import { mcpCommand } from './mcpCommand';
import { HELP, TRACE_HELP } from './help';
import { redactChunks, secretsInTrace, secretsOf } from '../core/redact/output';
import { redact } from '../core/redact/redact';
// Only `version` is bundled: esbuild keeps just the JSON fields that are imported by name.
import { version as VERSION } from '../../package.json';

async function traceCommand(argv: string[], signal: AbortSignal): Promise<number> {
  const [own, programArgs] = splitDashDash(argv);
  const { values, positionals } = parse(own, {
    ...TRACE_OPTIONS,
    format: { type: 'string' },
    out: { type: 'string' },
    redact: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(TRACE_HELP);
    return EXIT.ok;
  }
  const a = traceArgs(values, positionals, programArgs);
  const format = values.format ?? 'next';
  if (format !== 'next' && format !== 'json')
    throw new UserError('bad-argument', `--format must be next or json (got ${format}).`);
  if (values.out) checkOutputPath(values.out, targetFiles(a));
  const trace = await recordTrace({
    ...recordOptions(a, signal),
    ...(format === 'next' ? { whileStarting: preloadTokenizer } : {}),
  });
  // The files the program turned out to run are known now: none of them is written over either.
  if (values.out)
    checkOutputPath(
      values.out,
      trace.sources.map((s) => path.resolve(trace.program.root, s.path)),
    );
  const chunks =
    format === 'json' ? traceJsonChunks(trace) : [renderNext(trace, { budget: a.budget }).text];
  // Raw by default (the trace is the program's own data, on your machine); --redact applies the
  // prompt's redaction, with this environment's secrets and those found in the traced code.
  const secrets = values.redact ? secretsOf(process.env) : [];
  if (values.redact) secrets.push(...secretsInTrace(trace, secrets));
  const shown = (text: string): string => (values.redact ? redact(text, { secrets }).text : text);
  await writeChunks(values.redact ? redactChunks(chunks, secrets) : chunks, values.out);
  const o = trace.outcome;
  if (o.status !== 'completed' || o.message) {
    const what = o.exception
      ? `${o.exception.repr} at ${o.exception.file ?? '?'}:${o.exception.line ?? '?'}`
      : (o.message ?? o.status);
    process.stderr.write(
      shown(`tracefix: ${o.status}: ${what} (${o.eventCount} events, ${o.durationMs} ms)\n`),
    );
  }
  return EXIT.ok;
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'trace':
        return await traceCommand(rest, controller.signal);
      case 'fix':
        return await fixCommand(rest, controller.signal);
      case 'diff':
        return await diffCommand(rest);
      case 'bench':
        return await benchCommand(rest, controller.signal);
      case 'mcp':
        return await mcpCommand(rest, VERSION, controller.signal);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? EXIT.userError : EXIT.ok;
      case '--version':
      case '-V':
        process.stdout.write(`${VERSION}\n`);
        return EXIT.ok;
      default:
        process.stderr.write(`tracefix: unknown command '${command}'. Run \`tracefix --help\`.\n`);
        return EXIT.userError;
    }
  } catch (e) {
    // Error lines quote URLs and program output: a base URL's password or a key must not be printed.
    const secrets = secretsOf(process.env);
    if (isUserError(e)) {
      process.stderr.write(
        redact(`tracefix: ${e.message}${e.hint ? ` ${e.hint}` : ''}\n`, { secrets }).text,
      );
      return e.code === 'cancelled' ? 130 : EXIT.userError;
    }
    process.stderr.write(
      redact(`tracefix: internal error: ${errorMessage(e)}\n`, { secrets }).text,
    );
    if (process.env.TRACEFIX_DEBUG) console.error(e);
    return EXIT.internal;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`tracefix: internal error: ${errorMessage(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
