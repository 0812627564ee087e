// `tracefix mcp`: the trace tools served over the Model Context Protocol (official TypeScript SDK,
// low-level Server so the tools' own JSON schemas are sent as they are). One recording is current:
// recorded with record_trace (runs the user's script / module / pytest test inside the workspace
// root, with the CLI's limits) or read with load_trace; the query tools answer over it, redacted and
// bounded like in Explain & Fix. The client's approval of a tool call is the confirmation to run.
import { realpathSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import * as z from 'zod';
import { CancelledError, UserError, errorMessage, errorStack, isUserError } from '../../errors';
import {
  BASELINE_SYNTAX,
  obtainBaseline,
  parseBaseline,
  type Baseline,
  type BaselineSpec,
} from '../../compare/baseline';
import { withInterpreter } from '../../compare/baseline/rerun';
import {
  checkInput,
  COMPARE_RUNS,
  jsonSchemaOf,
  ToolSession,
  TRACE_TOOLS,
  type JsonSchema,
} from '..';
import {
  insideRoot,
  RECORD_TRACE_DESCRIPTION,
  RECORD_TRACE_NAME,
  recordTarget,
  recordTraceSchema,
  type RecordPolicy,
} from '../recordTool';
import { readTraceFile } from '../../trace/traceFile';
import type { Trace } from '../../trace/model';
import { recordOptionsFor, type RecorderChoice, type RunTarget } from '../../trace/options';
import { recordTrace } from '../../trace/record';
import { redact } from '../../redact/redact';
import { secretsInTrace, secretsOf } from '../../redact/output';

export interface McpOptions {
  /** The workspace root (--root); else the client's first root, else the current directory. */
  root?: string;
  /** A trace JSON to load at start. */
  trace?: string;
  /** Interpreter, debugpy, engine and limits of every recording. */
  record: Omit<RecorderChoice, 'env' | 'spawnWrapper'>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** record_trace passes program arguments on (--allow-args); else it refuses them. */
  allowArgs?: boolean;
  log?: (line: string) => void;
  version: string;
}

const LOAD_INPUT = z.strictObject({
  path: z
    .string()
    .max(2000)
    .describe(
      'Path of a trace JSON (tracefix trace --format json, or Save Trace… in VS Code), inside the workspace root.',
    ),
});
const LOAD_SCHEMA = jsonSchemaOf(LOAD_INPUT);

const BASELINE_INPUT = z.strictObject({
  baseline: z
    .string()
    .max(1000)
    .describe(
      `Which passing run: "git" (the same test at HEAD, run in a temporary export of that commit; the working tree is not touched), "git:REF", "last-pass" (the newest commit where it passes, found by running it), "sibling" (a passing parametrization of the test, or a passing test calling the same function), "test:NODEID", "trace:FILE" (a saved recording inside the workspace), or "auto".`,
    ),
});
const BASELINE_SCHEMA = jsonSchemaOf(BASELINE_INPUT);

/** The query tools over the current recording, and compare_runs once a passing run is recorded. */
const QUERY_NAMES = new Set([...TRACE_TOOLS, COMPARE_RUNS].map((t) => t.name));

const INSTRUCTIONS =
  'Tracefix records a Python program line by line (every value at every step) and answers questions about that recording. Record a failing test or script with record_trace (or load a saved trace with load_trace), read trace_overview, then ask variable_history, state_at_step, line_executions, calls, find_first and search_values. To see where the failing run parts from a passing one, record the passing run with record_baseline (the same test at an earlier commit, or a passing sibling test), then ask compare_runs. Steps are numbered (k) as in the NExT text. Answers come from the recordings, nothing is re-run.';

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

export class TraceMcp {
  private trace: Trace | undefined;
  private baseline: Baseline | undefined;
  private session: ToolSession | undefined;
  private origin = '';
  private recording: AbortController | undefined;
  private readonly secrets: string[];
  private server: Server | undefined;

  constructor(private readonly opts: McpOptions) {
    this.secrets = secretsOf(opts.env);
  }

  /** The tools as MCP lists them. */
  tools(): {
    name: string;
    title: string;
    description: string;
    inputSchema: JsonSchema;
    annotations: Record<string, unknown>;
  }[] {
    const query = TRACE_TOOLS.map((t) => ({
      name: t.name,
      title: title(t.name),
      description: t.description,
      inputSchema: t.inputSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    }));
    return [
      {
        name: RECORD_TRACE_NAME,
        title: 'Run and record a Python program',
        description: RECORD_TRACE_DESCRIPTION,
        inputSchema: recordTraceSchema(this.opts.allowArgs === true),
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: false,
          openWorldHint: false,
        },
      },
      {
        name: 'record_baseline',
        title: 'Record a passing run to compare with',
        description:
          'Records a passing run of the current recording\'s program to compare it with: the same test at an earlier commit (it RUNS your code of that commit in a temporary folder), a passing sibling test (it RUNS tests), or a saved trace. Then compare_runs tells where the two runs part, and every tool takes run: "passing" to ask about the passing run.',
        inputSchema: BASELINE_SCHEMA,
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: false,
          openWorldHint: false,
        },
      },
      {
        name: 'load_trace',
        title: 'Load a saved trace',
        description:
          'Makes a saved Tracefix trace JSON (inside the workspace root) the current recording, without running anything. Answers with its overview.',
        inputSchema: LOAD_SCHEMA,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      ...query,
      {
        name: COMPARE_RUNS.name,
        title: 'Compare runs',
        description: COMPARE_RUNS.description,
        inputSchema: COMPARE_RUNS.inputSchema,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
    ];
  }

  /** Runs one tool call; never throws (errors are results with isError). */
  async call(
    name: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<ToolResult> {
    this.opts.log?.(`call ${name} ${JSON.stringify(args).slice(0, 300)}`);
    try {
      if (name === RECORD_TRACE_NAME) return await this.record(args, signal);
      if (name === 'load_trace') return await this.load(args);
      if (name === 'record_baseline') return await this.recordBaseline(args, signal);
      if (!QUERY_NAMES.has(name)) return this.error(`There is no tool "${name}".`);
      if (name === COMPARE_RUNS.name && this.session && !this.baseline)
        return this.error(
          'No passing run to compare with yet: call record_baseline first (e.g. {"baseline": "git"}).',
        );
      if (!this.session)
        return this.error(
          'No recording yet: call record_trace (run a test or script) or load_trace (a saved trace JSON) first.',
        );
      const a = this.session.call(name, args);
      return { content: [{ type: 'text', text: a.text }], ...(a.error ? { isError: true } : {}) };
    } catch (e) {
      if (e instanceof CancelledError) return this.error('Cancelled.');
      if (isUserError(e)) return this.error(`${e.message}${e.hint ? ` ${e.hint}` : ''}`);
      this.opts.log?.(`internal error: ${errorStack(e)}`);
      return this.error(`Tracefix failed: ${errorMessage(e)}`);
    }
  }

  private error(text: string): ToolResult {
    return {
      content: [{ type: 'text', text: redact(text, { secrets: this.secrets }).text }],
      isError: true,
    };
  }

  private use(trace: Trace, origin: string): ToolResult {
    this.trace = trace;
    this.origin = origin;
    this.baseline = undefined;
    const secrets = [...this.secrets, ...secretsInTrace(trace, this.secrets)];
    this.session = new ToolSession(trace, { tools: TRACE_TOOLS, secrets });
    const overview = this.session.call('trace_overview', {});
    return {
      content: [
        {
          type: 'text',
          text: `${origin}\n${overview.text}\nAsk variable_history, state_at_step, line_executions, calls, find_first or search_values about it.`,
        },
      ],
    };
  }

  /** Runs `work` as the one recording in progress, aborted with the caller's signal. */
  private async exclusively(
    signal: AbortSignal | undefined,
    work: (controller: AbortController) => Promise<ToolResult>,
  ): Promise<ToolResult> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.recording = controller;
    try {
      return await work(controller);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.recording = undefined;
    }
  }

  private async record(args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolResult> {
    const root = await this.root();
    const { target, args: programArgs } = recordTarget(args, root, this.policy(RECORD_TRACE_NAME));
    if (this.recording) return this.error('A recording is already running; wait for it to finish.');
    return this.exclusively(signal, async (controller) => {
      const trace = await recordTrace(
        recordOptionsFor(
          { target, args: programArgs, cwd: root, root },
          { ...this.opts.record, env: this.opts.env },
          { signal: controller.signal },
        ),
      );
      const what =
        target.kind === 'pytest'
          ? `pytest ${target.nodeId}`
          : target.kind === 'module'
            ? `python -m ${target.module}`
            : `python ${target.path}`;
      return this.use(
        trace,
        `Recorded \`${what}\` in ${root} (${trace.outcome.eventCount} events, ${trace.outcome.durationMs} ms).`,
      );
    });
  }

  /** What record_trace and record_baseline may run: the workspace's code, arguments when allowed. */
  private policy(tool: string): RecordPolicy {
    return {
      allowArgs: this.opts.allowArgs === true,
      allowHint: 'start the server with `tracefix mcp --allow-args`',
      tool,
    };
  }

  /** Records (or loads) a passing run of the current recording's program; compare_runs then compares. */
  private async recordBaseline(
    args: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<ToolResult> {
    const failing = this.trace;
    if (!failing) return this.error('No recording yet: call record_trace or load_trace first.');
    let given: string;
    try {
      given = checkInput('record_baseline', BASELINE_INPUT, args).baseline;
    } catch (e) {
      const required = /is required$/.test(errorMessage(e));
      return this.error(
        `record_baseline: ${errorMessage(e)}${required ? ` (${BASELINE_SYNTAX})` : ''}.`,
      );
    }
    const spec = parseBaseline(given);
    if (spec.kind === 'none') return this.error('record_baseline: "none" records nothing.');
    const root = await this.root();
    const policy = this.policy('record_baseline');
    // The recording may be a loaded file naming any program, folder and interpreter: what runs is
    // checked as record_trace checks it (the workspace's own script, test or module, arguments
    // only when allowed), from the workspace root, with the server's interpreter.
    const run = recordTarget(targetArgs(failing), root, policy);
    const chosen: BaselineSpec =
      spec.kind === 'test'
        ? { kind: 'test', nodeId: testId(recordTarget({ test: spec.nodeId }, root, policy)) }
        : spec.kind === 'trace'
          ? { kind: 'trace', file: insideRoot(root, spec.file, 'record_baseline') }
          : spec;
    if (this.recording) return this.error('A recording is already running; wait for it to finish.');
    return this.exclusively(signal, async (controller) => {
      const rec = await withInterpreter(
        recordOptionsFor(
          { target: run.target, args: run.args, cwd: root, root },
          { ...this.opts.record, env: this.opts.env },
        ),
      );
      const got = await obtainBaseline(chosen, {
        rec,
        failing,
        signal: controller.signal,
        log: (line) => this.opts.log?.(line),
      });
      if (!got.baseline)
        return this.error(
          `No passing run to compare against: ${got.notes.join('; ') || 'none found'}.`,
        );
      this.baseline = got.baseline;
      const secrets = [
        ...this.secrets,
        ...secretsInTrace(failing, this.secrets),
        ...secretsInTrace(got.baseline.trace, this.secrets),
      ];
      this.session = new ToolSession(
        { failing, passing: got.baseline.trace },
        { tools: [...TRACE_TOOLS, COMPARE_RUNS], secrets },
      );
      const cmp = this.session.call(COMPARE_RUNS.name, {});
      return {
        content: [
          {
            type: 'text',
            text: redact(
              `Recorded the passing run: ${got.baseline.description} (${got.baseline.trace.outcome.eventCount} events). Every tool now takes run: "failing" (the current recording, the default) or "passing".\n${cmp.text}`,
              { secrets },
            ).text,
          },
        ],
      };
    });
  }

  private async load(args: Record<string, unknown>): Promise<ToolResult> {
    let given: string;
    try {
      given = checkInput('load_trace', LOAD_INPUT, args).path;
    } catch (e) {
      return this.error(`load_trace: ${errorMessage(e)}.`);
    }
    const root = await this.root();
    const file = insideRoot(root, given, 'load_trace');
    return this.loadFile(file);
  }

  /** Reads a trace file (--trace at start, or load_trace): a regular file, bounded, validated. */
  async loadFile(file: string): Promise<ToolResult> {
    const trace = await readTraceFile(file, path.basename(file));
    return this.use(trace, `Loaded ${file} (recorded ${trace.createdAt}).`);
  }

  get current(): { trace: Trace; origin: string } | undefined {
    return this.trace ? { trace: this.trace, origin: this.origin } : undefined;
  }

  /** The workspace root: --root, else the client's first file root, else the current directory. */
  private async root(): Promise<string> {
    let root = this.opts.root;
    if (!root && this.server?.getClientCapabilities()?.roots) {
      try {
        const { roots } = await this.server.listRoots();
        const first = roots.find((r) => r.uri.startsWith('file://'));
        if (first) root = fileURLToPath(first.uri);
      } catch (e) {
        this.opts.log?.(`roots/list failed: ${errorMessage(e)}`);
      }
    }
    root ??= this.opts.cwd;
    const real = realpathOr(path.resolve(this.opts.cwd, root));
    if (real === path.parse(real).root || real === realpathOr(os.homedir())) {
      throw new UserError(
        'bad-argument',
        `Tracefix needs a workspace root to record in, and ${real} is too wide (the file system root or your home folder).`,
        'Start the server with --root PROJECT_DIR (or from the project folder), or use a client that sends its workspace roots.',
      );
    }
    if (!statSync(real, { throwIfNoEntry: false })?.isDirectory())
      throw new UserError('file-not-found', `The workspace root ${real} is not a folder.`);
    return real;
  }

  /** Serves on the given transport until it closes. */
  async serve(
    transport: import('@modelcontextprotocol/sdk/shared/transport.js').Transport,
    signal?: AbortSignal,
  ): Promise<void> {
    const { Server: McpServer } = await import('@modelcontextprotocol/sdk/server/index.js');
    const { CallToolRequestSchema, ListToolsRequestSchema } =
      await import('@modelcontextprotocol/sdk/types.js');

    const server = new McpServer(
      { name: 'tracefix', version: this.opts.version },
      { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
    );
    this.server = server;
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: this.tools() }));
    server.setRequestHandler(CallToolRequestSchema, (req, extra) =>
      this.call(req.params.name, req.params.arguments ?? {}, extra.signal),
    );
    const closed = new Promise<void>((resolve) => (server.onclose = resolve));
    if (this.opts.trace) {
      // A --trace that cannot be read is said on stderr; the server still runs.
      try {
        await this.loadFile(path.resolve(this.opts.cwd, this.opts.trace));
      } catch (e) {
        this.opts.log?.(`--trace: ${errorMessage(e)}`);
      }
    }
    await server.connect(transport);
    // SIGINT / SIGTERM: close the connection (the recording in progress is stopped below).
    const onAbort = (): void => void server.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    await closed;
    signal?.removeEventListener('abort', onAbort);
    this.recording?.abort();
  }
}

/** A recording's program as record_trace arguments (its paths absolute, to be checked against the root). */
function targetArgs(t: Trace): Record<string, unknown> {
  const p = t.program;
  const args = p.args.length ? { args: p.args } : {};
  if (p.kind === 'module') return { module: p.target, ...args };
  const [file = '', ...rest] = p.target.split('::');
  const abs = [path.resolve(p.cwd, file), ...rest].join('::');
  return p.kind === 'pytest' ? { test: abs } : { script: abs, ...args };
}

function testId(r: { target: RunTarget }): string {
  return r.target.kind === 'pytest' ? r.target.nodeId : '';
}

function title(name: string): string {
  const t = name.replace(/_/g, ' ');
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
