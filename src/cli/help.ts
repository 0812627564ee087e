// Usage texts. Every default is the constant the code uses, so the help cannot say another value.
import { BENCH_DEFAULTS } from '../core/bench/runBench';
import { DEFAULT_MAX_ROUNDS } from '../core/fix/explainAndFix';
import { DEFAULT_MAX_TOOL_CALLS } from '../core/fix/toolLoop';
import {
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_TOKENS,
  DEFAULT_OPENAI_MODEL,
} from '../core/model/client/openaiProvider';
import { DEFAULT_BUDGET } from '../core/render/next';
import { DEFAULT_PROMPT_BUDGET } from '../core/fix/promptBudget';
import { DEFAULT_LIMITS } from '../core/trace/model';
import { DEFAULT_VERIFY_TIMEOUT_MS } from '../core/verify/verify';

export const HELP = `tracefix — explain and fix Python bugs from a recorded execution trace

Usage:
  tracefix trace <script.py> [options] [-- program args…]
  tracefix trace --test tests/test_x.py::test_name [options]
  tracefix trace --module pkg.mod [options] [-- program args…]
  tracefix fix <script.py> | --test NODEID | --module NAME [options] [-- program args…]
  tracefix diff FAILING.json PASSING.json [--json]
  tracefix bench --dataset humanevalfix|humanevalfix-plus|mbpp [options]
  tracefix mcp [--root DIR] [--trace FILE] [options]
  tracefix --version | --help

Commands:
  trace   Run the program under debugpy and print its NExT-annotated source (or --format json).
  fix     Trace the failing run, ask a model for a trace-grounded explanation and patch, and verify it.
  diff    Show where two recordings part: the first divergence, the next ones, the changed lines.
  bench   Run the whole pipeline on a program-repair benchmark and report fix rates and costs.
  mcp     Serve the trace tools to an MCP client (Claude Code, Cursor, VS Code…) over stdio.

Run \`tracefix <command> --help\` for the options of a command.
Exit codes: 0 success, 1 no verified fix (fix), 2 usage or environment error, 3 internal error.
`;

export const TRACE_HELP = `Usage: tracefix trace (<script.py> | --test NODEID | --module NAME) [options] [-- args…]

Records every executed line of your code (files under --root) through a debugpy session and prints
the source annotated in the NExT format: \`# (k) name=value;\`, \`__return__=…\`, \`__exception__ = …\`.
Exit 0 whenever a trace was recorded, even if the program failed; 2 when no trace could be recorded.

Options:
  --test NODEID         run a pytest test (tests/test_x.py::test_name)
  -m, --module NAME     run a module (python -m NAME)
  --format next|json    NExT text (default) or the full trace as JSON (docs/trace-format.md)
  --out FILE            write the output to FILE instead of stdout (never over a source file)
  --redact              remove secrets from the output as from model prompts (URL passwords,
                        API keys, password=…, this environment's secret values); raw by default
  --budget TOKENS       token budget of the NExT text (default ${DEFAULT_BUDGET}); long loops are elided
  --engine fast|step    in-process recorder (default) or the slow stepping reference
  --python PATH         interpreter (default: $TRACEFIX_PYTHON, then the first python3/python on PATH
                        with debugpy, else the first one)
  --debugpy-path DIR    a folder holding the debugpy package (e.g. ms-python.debugpy's bundled/libs);
                        used when the interpreter has none, before Tracefix's bundled debugpy 1.8
  --cwd DIR             working directory of the program (default: current directory)
  --root DIR            folder whose .py files are your code (default: cwd, or the script's folder)
  --stdin FILE          feed FILE to the program's stdin (default: empty stdin, EOF)
  --max-events N        events kept (default ${DEFAULT_LIMITS.maxSteps}): a longer run keeps its first quarter and its
                        last events, and counts what is left out per line (old name: --max-steps)
  --timeout SECONDS     how long the program may run under recording; then it goes on untraced
                        for up to 10 s to its own end (default ${DEFAULT_LIMITS.timeoutMs / 1000})
  --record-imports      also line-record user modules while they are imported (default: summarised)
  --repr-length N       longest value repr in characters (default ${DEFAULT_LIMITS.reprLength})
  -v, --verbose         log the DAP conversation to stderr

Numbers are checked before anything runs: --timeout 1–86400 seconds, --max-events 1–100000000,
--repr-length 8–1000000, --budget 100–10000000.
`;

