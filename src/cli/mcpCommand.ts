// `tracefix mcp`: argument parsing, then the MCP server (core/tools/mcp/server.ts) on stdin/stdout until the
// client closes it. Nothing but the protocol goes to stdout; notes go to stderr.
import * as path from 'node:path';
import { UserError } from '../core/errors';
import { engineArg, maxEventsOption, numberOption, parse } from './args';
import { EXIT } from './common';
import { MCP_HELP } from './help';
import { TraceMcp } from '../core/tools/mcp/server';
import { BoundedStdioTransport } from '../core/tools/mcp/transport';

/** After SIGTERM, the longest wait for the server to stop by itself. */
const FORCED_EXIT_MS = 5000;

const MCP_OPTIONS = {
  root: { type: 'string' },
  trace: { type: 'string' },
  python: { type: 'string' },
  'debugpy-path': { type: 'string' },
  engine: { type: 'string' },
  'max-events': { type: 'string' },
  'max-steps': { type: 'string' },
  timeout: { type: 'string' },
  'repr-length': { type: 'string' },
  'record-imports': { type: 'boolean' },
  'allow-args': { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function mcpCommand(
  argv: string[],
  version: string,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parse(argv, MCP_OPTIONS);
  if (values.help) {
    process.stdout.write(MCP_HELP);
    return EXIT.ok;
  }
  if (positionals.length)
    throw new UserError(
      'bad-argument',
      `Unexpected argument: ${positionals[0]}`,
      'Run `tracefix mcp --help` for usage.',
    );
  const engine = engineArg(values.engine);
  const timeout = numberOption('timeout', values.timeout);
  const log = (line: string): void => void process.stderr.write(`tracefix mcp: ${line}\n`);
  const server = new TraceMcp({
    root: values.root ? path.resolve(values.root) : undefined,
    trace: values.trace,
    record: {
      python: values.python ?? (process.env.TRACEFIX_PYTHON || undefined),
      debugpyPath: values['debugpy-path'],
      engine,
      recordImports: values['record-imports'] === true,
      limits: {
        maxSteps: maxEventsOption(values['max-events'], values['max-steps']),
        timeoutMs: timeout === undefined ? undefined : timeout * 1000,
        reprLength: numberOption('repr-length', values['repr-length']),
      },
    },
    env: process.env,
    cwd: process.cwd(),
    allowArgs: values['allow-args'] === true,
    log: values.verbose
      ? log
      : (line) =>
          line.startsWith('--trace') || line.startsWith('internal') ? log(line) : undefined,
    version,
  });
  const { JSONRPCMessageSchema } = await import('@modelcontextprotocol/sdk/types.js');
  // SIGTERM / SIGINT end the server: the connection closes, a recording in progress is stopped and
  // its processes killed; should that hang, the process still ends a few seconds later.
  const onAbort = (): void => {
    setTimeout(() => process.exit(EXIT.ok), FORCED_EXIT_MS).unref();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  await server.serve(new BoundedStdioTransport((v) => JSONRPCMessageSchema.parse(v)), signal);
  signal.removeEventListener('abort', onAbort);
  return EXIT.ok;
}
