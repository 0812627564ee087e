# Tracefix's verification launcher: runs pytest, a script or a module the way `python -m pytest
# ...`,
# `python FILE ...` or `python -m NAME ...` would, and sends out-of-band evidence of how it went
# (tracefix_verify_channel.py). Started without PYTHONPATH, so that nothing of the project — a
# sitecustomize.py, a module named like one of the stdlib — is on the path before the evidence key
# is
# read and in hand (only the interpreter's own site-packages are); then the path the run would have
# had is restored, with PYTHONPATH's sitecustomize/usercustomize run as start-up would have, and the
# target runs. For scripts and modules: how the program ended (off the end of the main module,
# SystemExit — where, and whether as the main module's last statement, as in `sys.exit(main())` — or
# an exception), and the watched lines of the original failure. os._exit() sends no end.
# Usage: python tracefix_verify_main.py pytest ARGS... | script PATH ARGS... | module NAME ARGS...
import sys

_HERE = sys.path[0]

import tracefix_verify_channel as _channel  # noqa: E402  (from _HERE: only the stdlib besides)

# The sender stays a local of main() (and closures): no module attribute hands it out.
_key = _channel.read_key()

import ast  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import runpy  # noqa: E402

# Read now, while nothing of the project has run: a file of the copy can be rewritten later.
with open(os.path.join(_HERE, 'tracefix_verify_pytest.py'), 'rb') as _f:
    _PLUGIN_SOURCE = _f.read()


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
            return False
        blocks = [
            b
            for b in (
                getattr(last, 'body', None),
                getattr(last, 'orelse', None),
                getattr(last, 'finalbody', None),
            )
            if isinstance(b, list) and b and isinstance(b[0], ast.stmt)
        ]
        inner = [
            b
            for b in blocks
            if b[0].lineno <= line <= (getattr(b[-1], 'end_lineno', None) or b[-1].lineno)
        ]
        if not inner:
            return True  # the line is the statement itself (or its header)
        body = inner[0]
    return False


def _main_frame_tb(tb):
    """The traceback entry of the main module's top-level code."""
    found = None
    while tb is not None:
        f = tb.tb_frame
        if (
            f.f_code.co_name == '<module>'
            and f.f_globals.get('__name__') == '__main__'
            and f.f_code.co_filename != __file__
        ):
            found = tb
        tb = tb.tb_next
    return found


def _exit_code(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def _customize(name, paths):
    """Runs `name` (sitecustomize, usercustomize) from `paths` as start-up would have: PYTHONPATH
    comes
    before the interpreter's own folders, so its module wins over one already run from there."""
    import importlib.machinery
    import importlib.util

    spec = importlib.machinery.PathFinder.find_spec(name, paths)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:
        sys.stderr.write(
            'Error in %s; set PYTHONVERBOSE for traceback:\n%s: %s\n' % (name, type(e).__name__, e)
        )


def _restore_startup(cfg, first):
    """The path a plain run would have had — `first` (the script's folder or the cwd), PYTHONPATH,
    then
    the interpreter's own — and the sitecustomize/usercustomize start-up would have found on it."""
    given = [p for p in cfg.get('pythonPath', []) if p]
    rest = [p for p in sys.path[1:] if p != _HERE]
    sys.path[:] = given + rest
    if given:
        os.environ['PYTHONPATH'] = os.pathsep.join(given)  # for the run's own child processes
        import site

        _customize('sitecustomize', given)
        if site.ENABLE_USER_SITE:
            _customize('usercustomize', given)
    sys.path.insert(0, first)


def _stop_watching():
    import threading

    sys.settrace(None)
    threading.settrace(None)


def _run_pytest(send, cfg, args):
    _restore_startup(cfg, os.getcwd())
    import pytest

    plugin = {'__name__': 'tracefix_verify_pytest'}
    exec(compile(_PLUGIN_SOURCE, os.path.join(_HERE, 'tracefix_verify_pytest.py'), 'exec'), plugin)
    _channel.watch_lines(send, cfg.get('watch') or [])
    code = int(pytest.main(args, plugins=[plugin['VerifyPlugin'](send)]))
    _stop_watching()
    send({'t': 'exit', 'code': code})
    sys.stdout.flush()
    sys.exit(code)


def _run_program(send, cfg, kind, target, args):
    _restore_startup(
        cfg, os.path.dirname(os.path.abspath(target)) if kind == 'script' else os.getcwd()
    )
    _channel.watch_lines(send, cfg.get('watch') or [])
    try:
        if kind == 'script':
            sys.argv = [target] + args
            runpy.run_path(target, run_name='__main__')
        else:
            sys.argv = [target] + args  # run_module sets argv[0] to the module's file
            runpy.run_module(target, run_name='__main__', alter_sys=True)
        _stop_watching()
        send({'t': 'end', 'how': 'end'})
    except SystemExit as e:
        _stop_watching()
        tb = _main_frame_tb(e.__traceback__)
        direct = tb is not None and tb.tb_next is None
        where = (
            {'file': os.path.abspath(tb.tb_frame.f_code.co_filename), 'line': tb.tb_lineno}
            if tb is not None
            else None
        )
        last = bool(where and direct and _is_last_statement(where['file'], where['line']))
        send(
            {
                't': 'end',
                'how': 'exit',
                'code': _exit_code(e.code),
                'where': where,
                'direct': direct,
                'atEnd': last,
            }
        )
        raise
    except BaseException as e:
        _stop_watching()
        send({'t': 'end', 'how': 'exception', 'type': type(e).__name__})
        if isinstance(e, KeyboardInterrupt):
            raise
        # Print the traceback from the program's own frames on (not this launcher's), as Python
        # would.
        tb = _main_frame_tb(e.__traceback__) or e.__traceback__
        e.__traceback__ = tb
        sys.excepthook(type(e), e, tb)
        sys.stderr.flush()
        sys.exit(1)


def main():
    global _key
    send = _channel.open_channel(_key)
    _key = None
    cfg = json.loads(os.environ.pop('TRACEFIX_VERIFY', '{}') or '{}')
    if (
        len(sys.argv) < 2
        or sys.argv[1] not in ('pytest', 'script', 'module')
        or (sys.argv[1] != 'pytest' and len(sys.argv) < 3)
    ):
        sys.stderr.write(
            'usage: tracefix_verify_main.py pytest ARGS... | script PATH ARGS... '
            '| module NAME ARGS...\n'
        )
        sys.exit(2)
    kind = sys.argv[1]
    send({'t': 'hello', 'kind': kind})
    if kind == 'pytest':
        _run_pytest(send, cfg, sys.argv[2:])
    else:
        _run_program(send, cfg, kind, sys.argv[2], sys.argv[3:])


main()
