// Answers tool calls over one or more recordings: checks the arguments against the tool's schema
// (a model's mistakes come back as an answer it can correct, never as an exception), runs the tool,
// redacts the whole answer like the prompt and bounds it. Every surface — Explain & Fix, the VS Code
// language-model tools and the MCP server — calls tools through a ToolSession.
import { errorMessage } from '../errors';
import { redact } from '../redact/redact';
import type { Trace } from '../trace/model';
import { ValueRedactor } from './redactValues';
import { QUERY_TOOLS } from './registry';
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
      parsed = checkArgs(tool, parseArgs(args), notes);
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

/** Checks (and mildly coerces: "7" → 7) the arguments against the tool's schema. */
function checkArgs(tool: ToolSpec, args: ToolArgs, notes: string[]): ToolArgs {
  const props = tool.inputSchema.properties ?? {};
  const out: ToolArgs = {};
  for (const [k, v] of Object.entries(args)) {
    const schema = props[k];
    if (k === 'run') {
      if (typeof v !== 'string') throw new ToolInputError('run must be a string');
      out.run = v;
      continue;
    }
    if (!schema) {
      notes.push(
        `(ignored unknown argument "${k.slice(0, 40)}"; ${tool.name} takes ${Object.keys(props).join(', ')})`,
      );
      continue;
    }
    if (v === null) continue;
    out[k] = coerce(k, v, schema);
  }
  for (const r of tool.inputSchema.required ?? [])
    if (out[r] === undefined || out[r] === '') throw new ToolInputError(`${r} is required`);
  return out;
}

function coerce(key: string, v: unknown, s: JsonSchema): unknown {
  switch (s.type) {
    case 'integer': {
      const n = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n))
        throw new ToolInputError(`${key} must be a whole number`);
      if (s.minimum !== undefined && n < s.minimum)
        throw new ToolInputError(`${key} must be at least ${s.minimum}`);
      if (s.maximum !== undefined && n > s.maximum)
        throw new ToolInputError(`${key} must be at most ${s.maximum}`);
      return n;
    }
    case 'boolean':
      if (v === 'true' || v === 'false') return v === 'true';
      if (typeof v !== 'boolean') throw new ToolInputError(`${key} must be true or false`);
      return v;
    case 'string': {
      const t = typeof v === 'number' ? String(v) : v;
      if (typeof t !== 'string') throw new ToolInputError(`${key} must be a string`);
      if (s.maxLength !== undefined && t.length > s.maxLength)
        throw new ToolInputError(`${key} is longer than ${s.maxLength} characters`);
      if (s.enum && !s.enum.includes(t))
        throw new ToolInputError(`${key} must be one of ${s.enum.join(', ')}`);
      return t;
    }
    case 'array':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
        throw new ToolInputError(`${key} must be a list of strings`);
      return v;
    default:
      return v;
  }
}

/** Step numbers `(k)` / `(after k)` an answer cites, in order of first mention. */
export function citedSteps(text: string): number[] {
  const seen = new Set<number>();
  for (const m of text.matchAll(/\((?:after )?(\d{1,9})\)/g)) seen.add(Number(m[1]));
  return [...seen];
}
