// Tool inputs are declared once as zod schemas: the JSON Schema models, MCP and package.json get is
// derived from them, and every call is checked against them with one line the model can act on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPARE_RUNS } from '../../../src/core/tools/compareRuns';
import { ToolSession, TRACE_TOOLS } from '../../../src/core/tools';
import { recordTarget, recordTraceSchema } from '../../../src/core/tools/recordTool';
import { MAX_STEP_NUMBER } from '../../../src/core/tools/schema';
import { spreadTrace } from './sampleTrace';

const session = () => new ToolSession(spreadTrace(), { tools: TRACE_TOOLS });

describe('declared inputs', () => {
  it.each([...TRACE_TOOLS, COMPARE_RUNS].map((t) => [t.name, t] as const))(
    '%s: the JSON Schema is an object of its declared fields, nothing else admitted',
    (_name, tool) => {
      const s = tool.inputSchema;
      expect(s.type).toBe('object');
      expect(s.additionalProperties).toBe(false);
      expect(Object.keys(s.properties ?? {})).toEqual(Object.keys(tool.input.shape));
      expect(s).not.toHaveProperty('$schema');
      for (const [key, field] of Object.entries(s.properties ?? {})) {
        expect(field.description, key).toBeTruthy();
        // Every number a model may send is bounded both ways.
        if (field.type === 'integer') {
          expect(field.minimum, key).toBeGreaterThanOrEqual(0);
          expect(field.maximum, key).toBeLessThanOrEqual(MAX_STEP_NUMBER);
        }
        if (field.type === 'string') expect(field.maxLength, key).toBeLessThanOrEqual(1000);
      }
      for (const r of s.required ?? []) expect(tool.input.shape).toHaveProperty(r);
    },
  );

  it('required fields are the ones without a default', () => {
    const req = Object.fromEntries(TRACE_TOOLS.map((t) => [t.name, t.inputSchema.required ?? []]));
    expect(req).toEqual({
      trace_overview: [],
      variable_history: ['name'],
      state_at_step: ['step'],
      line_executions: ['line'],
      calls: [],
      find_first: ['condition'],
      search_values: ['text'],
      why: ['name'],
    });
  });
});

describe('hostile arguments are refused with one line', () => {
  it.each([
    ['state_at_step', { step: 1e300 }, `step must be at most ${MAX_STEP_NUMBER}`],
    ['state_at_step', { step: '99999999999999999999' }, `step must be at most ${MAX_STEP_NUMBER}`],
    ['state_at_step', { step: 2.5 }, 'step must be a whole number'],
    ['state_at_step', { step: [6] }, 'step must be a whole number'],
    ['state_at_step', { step: { valueOf: 6 } }, 'step must be a whole number'],
    ['state_at_step', { step: true }, 'step must be a whole number'],
    ['line_executions', { line: 0 }, 'line must be at least 1'],
    ['line_executions', { line: -3 }, 'line must be at least 1'],
    ['calls', { depth: 13 }, 'depth must be at most 12'],
    ['calls', { limit: 0 }, 'limit must be at least 1'],
    ['calls', { limit: 201 }, 'limit must be at most 200'],
    ['trace_overview', { next_budget: -1 }, 'next_budget must be at least 0'],
    ['search_values', { text: 'x', case_sensitive: 'yes' }, 'case_sensitive must be true or false'],
    ['search_values', { text: ['x'] }, 'text must be a string'],
    ['search_values', { text: { toString: 'x' } }, 'text must be a string'],
    ['find_first', { condition: 'x > 1', file: 'f'.repeat(501) }, 'file is longer than 500'],
    ['why', { name: 'x', limit: 61 }, 'limit must be at most 60'],
    ['why', { step: 3 }, 'name is required'],
    ['why', { name: '' }, 'name is required'],
    ['why', { name: null }, 'name is required'],
    ['variable_history', { name: 'x', run: 7 }, 'run must be a string'],
  ])('%s %j', (tool, args, message) => {
    const a = session().call(tool, args);
    expect(a.error).toBe(true);
    expect(a.text).toBe(
      `Error: ${tool}: ${message}${message.endsWith('500') ? ' characters' : ''}.`,
    );
  });

  it('mild mistakes are forgiven: strings for numbers and booleans, numbers for strings, null for absent', () => {
    const s = session();
    expect(s.call('state_at_step', { step: ' 6 ' }).text).toMatch(/^After step \(6\)/);
    expect(s.call('search_values', { text: 3, case_sensitive: 'true', limit: null }).error).toBe(
      false,
    );
  });

  it('unknown fields (even prototype names) are dropped with a note, never read', () => {
    const a = session().call(
      'state_at_step',
      '{"step": 6, "__proto__": {"step": -1}, "constructor": 1, "verbose": true}',
    );
    expect(a.error).toBe(false);
    expect(a.text).toContain('(ignored unknown argument "__proto__"; state_at_step takes step)');
    expect(a.text).toContain('(ignored unknown argument "constructor"');
    expect(a.text).toContain('(ignored unknown argument "verbose"');
    expect(a.text).toMatch(/After step \(6\)/);
  });
});

describe('record_trace input', () => {
  const policy = { allowArgs: true, allowHint: 'start with --allow-args' };

  it.each([
    [{ test: 'x'.repeat(1001) }, 'record_trace: test is longer than 1000 characters.'],
    [{ script: 'a.py', args: [1] }, 'record_trace: args must be a list of strings.'],
    [{ script: 'a.py', args: 'a b' }, 'record_trace: args must be a list of strings.'],
    [{ script: 'a.py', args: Array(101).fill('a') }, 'record_trace: args has more than 100 items.'],
    [
      { script: 'a.py', args: ['x'.repeat(1001)] },
      'record_trace: args is longer than 1000 characters.',
    ],
  ])('%j is refused', (args, message) => {
    expect(() => recordTarget(args, os.tmpdir(), policy)).toThrow(message);
  });

  it('runs only what the schema names: unknown fields are left out', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tfx-record-'));
    try {
      writeFileSync(path.join(root, 'a.py'), 'print(1)\n');
      const r = recordTarget({ script: 'a.py', shell: 'rm -rf /', args: ['-v'] }, root, policy);
      expect(r).toEqual({ target: { kind: 'script', path: 'a.py' }, args: ['-v'], label: 'a.py' });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the schema offers args only when they are allowed', () => {
    expect(Object.keys(recordTraceSchema(true).properties ?? {})).toEqual([
      'script',
      'test',
      'module',
      'args',
    ]);
    expect(Object.keys(recordTraceSchema(false).properties ?? {})).toEqual([
      'script',
      'test',
      'module',
    ]);
    expect(recordTraceSchema(false).additionalProperties).toBe(false);
  });
});