export const FIX_HELP = `Usage: tracefix fix (<script.py> | --test NODEID | --module NAME) [options] [-- args…]

Records the failing run (as \`tracefix trace\`), asks a model for a rationale grounded in the NExT trace
and a patch, and verifies the patch by running the same command without tracing in a temporary copy
of your folder, inside a bubblewrap sandbox (an unprivileged id however you run it; your folder and
home hidden, only the copy writable, no network or host socket, limits on processes, memory and disk,
no environment variable but PATH, locale and PYTHON* unless --env). When verification fails, the
patched program is traced (sandboxed too) and the model asked again. Verified means: the selected test
was collected and passed (not skipped, xfailed or stopped early by pytest.exit / os._exit), or the
script ran to its end and the line that failed — and the assert that failed on the way — ran without
raising; Tracefix reads this from authenticated evidence the run sends outside the sandbox.
A patch that changes test code (the test's file, conftest.py, test_*.py, *_test.py, tests/) is never
verified unless --allow-test-edits. Prints the rationale (streamed), a unified diff and "verified: …"
or "not verified: <why>". Your files are only written with --apply, and only for a verified patch.
Exit 0 verified fix found, 1 no verified fix, 2 usage / configuration / model error, 3 internal error.

Model (OpenAI or any OpenAI-compatible server; checked before anything is traced):
  OPENAI_API_KEY        key for OpenAI's API; only ever sent to https://api.openai.com
  TRACEFIX_API_KEY      key for the server given with --base-url (none needed for most local servers)
  --base-url URL        server base URL, e.g. http://localhost:11434/v1 (default $TRACEFIX_BASE_URL,
                        else https://api.openai.com/v1)
  --model NAME          model name (default $TRACEFIX_MODEL, else ${DEFAULT_OPENAI_MODEL})
  --model-timeout SECONDS  total time for one model request, streaming and retries included (default ${DEFAULT_DEADLINE_MS / 1000})
  --max-tokens N        longest answer asked for (max_tokens, default ${DEFAULT_MAX_TOKENS})

Options:
  --test NODEID         fix a failing pytest test (tests/test_x.py::test_name)
  -m, --module NAME     fix a module run as python -m NAME
  --rounds N            model rounds at most (default ${DEFAULT_MAX_ROUNDS})
  --apply               write a verified patch into your files, byte for byte (encoding, BOM and line
                        ends kept; only the fixed lines change), keeping the original as FILE.orig
                        (FILE.orig.1, .2… when that exists: a backup is never replaced)
  --no-backup           with --apply: do not keep FILE.orig
  --json                print the result as JSON (rounds, prompts, tool calls, rationale, diff,
                        verification), secrets redacted as in the prompts
  --show-prompt         print the exact (redacted) prompt sent to the model in each round, and
                        each tool call with the answer the model got
  --prompt-only         trace and print the round-1 prompt, without calling a model (no key needed)
  --no-trace            ablation: prompt without the execution trace (and without tools)
  --max-tool-calls N    calls per round the model may make to query the whole recording with the
                        trace tools (variable history, state at a step, line executions, call
                        tree, first step where a condition holds, value search); default ${DEFAULT_MAX_TOOL_CALLS}
  --no-tools            no trace tools (same as --max-tool-calls 0); a server that refuses tools
                        gets the plain prompt anyway, said once
  --baseline WHICH      the passing run the failing one is compared with; the prompt then says where
                        they first part (both values, both call paths, the lines changed between
                        them) and the model gets the compare_runs tool:
                          auto           (default) HEAD when the code that ran has uncommitted or
                                         staged changes, else another parametrization of the
                                         test that passes
                          git[:REF]      the same test at HEAD (or REF), run in a temporary export
                                         of that commit (your working tree, index and stash are
                                         never touched)
                          last-pass[:REF]  the newest commit (from HEAD or REF back) where it
                                         passes, found by running it
                          sibling        another parametrization of the test that passes, or a
                                         passing test that calls the same function
                          test:NODEID    that test, recorded in the working tree
                          trace:FILE     a saved recording
                          none           no comparison (also --no-baseline)
  --no-baseline         compare with no passing run (fastest)
  --allow-test-edits    verify and apply patches that change test code too
  --no-sandbox          run model-written code without the sandbox: needed where bubblewrap is
                        unavailable, or when the test needs the network; that code can then read
                        and write anything you can
  --env NAME[=VALUE]    give model-written runs this environment variable too (repeatable; NAME
                        alone passes its value here); they get only PATH, locale, TZ and the
                        interpreter's PYTHON* settings otherwise, never the model's API key
  --budget TOKENS       token budget of the whole round-1 prompt: task, failure, code and trace
                        (default ${DEFAULT_PROMPT_BUDGET}), spent on the backward slice of the failure first
  --python PATH, --debugpy-path DIR, --engine, --cwd DIR, --root DIR, --stdin FILE,
  --max-events N, --timeout SECONDS, --repr-length N, -v/--verbose: as for \`tracefix trace\`
                        (--timeout also limits each verification run; default there ${DEFAULT_VERIFY_TIMEOUT_MS / 1000} s)
`;

