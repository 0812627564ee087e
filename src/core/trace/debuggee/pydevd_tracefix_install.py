# Entry point of the recorder helper: Tracefix injects the pydevd_tracefix_* modules at the entry
# stop (one DAP `evaluate`) and calls `install(cfg)` in the stopped frame. The file names start with
# `pydevd_` so pydevd treats this code as its own (never stepped into, never reported).
import builtins
import json
import os
import sys
import threading

import pydevd_tracefix_channel as channel
import pydevd_tracefix_core as core
import pydevd_tracefix_monitor as monitor
import pydevd_tracefix_pydevd as pydevd_patches
import pydevd_tracefix_roots as roots
import pydevd_tracefix_settrace as settrace
import pydevd_tracefix_step as stepping


def _backend(engine):
    if sys.version_info >= (3, 12) and getattr(sys, 'monitoring', None) is not None:
        return 'monitoring'
    return 'settrace' if engine == 'fast' else 'profile'


def _debugpy_version():
    try:
        import debugpy

        return debugpy.__version__
    except Exception:
        return '?'


_OUTPUT_KEPT = (
    1000000  # characters of output kept in the trace (the program's own output is untouched)
)
_output = {'left': _OUTPUT_KEPT, 'dropped': 0}


class _Tee:
    """Program output as records too, so it can be placed between the events that printed it. Past
    _OUTPUT_KEPT characters the rest is counted, and the trace says how much it left out."""

    def __init__(self, stream, fd):
        self._stream = stream
        self._fd = fd

    def write(self, s):
        if not core.state['done'] and type(s) is str and s:
            left = _output['left']
            if left >= len(s):
                _output['left'] = left - len(s)
                core.buf.append(('O', self._fd, s))
            else:
                if left > 0:
                    core.buf.append(('O', self._fd, s[:left]))
                _output['left'] = 0
                _output['dropped'] += len(s) - max(left, 0)
        return self._stream.write(s)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _final():
    try:
        if _output['dropped']:
            core.buf.append(
                (
                    'O',
                    2,
                    '\n[tracefix: %d more characters of output not kept in the trace]\n'
                    % _output['dropped'],
                )
            )
        core.finish('exit', core.state.get('exit_code'))
        channel.close()
        pydevd_patches.quick_exit(core)
        pydevd_patches.wake_exit_check(core)
    except Exception:
        pass


def _entry_frame():
    f = sys._getframe(2)
    while f is not None:
        if core.user_file(f.f_code.co_filename) >= 0:
            return f
        f = f.f_back
    return None


def install(cfg):
    if cfg.get('protocol') != core.PROTOCOL:
        raise RuntimeError(
            'Tracefix helper protocol %s, asked for %s' % (core.PROTOCOL, cfg.get('protocol'))
        )
    core.CFG.update(
        root=os.path.realpath(cfg['root']),
        main=os.path.realpath(cfg['main']) if cfg.get('main') else '',
        repr=int(cfg['repr']),
        record_imports=bool(cfg.get('recordImports')),
        excluded=frozenset(cfg.get('excluded', ())),
        libraries=roots.library_roots(cfg['root'], cfg.get('notUserCode', ())),
    )
    engine = cfg.get('engine', 'fast')
    here = os.path.dirname(os.path.abspath(__file__))
    if here in sys.path:  # the stepping engine's PYTHONPATH entry: not the program's business
        sys.path.remove(here)
    backend = _backend(engine)
    channel.connect(cfg['channel'], core)
    core.buf.append(
        ('V', core.PROTOCOL, sys.version.split()[0], backend, _debugpy_version(), os.getpid())
    )
    core.state['armed'] = not cfg.get('pytest')
    if cfg.get('stdin') is not None:
        import io

        sys.stdin = io.StringIO(cfg['stdin'])
    else:
        sys.stdin = open(os.devnull)  # noqa: SIM115 -- the program's stdin, open until it exits
    sys.stdout = _Tee(sys.stdout, 1)
    sys.stderr = _Tee(sys.stderr, 2)
    if cfg.get('speedUp', True):
        pydevd_patches.speed_up(core)
    channel.hook_exits(core)
    if hasattr(os, 'register_at_fork'):
        os.register_at_fork(after_in_child=_forked)
    if hasattr(threading, '_register_atexit'):
        threading._register_atexit(_final)
    else:
        import atexit

        atexit.register(_final)
    builtins.__tfx_step = _step_entry
    builtins.__tfx_exc = _exc_entry
    if engine == 'step':
        core.hooks['leave'] = stepping.note_leave
    current = _entry_frame() if core.state['armed'] else None
    if current is not None:
        core.register(current, core.code_info(current.f_code))
        core.line(current, current.f_lineno)
    if backend == 'monitoring':
        monitor.start(lines=engine == 'fast', current=current)
    elif backend == 'settrace':
        settrace.start(current=current)
    else:
        stepping.start_profile()
    channel.flush()
    return json.dumps({'pid': os.getpid(), 'version': sys.version.split()[0], 'backend': backend})


def _forked():
    """A forked child (os.fork, multiprocessing's fork start method) is not the program being
    recorded: it stops recording at once, drops the records it inherited unsent (the parent sends
    them), and its end — os._exit, most often — is never reported as the program's."""
    try:
        core.state['done'] = True
        del core.buf[:]
        channel.detach()
        untrace = core.hooks['untrace']
        if untrace is not None:
            untrace()
    except Exception:
        pass
    if core.hooks['leave'] is not None:
        _untrace_debugger()


def _untrace_debugger():
    """The stepping engine's child: pydevd's threads did not survive the fork, so a stop there would
    wait forever for a resume. No tracer and no sys.monitoring callback is left to stop it."""
    sys.settrace(None)
    threading.settrace(None)
    f = sys._getframe()
    while f is not None:
        f.f_trace = None
        f = f.f_back
    mon = getattr(sys, 'monitoring', None)
    if mon is None:
        return
    for tool in range(6):
        try:
            if mon.get_tool(tool) is None:
                continue
            mon.set_events(tool, 0)
            for name in dir(mon.events):
                ev = getattr(mon.events, name)
                if name.isupper() and isinstance(ev, int) and ev and not (ev & (ev - 1)):
                    mon.register_callback(tool, ev, None)
        except Exception:
            pass


def uncaught(exc):
    """The target ended with an exception (SystemExit included): record what the tracer missed, and
    the exit code it means (sent with the end record, so Tracefix need not wait for debugpy's
    report)."""
    core.state['exit_code'] = exit_code_of(exc)
    try:
        core.recover(exc)
    except Exception as e:
        core.failed(e)


def exit_code_of(exc):
    """The process exit status an uncaught `exc` gives, as CPython computes it: SystemExit(None) is
    0, an int — subclasses too, such as pytest's `ExitCode` IntEnum — is its value modulo 256, any
    other code (a message) 1; any other exception 1 (the boot script prints it and exits with 1)."""
    if not isinstance(exc, SystemExit):
        return 1
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return int(code) & 0xFF
    return 1


def finished_normally():
    core.state['exit_code'] = 0


def _step_entry():
    return stepping.step()


def _exc_entry(exc_tuple=None):
    return stepping.exception_stop(exc_tuple)


builtins.__tfx_install = install
