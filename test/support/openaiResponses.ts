// How the scripted OpenAI server (openaiServer.ts) writes each step: JSON or SSE chat-completion
// answers (text in deltas, tool calls in fragments, usage), HTTP errors, hangs and garbage.
import type * as http from 'node:http';
import type { ScriptStep } from './openaiScript';

export function sendJson(
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendError(
  res: http.ServerResponse,
  step: Extract<ScriptStep, { kind: 'error' }>,
): void {
  const error = {
    message: step.message ?? `HTTP ${step.status}`,
    type: step.type ?? 'error',
    param: null,
    code: step.code ?? null,
  };
  sendJson(res, step.status, { error }, step.headers);
}

function split(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function respond(
  res: http.ServerResponse,
  step: ScriptStep,
  stream: { includeUsage: boolean } | null,
  model: string,
  id: string,
): void {
  switch (step.kind) {
    case 'error':
      sendError(res, step);
      return;
    case 'hang':
      return; // the socket stays open; close() or the client's abort ends it
    case 'garbage':
      res.writeHead(200, { 'content-type': step.contentType ?? 'text/html' });
      res.end(step.body);
      return;
    case 'trickle': {
      res.writeHead(200, {
        'content-type': step.raw ? 'text/plain' : 'text/event-stream',
        'cache-control': 'no-cache',
      });
      if (!step.raw) res.write(sse(chunk(id, model, { role: 'assistant', content: '' }, null)));
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(step.raw ? step.text : sse(chunk(id, model, { content: step.text }, null)));
      }, step.intervalMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case 'tools':
      if (stream) void streamTools(res, step, stream.includeUsage, model, id);
      else {
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created: 0,
          model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: step.text ?? null,
                tool_calls: wireCalls(step, id),
              },
              finish_reason: step.finishReason ?? 'tool_calls',
              logprobs: null,
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        });
      }
      return;
    case 'answer':
      if (stream) void streamAnswer(res, step, stream.includeUsage, model, id);
      else {
        const usage = step.usage ?? {
          prompt_tokens: 10,
          completion_tokens: Math.ceil(step.text.length / 4),
        };
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created: 0,
          model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: step.text },
              finish_reason: step.finishReason ?? 'stop',
              logprobs: null,
            },
          ],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        });
      }
      return;
    case 'truncated': {
      const cut = step.text.slice(0, step.afterChars ?? Math.floor(step.text.length / 2));
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.write(sse(chunk(id, model, { role: 'assistant', content: '' }, null)));
        for (const piece of split(cut, step.chunkSize ?? 8))
          res.write(sse(chunk(id, model, { content: piece }, null)));
        // Let the chunks reach the client before the connection drops mid-answer.
        setTimeout(() => res.socket?.destroy(), 20);
      } else {
        // Announce the full length, send part, then drop the connection.
        const full = JSON.stringify({
          id,
          object: 'chat.completion',
          created: 0,
          model,
          choices: [
            { index: 0, message: { role: 'assistant', content: step.text }, finish_reason: 'stop' },
          ],
        });
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(full),
        });
        res.write(full.slice(0, Math.floor(full.length / 2)));
        setTimeout(() => res.socket?.destroy(), 20);
      }
      return;
    }
  }
}

function sse(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

function wireCalls(step: Extract<ScriptStep, { kind: 'tools' }>, id: string): unknown[] {
  return step.calls.map((c, i) => ({
    ...(step.omitIds ? {} : { id: c.id ?? `${id}-call-${i}` }),
    type: 'function',
    function: {
      name: c.name,
      arguments: step.objectArguments
        ? typeof c.arguments === 'string'
          ? (JSON.parse(c.arguments) as unknown)
          : c.arguments
        : typeof c.arguments === 'string'
          ? c.arguments
          : JSON.stringify(c.arguments),
    },
  }));
}

/** Starts a streamed completion: SSE headers and the first chunk, the assistant's empty message. */
function openStream(res: http.ServerResponse, model: string, id: string): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(sse(chunk(id, model, { role: 'assistant', content: '' }, null)));
}

async function streamTools(
  res: http.ServerResponse,
  step: Extract<ScriptStep, { kind: 'tools' }>,
  includeUsage: boolean,
  model: string,
  id: string,
): Promise<void> {
  openStream(res, model, id);
  for (const piece of split(step.text ?? '', 8))
    res.write(sse(chunk(id, model, { content: piece }, null)));
  const calls = wireCalls(step, id) as {
    id?: string;
    function: { name: string; arguments: unknown };
  }[];
  for (const [index, c] of calls.entries()) {
    // As OpenAI streams them: id, type and name first with empty arguments, then argument pieces.
    res.write(
      sse(
        toolChunk(id, model, {
          index,
          ...(c.id ? { id: c.id } : {}),
          type: 'function',
          function: { name: c.function.name, arguments: '' },
        }),
      ),
    );
    const args =
      typeof c.function.arguments === 'string'
        ? c.function.arguments
        : JSON.stringify(c.function.arguments);
    for (const piece of split(args, step.argChunk ?? 7)) {
      res.write(sse(toolChunk(id, model, { index, function: { arguments: piece } })));
      await new Promise((r) => setImmediate(r));
    }
  }
  res.write(sse(chunk(id, model, {}, step.finishReason ?? 'tool_calls')));
  if (includeUsage)
    res.write(
      sse({
        id,
        object: 'chat.completion.chunk',
        created: 0,
        model,
        choices: [],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
    );
  res.write(sse('[DONE]'));
  res.end();
}

function toolChunk(id: string, model: string, call: Record<string, unknown>): unknown {
  return {
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta: { tool_calls: [call] }, finish_reason: null, logprobs: null }],
  };
}

function chunk(
  id: string,
  model: string,
  delta: Record<string, string>,
  finish: string | null,
): unknown {
  return {
    id,
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  };
}

async function streamAnswer(
  res: http.ServerResponse,
  step: Extract<ScriptStep, { kind: 'answer' }>,
  includeUsage: boolean,
  model: string,
  id: string,
): Promise<void> {
  openStream(res, model, id);
  let sent = 0;
  for (const piece of split(step.text, step.chunkSize ?? 8)) {
    if (step.hangAfterChunks !== undefined && sent >= step.hangAfterChunks) return; // keep the socket open, send nothing more
    if (res.destroyed) return;
    res.write(sse(chunk(id, model, { content: piece }, null)));
    sent += 1;
    if (step.chunkDelayMs) await new Promise((r) => setTimeout(r, step.chunkDelayMs));
  }
  res.write(sse(chunk(id, model, {}, step.finishReason ?? 'stop')));
  const usage = step.usage ?? {
    prompt_tokens: 10,
    completion_tokens: Math.ceil(step.text.length / 4),
  };
  // OpenAI sends usage in a final chunk with empty choices when stream_options.include_usage is set.
  if (includeUsage)
    res.write(
      sse({
        id,
        object: 'chat.completion.chunk',
        created: 0,
        model,
        choices: [],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }),
    );
  res.write(sse('[DONE]'));
  res.end();
}
