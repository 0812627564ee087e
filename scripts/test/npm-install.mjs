// Checks that the npm package installs as a working `tracefix` command, the way a user gets it:
//   1. `npm pack` (prepack: production build + bundled debugpy) → tracefix-<version>.tgz;
//   2. `npm install -g --prefix <tmp> <tarball>` → <tmp>/bin/tracefix --version prints the version,
//      and it traces a program with an interpreter that has no debugpy (the package's bundled copy);
//      and `tracefix bench --model oracle` fixes a HumanEvalFix task from the data the package carries;
//   3. `npm install -g --prefix <tmp> <repo>` (what `npm install -g .` does: a link) → --version.
// Prints one line per check and `N passed, N failed`; used by `npm test` (scripts/test/run.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repo } from '../build-config.mjs';

const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** An interpreter without debugpy: /usr/bin/python3 with site-packages hidden (PYTHONPATH still works). */
function pythonWithoutDebugpy(dir) {
  const wrapper = path.join(dir, 'python-no-site');
  writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
  if (sh(wrapper, ['-c', 'import debugpy']).status === 0)
    throw new Error('precondition: the wrapper must not import debugpy');
  return wrapper;
}

export function checkNpmInstall({ log = (m) => console.log(`[npm-install] ${m}`) } = {}) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'tracefix-npm-install-'));
  const results = [];
  const check = (name, fn) => {
    const t = Date.now();
    try {
      const detail = fn();
      results.push(true);
      log(`✓ ${name}${detail ? `: ${detail}` : ''} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    } catch (e) {
      results.push(false);
      log(`✗ ${name}: ${e instanceof Error ? e.message : e}`);
    }
  };
  const npmEnv = {
    ...process.env,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_cache: path.join(tmp, 'npm-cache'),
  };
  try {
    let tarball;
    check('npm pack (prepack: production build + bundled debugpy)', () => {
      const r = sh('npm', ['pack', '--pack-destination', tmp, '--silent'], {
        cwd: repo,
        env: npmEnv,
      });
      if (r.status !== 0)
        throw new Error(`exit ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
      tarball = path.join(tmp, r.stdout.trim().split('\n').pop());
      const list = sh('tar', ['tzf', tarball]).stdout.split('\n');
      for (const f of [
        'package/dist/cli.js',
        'package/dist/vendor/gpt-tokenizer.js',
        'package/bundled/libs/debugpy/__init__.py',
        'package/THIRD_PARTY_NOTICES',
        'package/LICENSE',
        // `tracefix bench` runs out of the box on the data the package carries.
        'package/benchmarks/humanevalfix/humanevalpack_python.jsonl',
        'package/benchmarks/humanevalplus/HumanEvalPlus-OriginFmt.jsonl.gz',
        'package/benchmarks/mbpp/sanitized-mbpp.json',
        'package/benchmarks/README.md',
      ]) {
        if (!list.includes(f)) throw new Error(`${f} is not in the tarball`);
      }
      const bad = list.filter(
        (f) =>
          /^package\/(src|test|scripts|out)\/|\.map$/.test(f) ||
          (/__pycache__/.test(f) && !f.startsWith('package/bundled/libs/')),
      );
      if (bad.length) throw new Error(`should not be packed: ${bad.slice(0, 5).join(', ')}`);
      return `${path.basename(tarball)}, ${list.filter(Boolean).length} files`;
    });
    const prefix = path.join(tmp, 'global');
    const bin = path.join(prefix, 'bin', 'tracefix');
    check(
      'npm install -g <tarball> puts tracefix on PATH; --version prints the package version',
      () => {
        if (!tarball) throw new Error('no tarball');
        const r = sh('npm', ['install', '-g', '--prefix', prefix, tarball], { env: npmEnv });
        if (r.status !== 0)
          throw new Error(`exit ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
        const v = sh(bin, ['--version'], {
          env: { ...process.env, PATH: `${path.dirname(bin)}:${process.env.PATH}` },
        });
        if (v.stdout.trim() !== version)
          throw new Error(
            `tracefix --version printed ${JSON.stringify(v.stdout.trim())}, expected ${version}`,
          );
        return `${bin} --version → ${version}`;
      },
    );
    check(
      'the installed tracefix traces with an interpreter that has no debugpy (bundled copy)',
      () => {
        if (!existsSync(bin)) throw new Error('not installed');
        const work = path.join(tmp, 'prog');
        sh('mkdir', ['-p', work]);
        writeFileSync(
          path.join(work, 'prog.py'),
          'def double(xs):\n    out = []\n    for x in xs:\n        out.append(2 * x)\n    return out\n\nprint(double([1, 2]))\n',
        );
        const python = pythonWithoutDebugpy(tmp);
        const r = sh(bin, ['trace', 'prog.py', '--python', python, '--format', 'json'], {
          cwd: work,
        });
        if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr.trim()}`);
        const trace = JSON.parse(r.stdout);
        const want = path.join(prefix, 'lib', 'node_modules', 'tracefix', 'bundled', 'libs');
        if (trace.interpreter.debugpyPath !== want)
          throw new Error(`debugpy came from ${trace.interpreter.debugpyPath}, expected ${want}`);
        if (!/^1\.8\./.test(trace.interpreter.debugpyVersion))
          throw new Error(`debugpy ${trace.interpreter.debugpyVersion}`);
        if (trace.outcome.eventCount < 8)
          throw new Error(`only ${trace.outcome.eventCount} events`);
        return `${trace.outcome.eventCount} events, debugpy ${trace.interpreter.debugpyVersion} from the installed package`;
      },
    );
    check('the installed tracefix bench runs on the data the package carries', () => {
      if (!existsSync(bin)) throw new Error('not installed');
      const env = { ...process.env };
      delete env.TRACEFIX_BENCH_DATA;
      const r = sh(bin, ['bench', '--model', 'oracle', '--task', 'Python/0'], { cwd: tmp, env });
      if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr.trim().slice(-500)}`);
      if (!/pass@1\s+100\.0% \(1\/1\)/.test(r.stdout))
        throw new Error(`unexpected summary:\n${r.stdout.trim()}`);
      return 'HumanEvalFix Python/0 fixed by the oracle';
    });
    check(
      'npm install -g <checkout> (what `npm install -g .` does) gives a working tracefix',
      () => {
        const linkPrefix = path.join(tmp, 'linked');
        const r = sh('npm', ['install', '-g', '--prefix', linkPrefix, repo], { env: npmEnv });
        if (r.status !== 0)
          throw new Error(`exit ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
        const v = sh(path.join(linkPrefix, 'bin', 'tracefix'), ['--version']);
        if (v.stdout.trim() !== version)
          throw new Error(`--version printed ${JSON.stringify(v.stdout.trim())}`);
        return `linked to ${repo}`;
      },
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const passed = results.filter(Boolean).length;
  return { passed, failed: results.length - passed };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { passed, failed } = checkNpmInstall();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
