export const HELP = `tracefix — explain and fix Python bugs from a recorded execution trace

Usage:
  tracefix trace <script.py> [options] [-- program args…]
  tracefix trace --test tests/test_x.py::test_name [options]
  tracefix trace --module pkg.mod [options] [-- program args…]

Commands:
  trace   Run the program under debugpy and print its NExT-annotated source (or --format json).

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
  --out FILE            write the output to FILE instead of stdout
  --budget TOKENS       token budget of the NExT text (default 6000); long loops are elided
  --engine logpoint|step  fast logpoint recorder (default) or the slow stepping reference
  --python PATH         interpreter (default: $TRACEFIX_PYTHON, then python3/python on PATH with debugpy)
  --debugpy-path DIR    a folder holding the debugpy package (e.g. ms-python.debugpy's bundled/libs)
  --cwd DIR             working directory of the program (default: current directory)
  --root DIR            folder whose .py files are your code (default: cwd, or the script's folder)
  --stdin FILE          feed FILE to the program's stdin (default: empty stdin, EOF)
  --max-steps N         stop recording after N events (default 20000)
  --timeout SECONDS     wall-clock limit (default 20)
  --repr-length N       longest value repr in characters (default 120)
  -v, --verbose         log the DAP conversation to stderr
`;
