// Token counting with the o200k BPE (GPT-4o family). Its rank tables are megabytes of JavaScript, so
// they load on the first count, not when the extension activates; the production build keeps them in
// their own file (dist/vendor/gpt-tokenizer.js).
type Tokenizer = typeof import('gpt-tokenizer');

let tokenizer: Tokenizer | undefined;

/** Loads the tables now (~0.4 s of CPU), e.g. while the program starts, so the first count is quick. */
export function preloadTokenizer(): void {
  countTokens('');
}

/** Tokens of `text` in o200k_base. The first call loads the tables (~0.4 s). */
export function countTokens(text: string): number {
  // A synchronous require keeps rendering synchronous; esbuild redirects it to the vendor file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tokenizer ??= require('gpt-tokenizer') as Tokenizer;
  return tokenizer.countTokens(text);
}