export const DIFF_HELP = `Usage: tracefix diff A.json B.json [options]

Compares two recordings of the same program (saved with \`tracefix trace … --format json\` or Save
Trace… in VS Code), typically a failing run (A) and a passing one (B): the runs are aligned call by
call (the same function called from the matched call, in the same order) and, within a call, line by
line through a diff of the two runs' source text, so lines added or edited between two commits keep
the rest aligned. Prints the first divergence — the earliest aligned step where the values differ or
only one run took the step (another branch, an extra or missing call) — with both values and both
call paths, then the next divergences at other places, and the lines changed between the two runs'
code. Values that differ between any two runs are not divergences: object numbers (Node#3), memory
addresses and id()s, clock readings within each run's recording time, random UUIDs, set order,
temporary file names and the project's own folder (docs/trace-format.md, "Comparing two runs").
Runs cut at --max-events are compared on what both kept, and the output says so.
Exit 0 when the runs do not diverge, 1 when they do, 2 on a usage error.

Options:
  --json                the comparison as JSON (divergences with both sides' steps, files, lines,
                        call paths and values; changed lines; what was ignored)
  --next N              divergences listed after the first (0–50, default 5)
  --from-step K         only divergences at or after step K of run A (to page on; 0–100000000)
  --redact              remove secrets as from model prompts (URL passwords, API keys, this
                        environment's secret values); raw by default
`;

