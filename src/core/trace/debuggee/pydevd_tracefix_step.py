# The stepping engine (the slow correctness reference): pydevd suspends on every line of user code
# (DAP stepIn) and Tracefix calls `__tfx_step()` through `evaluate` at each stop, which records the
# stopped frame's line. Calls, returns and exceptions come from the same code as the fast engine:
# sys.monitoring without LINE events on Python >= 3.12, a profile hook on older Pythons (where the
# exception objects come from pydevd's 'raised' exception stops through `__tfx_exc`).
import dis
import sys
import threading

import pydevd_tracefix_core as core

_RESUME = dis.opmap.get('RESUME', -1)
_RETURNS = frozenset(dis.opmap[n] for n in ('RETURN_VALUE', 'RETURN_CONST') if n in dis.opmap)
_YIELDS = frozenset(dis.opmap[n] for n in ('YIELD_VALUE',) if n in dis.opmap)
_resume_at = {}  # id(frame) -> f_lasti where pydevd stops again in the caller after a return
_last_exc = {}  # thread ident -> exception seen at pydevd's last 'raised' stop
_resumed = {}  # id(generator frame) -> (f_lasti, events recorded) when it was last resumed


def _caller_calls(frame, names):
    """Whether the frame's caller is calling a method of one of these names (its last load)."""
    caller = frame.f_back
    if caller is None:
        return False
    try:
        last = None
        for i in dis.get_instructions(caller.f_code):
            if i.offset > caller.f_lasti:
                break
            if i.opname in ('LOAD_METHOD', 'LOAD_ATTR'):
                last = i.argval
        return last in names
    except Exception:
        return False


def start_profile():
    """Python <= 3.11: calls and returns from a profile hook (pydevd owns sys.settrace)."""
    codes = core.codes
    code_info = core.code_info

    def prof(frame, event, arg):
        try:
            _prof(frame, event, arg)
        except RecursionError:
            core.lost[0] += 1
        except Exception as e:
            core.failed(e)

    def _prof(frame, event, arg):
        if event[1] == '_':  # c_call / c_return / c_exception
            return
        code = frame.f_code
        info = codes.get(code, False)
        if info is False:
            info = code_info(code)
        if info is None:
            return
        if event == 'call':
            if info.suspends and frame.f_lasti >= 0:  # a generator resumed: where, and how far on
                _resumed[id(frame)] = (frame.f_lasti, core.state['n'])
            core.start(frame, info)
            return
        lasti = frame.f_lasti
        op = code.co_code[lasti] if lasti >= 0 else -1
        resumed = _resumed.pop(id(frame), None) if _resumed else None
        if op in _YIELDS and resumed is not None and resumed == (lasti, core.state['n']):
            # Left from the very yield it was resumed at, having run nothing: an exception thrown in
            # (close(), throw()) that it did not handle. close() throws GeneratorExit.
            exc = (
                GeneratorExit()
                if _caller_calls(frame, ('close', 'aclose'))
                else _last_exc.get(threading.get_ident())
            )
            core.leave(frame, 'e', exc if exc is not None else Exception())
        elif op in _RETURNS:
            core.leave(frame, 'r', arg)
        elif op in _YIELDS:
            core.leave(frame, 'y', arg)
        else:
            exc = _last_exc.get(threading.get_ident())
            if info.suspends and _caller_calls(frame, ('close', 'aclose')):
                exc = GeneratorExit()  # pydevd does not stop for it
            core.leave(frame, 'e', exc if exc is not None else Exception())

    sys.setprofile(prof)
    threading.setprofile(prof)


def note_leave(frame):
    """After a return pydevd stops again in the caller, on the calling line: not a new line."""
    if frame.f_back is not None:
        _resume_at[id(frame.f_back)] = frame.f_back.f_lasti


def _user_frame():
    f = sys._getframe(2)
    frames = core.frames
    while f is not None:
        st = frames.get(id(f))
        if st is not None and st[6] is f:
            return f
        f = f.f_back
    return None


def _at_call(frame):
    lasti = frame.f_lasti
    return lasti < 0 or frame.f_code.co_code[lasti] == _RESUME


def _at_return(frame):
    lasti = frame.f_lasti
    if lasti < 0:
        return False
    op = frame.f_code.co_code[lasti]
    return op in _RETURNS or op in _YIELDS


def step():
    """At a stop: record the stopped frame's line (not a call, return or resumption stop)."""
    if not core.state['done']:
        f = _user_frame()
        if f is not None and not _at_call(f) and not _at_return(f):
            expected = _resume_at.pop(id(f), None)
            if expected is None or expected != f.f_lasti:
                core.line(f, f.f_lineno)
    core.channel.flush()
    return ''


def exception_stop(exc_tuple=None):
    """At pydevd's 'raised' exception stop: remember the exception for the frames it leaves."""
    if exc_tuple is not None:
        _last_exc[threading.get_ident()] = exc_tuple[1]
    return ''
