# Event source on Python <= 3.11: sys.settrace. The global function sees each frame's 'call' and
# answers None for code that is not user code (no line events there); user frames get a local
# function for 'line' / 'return' / 'exception'. It takes over from pydevd's tracer, which has
# nothing to do in a recording (no breakpoints, no stepping): pydevd_tracing.SetTrace and
# threading.settrace are redirected so threads started later are recorded too. If the program
# installs a tracer of its own, that thread's recording ends there and the trace says so.
import dis
import sys
import threading

import pydevd_tracefix_core as core

_RETURNS = frozenset(dis.opmap[n] for n in ('RETURN_VALUE', 'RETURN_CONST') if n in dis.opmap)
_YIELDS = frozenset(dis.opmap[n] for n in ('YIELD_VALUE',) if n in dis.opmap)
_orig = {}


def _leave_kind(frame):
    lasti = frame.f_lasti
    if lasti < 0:
        return 'e'
    op = frame.f_code.co_code[lasti]
    return 'r' if op in _RETURNS else 'y' if op in _YIELDS else 'e'


def _make(lines):
    codes = core.codes
    code_info = core.code_info
    pending = {}  # id(frame) -> [exception seen in that frame, lines run since], until it leaves

    # A tracer that raises is removed by CPython: at the recursion limit (the program's deepest
    # frames) the callbacks cannot make calls, so what fails there is counted and skipped, never
    # raised.
    def local(frame, event, arg):
        try:
            if event == 'line':
                # A pending exception stays pending across lines: an `except` clause that does not
                # match runs its line and the exception still leaves (the opcode tells, at
                # 'return').
                if pending:
                    p = pending.get(id(frame))
                    if p is not None:
                        p[1] = True
                core.line(frame, frame.f_lineno)
            elif event == 'return':
                kind = _leave_kind(frame)
                p = pending.pop(id(frame), None) if pending else None
                if p is not None and (kind == 'e' or (kind == 'y' and not p[1])):
                    # Raised in the frame (or thrown into a suspended generator: close(), throw(),
                    # where the last instruction is still its yield) and not handled there.
                    core.leave(frame, 'e', p[0])
                else:
                    core.leave(frame, 'r' if kind == 'e' else kind, arg)
            elif event == 'exception':
                pending[id(frame)] = [arg[1], False]
        except RecursionError:
            core.lost[0] += 1
        except Exception as e:
            core.failed(e)
        return local

    def glob(frame, event, arg):
        if event != 'call':
            return None
        try:
            code = frame.f_code
            info = codes.get(code, False)
            if info is False:
                info = code_info(code)
            if info is None:
                return None
            if core.start(frame, info):
                if not lines:
                    frame.f_trace_lines = False
                return local
            if info.is_import:
                frame.f_trace_lines = False
                return local
        except RecursionError:
            core.lost[0] += 1
        except Exception as e:
            core.failed(e)
        return None

    return glob, local


def start(current=None):
    """Replaces pydevd's tracer with ours in this thread and for threads started later."""
    glob, local = _make(True)
    setter = _original_settrace()
    _redirect_pydevd(glob)
    setter(glob)
    threading.settrace(glob)
    _watch_settrace(glob)
    if current is not None:
        current.f_trace = local
        current.f_trace_lines = True

    def rearm():
        if sys.gettrace() is not glob:
            setter(glob)

    core.hooks['rearm'] = rearm
    core.hooks['untrace'] = lambda: untrace(local)
    return glob


def untrace(local):
    """Recording stopped: no thread is traced any more (called from the channel's thread, so the
    frames' own tracers are removed; the global tracer answers None for new calls once done)."""
    threading.settrace(None)
    for top in sys._current_frames().values():
        f = top
        while f is not None:
            if f.f_trace is local:
                f.f_trace = None
            f = f.f_back


def _original_settrace():
    try:
        import pydevd_tracing

        return pydevd_tracing.TracingFunctionHolder._original_tracing or sys.settrace
    except Exception:
        return sys.settrace


def _redirect_pydevd(glob):
    """pydevd re-applies its own tracer when a thread starts: give it ours instead."""
    try:
        import pydevd_tracing
    except Exception:
        return
    real = pydevd_tracing.SetTrace
    _orig['SetTrace'] = real

    def SetTrace(tracing_func):
        return real(glob if tracing_func is not None else None)

    pydevd_tracing.SetTrace = SetTrace
    try:
        import pydevd

        db = pydevd.get_global_debugger()
        if db is not None:
            db.trace_dispatch = glob
            db.get_thread_local_trace_func = lambda *a, **k: glob
    except Exception as e:
        core.warn(
            'pydevd', 'could not redirect pydevd.trace_dispatch: %s: %s' % (type(e).__name__, e)
        )


def _watch_settrace(glob):
    """A sys.settrace call from the program replaces our tracer: note where, then let it. The real
    settrace is called, not pydevd's wrapper: that one prints a "PYDEV DEBUGGER WARNING" with a
    stack into the program's output and runs it under the program's new tracer, which then sees
    hundreds of calls the program never made."""
    current = _original_settrace()

    def settrace(func):
        if func is not glob:
            caller = sys._getframe(1)
            core.note_tracer_lost(caller)
            if func is None:
                core.note_tracing_off(caller)
        return current(func)

    settrace.__wrapped__ = current
    sys.settrace = settrace