export const BENCH_HELP = `Usage: tracefix bench [--dataset humanevalfix|humanevalfix-plus|mbpp] [options]

Runs the real pipeline on each task of a benchmark: the task's program and test are written to a
temporary folder, the failing test is traced (per-task step limit and timeout: non-terminating
programs end with a partial trace), the NExT prompt is built, the model answers, the patch is applied
and verified by running the dataset's tests in a sandboxed copy (per-task timeout). Prints progress
on stderr, a summary table on stdout; --out writes the full report (summary + one entry per task).
Data: the benchmarks/ folder shipped with Tracefix, else --data DIR / $TRACEFIX_BENCH_DATA.
  humanevalfix       program = prompt + buggy_solution, judged by its test + check(entry_point)
  humanevalfix-plus  the same buggy programs and test; a fix must also pass HumanEval+'s tests
  mbpp               no buggy programs in the data: each task is a stub of the reference program
                     (bodies raise NotImplementedError) to complete from its failing test_list

Model (as for \`tracefix fix\`): OPENAI_API_KEY (api.openai.com only) / TRACEFIX_API_KEY, --base-url URL /
$TRACEFIX_BASE_URL, --model NAME.
  --model oracle        test-only provider answering with the dataset's solution in varied answer
                        formats: checks the pipeline on every program, says nothing about a model

Options:
  --dataset NAME        humanevalfix (default), humanevalfix-plus or mbpp
  --data DIR            the benchmarks folder (holding humanevalfix/, humanevalplus/, mbpp/)
  --limit N             the first N tasks only
  --task ID             only this task (repeatable), e.g. --task Python/10
  -j, --jobs N          tasks run at once (default ${BENCH_DEFAULTS.jobs})
  --rounds N            model rounds per task (default ${BENCH_DEFAULTS.rounds}: pass@1)
  --no-trace            ablation: prompts without the execution trace
  --ablation            both: with and without the trace on the same tasks and model
  --tools               add the arm with the trace AND the trace tools (beside --ablation's arms,
                        or beside the trace arm alone); the report's "tools effect" is its pass@1
                        minus the trace arm's
  --max-tool-calls N    tool calls per round in the tools arm (default ${DEFAULT_MAX_TOOL_CALLS})
  --divergence          add the arm with the trace AND the first divergence from a passing run: the
                        task's test run against the dataset's reference solution, aligned with the
                        failing run (its code is never shown, only where the runs part and the
                        values); the report's "divergence effect" is its pass@1 minus the trace arm's
  --out FILE            write the JSON report to FILE
  --budget TOKENS       token budget of each task's whole prompt (default ${DEFAULT_PROMPT_BUDGET})
  --max-events N        events kept per recording (default ${BENCH_DEFAULTS.maxSteps})
  --timeout SECONDS     wall-clock limit of each recording (default ${BENCH_DEFAULTS.traceTimeoutMs / 1000})
  --verify-timeout SECONDS  limit of each verification run (default ${BENCH_DEFAULTS.verifyTimeoutMs / 1000}; HumanEval+ judging: ${BENCH_DEFAULTS.judgeTimeoutMs / 1000})
  --python PATH         interpreter with debugpy (default as for \`tracefix trace\`)
  --no-sandbox          run model-written code without the bubblewrap sandbox (where there is none)
`;

export const MCP_HELP = `Usage: tracefix mcp [--root DIR] [--trace FILE] [options]

Serves Tracefix's trace tools over stdio with the Model Context Protocol, for an MCP client (Claude
Code, Cursor, VS Code / Copilot…) that starts it. Tools: record_trace (run a script, module or pytest
test under the recorder and keep the trace), load_trace (a saved trace JSON), trace_overview, and the
queries variable_history, state_at_step, line_executions, calls, find_first, search_values; and
record_baseline (a passing run to compare with: the same test at a commit, a passing sibling test or
a saved trace, as \`tracefix fix --baseline\` takes them) with compare_runs (where the two runs part).
Answers come from the recordings only, redacted of secrets like model prompts and bounded in size.

record_trace RUNS YOUR PROGRAM (the script, test or module the client names, inside the root), and
so does record_baseline (the current recording's program, checked the same way, a test the
client names, or your code of another commit in a temporary export): the MCP client's approval of a
call is the confirmation. Nothing model-written is run. A module counts as the workspace's when its file is in
the root (\`-m timeit\` or \`-m http.server\` are refused); program arguments are refused unless the
server was started with --allow-args. Every query stops after 10 s; trace files must be regular files
(at most 256 MB) and are validated; messages over 4 MB are answered with an error.

Options:
  --root DIR            the workspace: programs to record and trace files to load must be inside it
                        (default: the client's first root, else the current directory; the file
                        system root and your home folder are refused)
  --trace FILE          load this trace JSON at start (tracefix trace --format json, Save Trace…)
  --allow-args          let record_trace (and record_baseline) pass program arguments to the script
                        or module
  --python PATH, --debugpy-path DIR, --engine fast|step, --max-events N, --timeout SECONDS,
  --repr-length N       as for \`tracefix trace\` (the limits of every recording)
  -v, --verbose         log requests to stderr
`;
