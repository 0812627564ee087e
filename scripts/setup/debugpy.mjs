// debugpy 1.8 in bundled/libs: shipped in the VSIX and the npm package, used by the CLI from the repo.
import { ensureBundledDebugpy } from '../bundle-debugpy.mjs';

export const name = 'bundled debugpy';

export function ensure({ log }) {
  try {
    const info = ensureBundledDebugpy({ log });
    return {
      status: 'ok',
      detail: `debugpy ${info.version} (${info.tags.join(', ')}) in bundled/libs`,
    };
  } catch (e) {
    return {
      status: 'missing',
      detail: e instanceof Error ? e.message : String(e),
      command: 'sudo apt-get install -y python3 python3-pip && node scripts/bundle-debugpy.mjs',
    };
  }
}
