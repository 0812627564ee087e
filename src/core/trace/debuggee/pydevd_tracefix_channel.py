# Carries record batches from the debuggee to Tracefix over a socket of its own (a Unix-domain
# socket in a private temp folder, or loopback TCP where there is none), one JSON array per line,
# and takes control messages back: b'F' flush now, b'S' stop recording and flush (timeout, cancel).
# A socket instead of DAP output events: pydevd's writer thread, its JSON re-encoding and the
# adapter's relay were the slowest part of delivering records, and they need the GIL to run.
import contextlib
import json
import os
import select
import socket
import threading
import time

_sock = [None]
_lock = threading.Lock()
_st = {'last': 0.0, 'closed': False, 'batches': 0}
_core = {}


def connect(address, core):
    """Connects to `unix:/path` or `tcp:host:port`; starts the control/idle-flush thread."""
    _core['m'] = core
    if address.startswith('unix:'):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(address[5:])
    else:
        host, port = address[4:].rsplit(':', 1)
        s = socket.create_connection((host, int(port)), timeout=10)
        s.settimeout(None)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    _sock[0] = s
    _st['last'] = time.perf_counter()
    t = threading.Thread(target=_control, name='pydevd.tracefix.channel')
    t.daemon = True
    # pydevd leaves threads marked like its own alone (never traced, never suspended).
    t.is_pydev_daemon_thread = True
    t.pydev_do_not_trace = True
    t.start()


def maybe_flush(force):
    if force or time.perf_counter() - _st['last'] >= 0.05:
        flush()


def flush():
    """Sends every buffered record. Records appended by other threads meanwhile stay buffered."""
    core = _core.get('m')
    if core is None or _st['closed']:
        return
    buf = core.buf
    if not buf:
        return
    with _lock:
        n = len(buf)
        if not n:
            return
        # Encoded before it leaves the buffer: at the program's recursion limit json.dumps may fail,
        # and the records stay buffered for the next flush instead of being lost.
        try:
            payload = json.dumps(buf[:n], separators=(',', ':')).encode('ascii') + b'\n'
        except RecursionError:
            raise
        except Exception as e:  # never lose a batch silently: say what could not be encoded
            payload = (
                json.dumps([('W', 'encode', '%s: %s' % (type(e).__name__, e), n)]).encode('ascii')
                + b'\n'
            )
        del buf[:n]
        try:
            _sock[0].sendall(payload)
            _st['batches'] += 1
        except (OSError, AttributeError):
            _st['closed'] = True
        _st['last'] = time.perf_counter()


def close():
    flush()
    s = _sock[0]
    if s is not None and not _st['closed']:
        _st['closed'] = True
        with contextlib.suppress(OSError):
            s.shutdown(socket.SHUT_WR)


def detach():
    """In a forked child: the socket is the parent's connection too, so the child lets go of its
    copy
    of the descriptor without shutting the connection down, and never sends on it."""
    _st['closed'] = True
    s = _sock[0]
    _sock[0] = None
    if s is not None:
        try:
            s.close()  # only this process's descriptor: the parent's connection stays open
        except OSError:
            pass


def _control():
    """Flushes records of a program that went quiet (sleep, input, a blocking call), and obeys
    Tracefix's requests. Runs only when the program lets go of the GIL."""
    s = _sock[0]
    while not _st['closed']:
        try:
            ready, _, _ = select.select([s], [], [], 0.1)
        except (OSError, ValueError):
            return
        if ready:
            try:
                msg = s.recv(64)
            except OSError:
                msg = b''
            if not msg:
                _st['closed'] = True
                return
            core = _core['m']
            if b'S' in msg:
                core.finish('stop')
            flush()
        elif time.perf_counter() - _st['last'] >= 0.1:
            flush()


def hook_exits(core):
    """os._exit skips atexit: flush first, with the exit code, so the records made so far arrive."""
    real = os._exit

    def _exit(code=0, *rest):
        try:
            core.finish('os._exit', code)
            close()
        except BaseException:
            pass
        return real(code, *rest)

    _exit.__wrapped__ = real
    os._exit = _exit
