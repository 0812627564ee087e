// A tool's input is declared once, as a zod object: the JSON Schema offered to models (function
// calling, VS Code's language-model tools in package.json, MCP) is derived from it with zod's own
// z.toJSONSchema, and a call's arguments are checked against it here. A model's arguments are
// hostile input: unknown fields are dropped with a note, wrong types, out-of-range and unsafe
// numbers and over-long strings are refused with one line the model can act on.
import * as z from 'zod';
import {
  MAX_ITEMS,
  ToolInputError,
  type JsonSchema,
  type ToolAnswerDraft,
  type ToolArgs,
  type ToolContext,
  type ToolInput,
  type ToolSpec,
} from './types';

/** A tool from its declaration: the JSON Schema is derived from `input`, and `run` gets the
 * arguments as `input` parsed them (the session parses every call before running it). */
export function defineTool<S extends ToolInput>(
  spec: Omit<ToolSpec, 'input' | 'inputSchema' | 'run'> & {
    input: S;
    run: (ctx: ToolContext, args: z.output<S>) => ToolAnswerDraft;
  },
): ToolSpec {
  const { run, ...rest } = spec;
  return {
    ...rest,
    inputSchema: jsonSchemaOf(spec.input),
    run: (ctx, args) => run(ctx, args as z.output<S>),
  };
}

/** The JSON Schema of a declared input, as models and package.json get it (no `$schema` line). */
export function jsonSchemaOf(input: z.ZodType): JsonSchema {
  const { $schema: _draft, ...schema } = z.toJSONSchema(input, { io: 'input' });
  return schema as unknown as JsonSchema;
}

/** Steps and lines are bounded like the recorder: no recording holds more steps than the
 * largest --max-events, nor a file more lines than this (a model's 1e300 is refused, not scanned). */
export const MAX_STEP_NUMBER = 100_000_000;
export const MAX_LINE_NUMBER = 10_000_000;

// Fields several tools take.
export const stepNumber = z.int().min(0).max(MAX_STEP_NUMBER);
export const lineNumber = z.int().min(1).max(MAX_LINE_NUMBER);
export const fromStep = stepNumber.describe(
  'Start listing at this step (to page on from an earlier answer).',
);
export const limit = z.int().min(1).max(MAX_ITEMS).describe('Most items to list (default 40).');
export const functionName = z
  .string()
  .max(200)
  .describe('Only in calls of this function (e.g. "spread" or "Stats.spread").');
export const fileName = z
  .string()
  .max(500)
  .describe('Only in this file (path as in the recording, relative to the project root).');

/**
 * Checks a call's arguments against the tool's input. Mild mistakes are forgiven: "7" for 7,
 * "true" for true, a number for a string, null or "" for a field left out; unknown fields are
 * dropped with a note in `notes`. Everything else throws a ToolInputError naming the field.
 */
export function parseToolArgs(
  tool: { name: string; input: ToolInput; inputSchema: JsonSchema },
  args: ToolArgs,
  notes: string[],
): ToolArgs {
  const props = tool.inputSchema.properties ?? {};
  const known: ToolArgs = {};
  for (const [k, v] of Object.entries(args)) {
    const field = Object.hasOwn(props, k) ? props[k] : undefined;
    if (!field) {
      notes.push(
        `(ignored unknown argument "${k.slice(0, 40)}"; ${tool.name} takes ${Object.keys(props).join(', ')})`,
      );
      continue;
    }
    if (v === null || v === '') continue;
    known[k] = coerce(v, field);
  }
  const r = tool.input.safeParse(known);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ToolInputError(issue ? issueMessage(issue, known, props) : 'the arguments do not fit');
}

/** A declared input's arguments, checked like a tool call's (a surface's own tools: MCP's
 * load_trace, record_baseline); unknown fields are left out. */
export function checkInput<S extends ToolInput>(
  name: string,
  input: S,
  args: ToolArgs,
): z.output<S> {
  return parseToolArgs({ name, input, inputSchema: jsonSchemaOf(input) }, args, []) as z.output<S>;
}

function coerce(v: unknown, field: JsonSchema): unknown {
  if (field.type === 'integer' && typeof v === 'string' && /^\s*-?\d+\s*$/.test(v))
    return Number(v);
  if (field.type === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
  if (field.type === 'string' && typeof v === 'number') return String(v);
  return v;
}

/** One line per kind of mistake, naming the field ("step must be at least 0"). */
function issueMessage(
  issue: z.core.$ZodIssue,
  args: ToolArgs,
  props: Record<string, JsonSchema>,
): string {
  const key = String(issue.path[0] ?? 'the arguments');
  // zod checks the safe-integer range first; the field's own bound is the one to name.
  const field = Object.hasOwn(props, key) ? props[key] : undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (args[key] === undefined) return `${key} is required`;
      if (issue.path.length > 1) return `${key} must be a list of strings`;
      if (issue.expected === 'int' || issue.expected === 'number')
        return `${key} must be a whole number`;
      if (issue.expected === 'boolean') return `${key} must be true or false`;
      if (issue.expected === 'array') return `${key} must be a list of strings`;
      return `${key} must be a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${key} must be at least ${issue.minimum} characters long`
        : `${key} must be at least ${field?.minimum ?? issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${key} is longer than ${issue.maximum} characters`
        : issue.origin === 'array'
          ? `${key} has more than ${issue.maximum} items`
          : `${key} must be at most ${field?.maximum ?? issue.maximum}`;
    case 'invalid_value':
      return `${key} must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return `${key}: ${issue.message}`;
  }
}
