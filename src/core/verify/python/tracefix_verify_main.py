# Runs a script (`python FILE args`) or module (`python -m NAME args`) for Tracefix's patch
# verification and records out of band (a JSON file named in TRACEFIX_VERIFY) how it ended: by
# running off the end of the main module, by SystemExit (where, and whether from the main module's
# last statement, as in `sys.exit(main())`), or by an exception. It also watches the line that
# failed in the original run: how often it ran and how often an exception passed through it, even
# one the program then caught. os._exit() leaves no record: a run that never reached its end.
# Usage: python tracefix_verify_main.py script PATH [args...] | module NAME [args...]
import ast
import json
import os
import runpy
import sys
import threading

_CFG = json.loads(os.environ.pop('TRACEFIX_VERIFY', '{}') or '{}')
_record = {'end': None, 'watch': None}


def _write():
    path = _CFG.get('record')
    if not path:
        return
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(_record, f)
    os.replace(tmp, path)


def _statement_lines(tree, line):
    """Lines of the innermost statement holding `line` (a compound statement: its header only)."""
    best = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        end = getattr(node, 'end_lineno', None) or node.lineno
        body = getattr(node, 'body', None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = max(node.lineno, body[0].lineno - 1)
        if node.lineno <= line <= end and (best is None or end - node.lineno <= best[1] - best[0]):
            best = (node.lineno, end)
    return set(range(best[0], best[1] + 1)) if best else {line}


def _is_last_statement(filename, line):
    """Is `line` inside the statement that ends the module (the last one at every nesting level)?"""
    try:
        with open(filename, 'rb') as f:
            tree = ast.parse(f.read())
    except Exception:
        return False
    body = tree.body
    while body:
        last = body[-1]
        end = getattr(last, 'end_lineno', None) or last.lineno
        if not (last.lineno <= line <= end):
            # An if/else: the last statement of either branch ends the module.
            return False
        blocks = [b for b in (getattr(last, 'body', None), getattr(last, 'orelse', None), getattr(last, 'finalbody', None)) if isinstance(b, list) and b and isinstance(b[0], ast.stmt)]
        inner = [b for b in blocks if b[0].lineno <= line <= (getattr(b[-1], 'end_lineno', None) or b[-1].lineno)]
        if not inner:
            return True  # the line is the statement itself (or its header)
        body = inner[0]
    return False


def _watch(spec):
    target = os.path.realpath(spec['file'])
    try:
        with open(target, 'rb') as f:
            lines = _statement_lines(ast.parse(f.read()), spec['line'])
    except Exception:
        lines = {spec['line']}
    state = {'file': spec['file'], 'line': spec['line'], 'ran': 0, 'raised': 0, 'exception': None}
    _record['watch'] = state
    known = {}
    first, last = min(lines), max(lines)

    def ours(code):
        r = known.get(code.co_filename)
        if r is None:
            try:
                r = os.path.realpath(os.path.abspath(code.co_filename)) == target
            except Exception:
                r = False
            known[code.co_filename] = r
        return r

    def local(frame, event, arg):
        if first <= frame.f_lineno <= last and frame.f_lineno in lines:
            if event == 'line':
                state['ran'] += 1
            elif event == 'exception' and issubclass(arg[0], SystemExit):
                pass  # how the program ended is judged from the end record
            elif event == 'exception':
                state['raised'] += 1
                if state['exception'] is None:
                    state['exception'] = getattr(arg[0], '__name__', str(arg[0]))
        return local

    def glob(frame, event, arg):
        return local if event == 'call' and ours(frame.f_code) else None

    sys.settrace(glob)
    threading.settrace(glob)


def _main_frame_tb(tb):
    """The traceback entry of the main module's top-level code, and whether it is the last one."""
    found = None
    while tb is not None:
        f = tb.tb_frame
        if f.f_code.co_name == '<module>' and f.f_globals.get('__name__') == '__main__' and f.f_code.co_filename != __file__:
            found = tb
        tb = tb.tb_next
    return found


def _exit_code(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('script', 'module'):
        sys.stderr.write('usage: tracefix_verify_main.py script PATH [args...] | module NAME [args...]\n')
        sys.exit(2)
    kind, target, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if _CFG.get('watch'):
        _watch(_CFG['watch'])
    try:
        if kind == 'script':
            sys.argv = [target] + args
            sys.path[0] = os.path.dirname(os.path.abspath(target))
            runpy.run_path(target, run_name='__main__')
        else:
            sys.argv = [target] + args  # run_module sets argv[0] to the module's file
            sys.path[0] = os.getcwd()
            runpy.run_module(target, run_name='__main__', alter_sys=True)
        _record['end'] = {'how': 'end'}
    except SystemExit as e:
        tb = _main_frame_tb(e.__traceback__)
        direct = tb is not None and tb.tb_next is None
        where = {'file': os.path.abspath(tb.tb_frame.f_code.co_filename), 'line': tb.tb_lineno} if tb is not None else None
        last = bool(where and direct and _is_last_statement(where['file'], where['line']))
        _record['end'] = {'how': 'exit', 'code': _exit_code(e.code), 'where': where, 'direct': direct, 'atEnd': last}
        raise
    except BaseException as e:
        _record['end'] = {'how': 'exception', 'type': type(e).__name__}
        tb = _main_frame_tb(e.__traceback__) or e.__traceback__
        sys.settrace(None)
        threading.settrace(None)
        _write()
        if isinstance(e, KeyboardInterrupt):
            raise
        # Print the traceback from the program's own frames on (not this runner's), as Python would.
        e.__traceback__ = tb
        sys.excepthook(type(e), e, tb)
        sys.stderr.flush()
        sys.exit(1)
    finally:
        sys.settrace(None)
        threading.settrace(None)
        if _record['end'] is not None and _record['end']['how'] != 'exception':
            _write()


main()
