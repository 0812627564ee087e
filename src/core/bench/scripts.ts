// The Python files of a benchmark task: the test script that runs the dataset's assertions against
// `solution.py` (traced, then run again to verify a patch), and HumanEval+'s judging script.

/**
 * HumanEval runs the program and its test in one namespace; with the program in its own module the
 * test gets every name the module defines (helpers, imports such as `math`), underscored ones too.
 */
const IMPORT_SOLUTION = `import solution as _solution
globals().update({k: v for k, v in vars(_solution).items() if not k.startswith('__')})`;

function callsCheck(test: string, entryPoint: string): boolean {
  return new RegExp(`^check\\(\\s*${entryPoint}\\s*\\)`, 'm').test(test);
}

/** HumanEvalFix: the record's `test` (a `check(candidate)` with asserts), then `check(entry_point)`. */
export function humanEvalTestScript(id: string, test: string, entryPoint: string): string {
  const body = test.replace(/^\n+/, '').replace(/\s+$/, '');
  const call = callsCheck(body, entryPoint) ? '' : `\n\ncheck(${entryPoint})`;
  return `# ${id}: the dataset's test, run against solution.py\n${IMPORT_SOLUTION}\n\n${body}${call}\n`;
}

/**
 * The HumanEval+ harness imports numpy only for `np.allclose` and float dtype checks. The tracing
 * interpreter may lack numpy (Debian's python3 with debugpy does), so a pure-Python stand-in with
 * the same semantics for the scalars, lists and tuples the tests compare is installed when needed.
 */
const NUMPY_FALLBACK = `import sys as _sys
try:
    import numpy as _np  # noqa: F401
except ImportError:
    import types as _types

    def _flat(x):
        if isinstance(x, (list, tuple)):
            out = []
            for v in x:
                out.extend(_flat(v))
            return out
        return [x]

    def _allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
        fa, fb = _flat(a), _flat(b)
        if len(fa) == 1 and len(fb) > 1:
            fa = fa * len(fb)
        if len(fb) == 1 and len(fa) > 1:
            fb = fb * len(fa)
        if len(fa) != len(fb):
            raise ValueError("operands could not be broadcast together")
        for x, y in zip(fa, fb):
            x, y = float(x), float(y)
            if x != x or y != y:
                if not (equal_nan and x != x and y != y):
                    return False
            elif abs(x - y) > atol + rtol * abs(y):
                return False
        return True

    class _NoArray:
        pass

    _np = _types.ModuleType("numpy")
    _np.allclose = _allclose
    _np.ndarray = _NoArray
    _np.float64 = float
    _np.float32 = float
    _sys.modules["numpy"] = _np`;

/** HumanEval+ (OriginFmt): its self-contained `check(candidate)`, called on the entry point. */
export function humanEvalPlusJudgeScript(id: string, test: string, entryPoint: string): string {
  const body = test.replace(/^\n+/, '').replace(/\s+$/, '');
  const call = callsCheck(body, entryPoint) ? '' : `\n\ncheck(${entryPoint})`;
  return `# ${id}: HumanEval+ tests (OriginFmt), run against solution.py\n${NUMPY_FALLBACK}\n\n${IMPORT_SOLUTION}\n\n${body}${call}\n`;
}

/** MBPP: the record's `test_imports` and `test_list` assertions. */
export function mbppTestScript(id: string, testImports: string[], testList: string[]): string {
  const imports = testImports.length ? `${testImports.join('\n')}\n` : '';
  return `# ${id}: the dataset's assertions, run against solution.py\n${imports}${IMPORT_SOLUTION}\n\n${testList.join('\n')}\n`;
}

/**
 * Turns MBPP reference programs into stubs: every top-level function keeps its signature (and
 * decorators) but its body becomes the task statement as docstring and `raise NotImplementedError`;
 * imports, classes and constants stay. Run once for all records (stdin: JSON list of
 * {code, prompt}; stdout: JSON list of texts, or null where the code does not parse).
 */
export const MBPP_STUBBER = `import ast, json, sys
out = []
for rec in json.load(sys.stdin):
    try:
        tree = ast.parse(rec["code"])
    except SyntaxError:
        out.append(None)
        continue
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.body = [
                ast.Expr(ast.Constant(rec["prompt"])),
                ast.Raise(exc=ast.Call(func=ast.Name("NotImplementedError", ast.Load()), args=[], keywords=[]), cause=None),
            ]
    out.append(ast.unparse(ast.fix_missing_locations(tree)) + "\\n")
print(json.dumps(out))
`;
