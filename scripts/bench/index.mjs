// `npm run bench -- <name> [args]`: one entry for the benchmarks (figures printed, never asserted:
// the house rule keeps timing out of the tests). Without a name it lists them. Each bench builds
// what it measures first (the development build, or the production build for the editor).
import { spawnSync } from 'node:child_process';

/** name → what it prints, what to build first, the command. */
const BENCHES = {
  trace: {
    about: "the recorder's speed, memory and start-up, and recording real libraries",
    build: [],
    run: ['scripts/bench/trace.mjs'],
  },
  compare: {
    about: 'the cost of comparing two recordings of ~200,000 events',
    build: null,
    run: ['scripts/bench/compare.mjs'],
  },
  editor: {
    about:
      'inside VS Code (production build): bundle sizes, activation, command to first decorations',
    build: ['--production'],
    run: ['scripts/vscode-test/run.mjs', '--bench'],
  },
  model: {
    about: 'what the readers of one recording (render, tools, replay, editor) cost to index it',
    build: null,
    run: ['scripts/bench/model.mjs'],
  },
  pipeline: {
    about: 'the whole fix pipeline over HumanEvalFix (`tracefix bench`; arguments pass through)',
    build: null,
    run: ['scripts/bench/pipeline.mjs'],
  },
  secrets: {
    about: 'the secrets corpus caught per path and encoding, and redaction cost per megabyte',
    build: null,
    run: ['scripts/bench/secrets.mjs'],
  },
  slice: {
    about: 'what the slice is worth (bug lines kept in the prompt) and what it costs',
    build: [],
    run: ['scripts/bench/slice.mjs'],
  },
};

const [name, ...args] = process.argv.slice(2);
const bench = name === undefined ? undefined : BENCHES[name];
if (!bench) {
  if (name !== undefined && name !== '--help' && name !== '-h')
    console.error(`unknown benchmark "${name}"\n`);
  console.log('npm run bench -- <name> [args]\n');
  const width = Math.max(...Object.keys(BENCHES).map((n) => n.length));
  for (const [n, b] of Object.entries(BENCHES)) console.log(`  ${n.padEnd(width)}  ${b.about}`);
  process.exitCode = name === undefined || name === '--help' || name === '-h' ? 0 : 2;
} else {
  const node = (argv) => spawnSync(process.execPath, argv, { stdio: 'inherit' }).status ?? 1;
  const built = bench.build ? node(['scripts/build.mjs', ...bench.build]) : 0;
  process.exitCode = built !== 0 ? built : node([...bench.run, ...args]);
}
