// Answers tool calls over one or more recordings: checks the arguments against the tool's input
// (a model's mistakes come back as an answer it can correct, never as an exception), runs the tool,
// redacts the whole answer like the prompt and bounds it. Every surface — Explain & Fix, the VS Code
// language-model tools and the MCP server — calls tools through a ToolSession.
import { errorMessage } from '../errors';
import { redact } from '../redact/redact';
import type { Trace } from '../trace/model';
import { ValueRedactor } from './redactValues';
import { QUERY_TOOLS } from './registry';
import { parseToolArgs } from './schema';
import {
  DEFAULT_TOOL_LIMITS,
  QueryBudget,
  ToolInputError,
  type JsonSchema,
  type ToolAnswer,
  type ToolArgs,
  type ToolLimits,
  type ToolSpec,
} from './types';

/** Hard cap of any answer (the overview's NExT text has its own token budget below it). */
const MAX_ANSWER_CHARS = 60_000;
const MAX_ARGUMENT_CHARS = 10_000;

export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: JsonSchema;
}

export interface ToolSessionOptions {
  /** Values never to show (environment secrets, API keys, learned ones); may grow while in use. */
  secrets?: string[];
  limits?: Partial<ToolLimits>;
  /** The tools this session answers (default: the query tools). */
  tools?: readonly ToolSpec[];
}

export class ToolSession {
  private readonly runs = new Map<string, Trace>();
  private redactor: ValueRedactor;
  private readonly secrets: string[];
  readonly limits: ToolLimits;
  readonly tools: readonly ToolSpec[];

  /** `runs`: the recordings by name; the first is the default ('failing' in Explain & Fix). */
  constructor(runs: Record<string, Trace> | Trace, options: ToolSessionOptions = {}) {
    const entries = 'schema' in runs ? { failing: runs as Trace } : runs;
    for (const [name, trace] of Object.entries(entries)) this.runs.set(name, trace);
    this.secrets = options.secrets ?? [];
    this.redactor = new ValueRedactor(this.secrets);
    this.limits = { ...DEFAULT_TOOL_LIMITS, ...options.limits };
    this.tools = options.tools ?? QUERY_TOOLS;
  }

  /** Adds (or replaces) a recording the tools can be asked about with `run: name`. */
  setRun(name: string, trace: Trace): void {
    this.runs.set(name, trace);
  }

  get runNames(): string[] {
    return [...this.runs.keys()];
  }

  /** The definitions to offer a model; with several recordings each tool takes `run`. */
  definitions(): ToolDefinition[] {
    const names = this.runNames;
    return this.tools.map((t) => {
      if (names.length < 2)
        return { name: t.name, description: t.description, inputSchema: t.inputSchema };
      const run: JsonSchema = {
        type: 'string',
        enum: names,
        description: `Which recording to ask (default "${names[0] ?? ''}"): ${runDescriptions(names)}.`,
      };
      return {
        name: t.name,
        description: t.description,
        inputSchema: { ...t.inputSchema, properties: { ...t.inputSchema.properties, run } },
      };
    });
  }

  /** Runs one call; `args` is the model's JSON text or an object. Never throws for bad input. */
  call(name: string, args: unknown): ToolAnswer {
    const tool = this.tools.find((t) => t.name === name);
    if (!tool)
      return this.failure(
        `there is no tool "${name}"; the tools are ${this.tools.map((t) => t.name).join(', ')}`,
      );
    let parsed: ToolArgs;
    const notes: string[] = [];
    try {
      const { run, ...rest } = parseArgs(args);
      if (run !== undefined && run !== null && typeof run !== 'string')
        throw new ToolInputError('run must be a string');
      parsed = parseToolArgs(tool, rest, notes);
      if (typeof run === 'string' && run !== '') parsed.run = run;
    } catch (e) {
      return this.failure(
        e instanceof ToolInputError
          ? `${tool.name}: ${e.message}`
          : `${tool.name}: ${errorMessage(e)}`,
      );
    }
    const runName = typeof parsed.run === 'string' ? parsed.run : this.runNames[0];
    const trace = runName !== undefined ? this.runs.get(runName) : undefined;
    if (!trace)
      return this.failure(
        `${tool.name}: no recording named "${String(parsed.run)}"; recordings: ${this.runNames.join(', ') || 'none'}`,
      );
    if (this.redactor.secretCount !== this.secrets.length)
      this.redactor = new ValueRedactor(this.secrets);
    try {
      const budget = new QueryBudget(this.limits.timeMs);
      const draft = tool.run(
        {
          trace,
          limits: this.limits,
          values: this.redactor,
          budget,
          runs: this.runs,
          runName: runName ?? '',
        },
        parsed,
      );
      const text = [...notes, draft.text].join('\n');
      return this.finish(
        text,
        draft.truncated === true,
        draft.error === true,
        this.runNames.length > 1 ? runName : undefined,
      );
    } catch (e) {
      if (e instanceof ToolInputError) return this.failure(`${tool.name}: ${e.message}`);
      // A bug in a tool must not end the model's round: the model is told, the cause is kept short.
      return this.failure(`${tool.name} failed: ${errorMessage(e).slice(0, 300)}`);
    }
  }

  private failure(message: string): ToolAnswer {
    return this.finish(`Error: ${message}.`.replace(/\.\.$/, '.'), false, true);
  }

  private finish(raw: string, truncated: boolean, error: boolean, run?: string): ToolAnswer {
    let text = redact(raw, { secrets: this.secrets }).text;
    if (text.length > MAX_ANSWER_CHARS) {
      text = `${text.slice(0, MAX_ANSWER_CHARS)}\n…(answer cut at ${MAX_ANSWER_CHARS} characters)`;
      truncated = true;
    }
    return {
      text,
      steps: citedSteps(text),
      truncated,
      error,
      ...(run !== undefined ? { run } : {}),
    };
  }
}

function runDescriptions(names: string[]): string {
  const known: Record<string, string> = {
    failing: '"failing" is the failing run the NExT text shows',
    patched: '"patched" is the run of the previous round\'s patched program',
    passing: '"passing" is the passing run the first-divergence section compares with',
  };
  return names.map((n) => known[n] ?? `"${n}"`).join('; ');
}

function parseArgs(args: unknown): ToolArgs {
  if (args === undefined || args === null || args === '') return {};
  if (typeof args === 'string') {
    if (args.length > MAX_ARGUMENT_CHARS)
      throw new ToolInputError(`arguments longer than ${MAX_ARGUMENT_CHARS} characters`);
    let v: unknown;
    try {
      v = JSON.parse(args);
    } catch {
      throw new ToolInputError(
        'the arguments are not valid JSON (give an object such as {"name": "x"})',
      );
    }
    return parseArgs(v);
  }
  if (typeof args !== 'object' || Array.isArray(args))
    throw new ToolInputError('the arguments must be a JSON object');
  return args as ToolArgs;
}

/** Step numbers `(k)` / `(after k)` an answer cites, in order of first mention. */
export function citedSteps(text: string): number[] {
  const seen = new Set<number>();
  for (const m of text.matchAll(/\((?:after )?(\d{1,9})\)/g)) seen.add(Number(m[1]));
  return [...seen];
}
