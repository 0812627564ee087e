// Runs verifyPatch in a process of its own (bundled by asUser.ts), so a test can run it as another
// user: reads {opts} as JSON on stdin, prints {result, status} or {error} as JSON on stdout
// ({probeOnly: true}: only the sandbox probe's {status}).
import { probeSandbox } from '../../src/core/verify/sandbox';
import { verifyPatch, type VerifyOptions } from '../../src/core/verify/verify';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const { opts, probeOnly } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    opts: VerifyOptions;
    probeOnly?: boolean;
  };
  try {
    const status = await probeSandbox(process.env);
    if (probeOnly) {
      process.stdout.write(JSON.stringify({ status }));
      return;
    }
    const result = await verifyPatch(opts);
    process.stdout.write(JSON.stringify({ result, status }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: (e as Error).message }));
  }
}

void main();
