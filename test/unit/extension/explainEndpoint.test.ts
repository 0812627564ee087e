// Local OpenAI-compatible servers need no key; anything else does.
import { describe, expect, it } from 'vitest';
import { isLocalEndpoint } from '../../../src/extension/explain/endpoint';

describe('isLocalEndpoint', () => {
  it.each([
    'http://127.0.0.1:11434/v1',
    'http://localhost:1234/v1',
    'http://[::1]:8000/v1',
    'http://192.168.1.20:8080/v1',
    'http://10.0.0.5/v1',
    'http://172.20.0.2/v1',
    'http://box.local:11434/v1',
  ])('%s is local', (u) => expect(isLocalEndpoint(u)).toBe(true));
  it.each([
    'https://api.openai.com/v1',
    'https://api.together.xyz/v1',
    'http://172.32.0.1/v1',
    'not a url',
    'http://127.example.com/v1',
  ])('%s is not', (u) => expect(isLocalEndpoint(u)).toBe(false));
});
