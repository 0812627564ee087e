# Event source on Python >= 3.12: sys.monitoring with a tool id of our own (pydevd holds the
# debugger's). PY_START is the only global event besides PY_UNWIND: it returns DISABLE for every
# code object that is not user code, so other code costs one callback per code object, ever; user
# code objects get LINE / PY_RETURN / PY_YIELD / PY_RESUME as local events when they first run.
# Nothing is done for files that never run.
import dis
import sys

import pydevd_tracefix_core as core

_M = getattr(sys, 'monitoring', None)
_tool = [None]


def available():
    return _M is not None


def _claim():
    for tool in (3, 4, 1, 2):
        try:
            _M.use_tool_id(tool, 'tracefix')
            return tool
        except ValueError:
            continue
    raise RuntimeError('no free sys.monitoring tool id (3, 4, 1, 2 are taken)')


def same_line_jumps(code):
    """{offset: line} of the backward jumps that stay on one line: the loop of a comprehension,
    which Python 3.12 inlines into the function (PEP 709), or a one-line `while`. LINE events do not
    fire again for them, so each turn of such a loop is recorded on its JUMP (as pydevd steps
    it)."""
    out = {}
    try:
        ins = list(dis.get_instructions(code))
        line_at = {}
        line = None
        for i in ins:
            pos = i.positions
            if pos is not None and pos.lineno is not None:
                line = pos.lineno
            line_at[i.offset] = line
        for i in ins:
            if (
                (
                    i.opcode in dis.hasjrel
                    and 'BACKWARD' in i.opname
                    and isinstance(i.argval, int)
                    and i.argval < i.offset
                )
                and line_at.get(i.offset) is not None
                and line_at.get(i.offset) == line_at.get(i.argval)
            ):
                out[i.offset] = line_at[i.offset]
    except Exception:
        return {}
    return out


def start(lines=True, current=None):
    """Starts recording. `lines`: record line events (False for the stepping engine, whose lines
    come from its stops). `current`: a frame already running (the entry frame) to record from now
    on."""
    E = _M.events
    tool = _tool[0] = _claim()
    local = (E.LINE if lines else 0) | E.PY_RETURN | E.PY_YIELD | E.PY_RESUME
    get_frame = sys._getframe
    DISABLE = _M.DISABLE
    codes = core.codes
    code_info = core.code_info
    set_local = _M.set_local_events

    lost = core.lost
    failed = core.failed

    # An exception raised in a callback would surface in the program: at the recursion limit (the
    # program's deepest frames) the callbacks cannot make calls, so what fails there is counted.
    def py_start(code, offset):
        try:
            info = codes.get(code, False)
            if info is False:
                info = code_info(code)
            if info is None:
                return DISABLE
            frame = get_frame(1)
            if (core.start(frame, info) or info.is_import) and not info.events_on:
                info.events_on = True
                if info.is_import and not core.CFG['record_imports']:
                    set_local(tool, code, E.PY_RETURN)
                else:
                    info.jumps = same_line_jumps(code) if lines else {}
                    set_local(tool, code, local | E.JUMP if info.jumps else local)
        except RecursionError:
            lost[0] += 1
        except Exception as e:
            failed(e)
        return None

    def py_resume(code, offset):
        try:
            if codes.get(code) is not None:
                core.start(get_frame(1), codes[code])
        except RecursionError:
            lost[0] += 1
        except Exception as e:
            failed(e)

    def line(code, lineno):
        try:
            core.line(get_frame(1), lineno)
        except RecursionError:
            lost[0] += 1
        except Exception as e:
            failed(e)

    def py_return(code, offset, value):
        try:
            core.leave(get_frame(1), 'r', value)
        except RecursionError:
            lost[0] += 1
        except Exception as e:
            failed(e)

    def py_yield(code, offset, value):
        try:
            core.leave(get_frame(1), 'y', value)
        except RecursionError:
            lost[0] += 1
        except Exception as e:
            failed(e)

    def py_unwind(code, offset, exc):
        try:
            if codes.get(code) is not None:
                core.leave(get_frame(1), 'e', exc)
        except RecursionError:
            lost[0] += 1
        except Exception as e:
            failed(e)

    def py_throw(code, offset, exc):
        # An exception thrown into a suspended generator or coroutine (close(), throw()): it
        # resumes. Its own frame, not this callback's, is the one one level up.
        try:
            if codes.get(code) is not None:
                core.start(get_frame(1), codes[code])
        except RecursionError:
            lost[0] += 1
        except Exception as e:
            failed(e)

    def jump(code, src, dst):
        try:
            info = codes.get(code)
            line_no = info.jumps.get(src) if info is not None and info.jumps else None
            if line_no is None:
                return DISABLE  # an ordinary loop edge: LINE events already cover it
            core.line(get_frame(1), line_no)
        except RecursionError:
            lost[0] += 1
        except Exception as e:
            failed(e)
        return None

    reg = _M.register_callback
    reg(tool, E.PY_START, py_start)
    reg(tool, E.PY_RESUME, py_resume)
    reg(tool, E.PY_THROW, py_throw)
    reg(tool, E.LINE, line)
    reg(tool, E.PY_RETURN, py_return)
    reg(tool, E.PY_YIELD, py_yield)
    reg(tool, E.PY_UNWIND, py_unwind)
    reg(tool, E.JUMP, jump)
    _M.set_events(tool, E.PY_START | E.PY_UNWIND | E.PY_THROW)
    if lines:  # the fast engine: at Tracefix's time limit the program goes on without events
        core.hooks['untrace'] = stop
    if current is not None:
        info = code_info(current.f_code)
        if info is not None:
            info.events_on = True
            info.jumps = same_line_jumps(current.f_code) if lines else {}
            set_local(tool, current.f_code, local | E.JUMP if info.jumps else local)
    return tool


def stop():
    tool = _tool[0]
    if tool is None:
        return
    _tool[0] = None
    try:
        _M.set_events(tool, 0)
        for code, info in list(core.codes.items()):
            if info is not None and info.events_on:
                _M.set_local_events(tool, code, 0)
        _M.free_tool_id(tool)
    except Exception:
        pass
