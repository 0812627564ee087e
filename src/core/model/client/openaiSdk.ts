// The `openai` SDK is loaded on first use, not when the extension activates or the CLI starts: a
// trace never needs it, and the production build keeps it in its own file (dist/vendor/openai.js).
type OpenAISdk = typeof import('openai');

let sdk: OpenAISdk | undefined;

/** Loads the SDK (once) and returns it. */
export function loadOpenAI(): OpenAISdk {
  // A synchronous require keeps client construction synchronous; esbuild redirects it to the vendor file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= require('openai') as OpenAISdk;
  return sdk;
}

/** The SDK if something already loaded it: no SDK error can exist before that. */
export function loadedOpenAI(): OpenAISdk | undefined {
  return sdk;
}
