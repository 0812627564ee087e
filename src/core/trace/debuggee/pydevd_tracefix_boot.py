# The program debugpy launches for a fast-engine recording: it installs the recorder (from the
# pydevd_tracefix_* files beside it) and then runs the real target the way `python script.py`,
# `python -m module` or `python -m pytest ...` would. Because the tracer is in place before the
# target's first frame starts, every user frame is seen from its start (no entry stop is needed).
import json
import os
import runpy
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_SKIP = ('pydevd_tracefix_boot.py', 'runpy.py', '<frozen runpy>')


def _set_path0(entry):
    """sys.path[0] as Python sets it for the target: the script's folder, or the cwd for -m. The
    entry debugpy put there for this file is replaced; PYTHONPATH entries stay where they are."""
    if sys.path and sys.path[0] in (_HERE, '', os.getcwd()):
        sys.path[0] = entry
    else:
        sys.path.insert(0, entry)


def _run(target):
    kind = target['kind']
    if kind == 'script':
        path = target['path']
        sys.argv = [path] + list(target['args'])
        _set_path0(os.path.dirname(path))
        runpy.run_path(path, run_name='__main__')
    else:
        sys.argv = [target['module']] + list(target['args'])
        _set_path0(os.getcwd())
        runpy.run_module(target['module'], run_name='__main__', alter_sys=True)


def main():
    with open(os.path.join(_HERE, 'cfg.json')) as fh:
        cfg = json.load(fh)
    sys.path.insert(0, _HERE)
    try:
        import pydevd_tracefix_install

        if cfg.get('pytest'):
            import pydevd_tracefix_pytest  # noqa: F401  (loaded by `-p`, found in sys.modules)
        pydevd_tracefix_install.install(cfg)
    finally:
        sys.path.remove(_HERE)
    try:
        _run(cfg['target'])
        pydevd_tracefix_install.finished_normally()
    except SystemExit as e:
        pydevd_tracefix_install.uncaught(e)
        raise
    except BaseException as e:
        pydevd_tracefix_install.uncaught(e)
        # Report it as Python would for the target alone: without this file's and runpy's frames.
        tb = e.__traceback__
        while tb is not None and os.path.basename(tb.tb_frame.f_code.co_filename) in _SKIP:
            tb = tb.tb_next
        sys.excepthook(type(e), e.with_traceback(tb), tb)
        sys.exit(1)


main()
