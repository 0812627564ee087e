// The MCP server's own tools (load_trace, record_baseline) check their arguments against their
// declared zod inputs like the query tools: one line, nothing read or run.
import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { TraceMcp } from '../../../../src/core/tools/mcp/server';
import { spreadTrace } from '../sampleTrace';

describe('MCP tool inputs', () => {
  // Nothing is recorded here: the recorder options are never read.
  const server = () =>
    new TraceMcp({
      version: 'test',
      root: os.tmpdir(),
      env: {},
      cwd: os.tmpdir(),
      record: {},
    });

  it.each([
    [{}, 'load_trace: path is required.'],
    [{ path: '' }, 'load_trace: path is required.'],
    [{ path: ['a.json'] }, 'load_trace: path must be a string.'],
    [{ path: 'x'.repeat(2001) }, 'load_trace: path is longer than 2000 characters.'],
  ])('load_trace %j', async (args, text) => {
    expect(await server().call('load_trace', args)).toEqual({
      content: [{ type: 'text', text }],
      isError: true,
    });
  });

  it('record_baseline checks its input once a recording is there', async () => {
    const s = server();
    (s as unknown as { trace: unknown }).trace = spreadTrace();
    const long = await s.call('record_baseline', { baseline: 'g'.repeat(1001) });
    expect(long.content[0]?.text).toBe('record_baseline: baseline is longer than 1000 characters.');
    const none = await s.call('record_baseline', {});
    expect(none.content[0]?.text).toMatch(/^record_baseline: baseline is required \(.+\)\.$/);
  });
});
