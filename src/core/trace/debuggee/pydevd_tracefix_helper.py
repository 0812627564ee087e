# Tracefix recorder helper, injected into the debuggee with one DAP `evaluate`.
# The file name starts with `pydevd_` so pydevd treats this code as its own (never stepped into or
# traced). Line events arrive through logpoints (`{__tfx_hit()}`) or, for the stepping engine, from
# `evaluate("__tfx_step()")` at each stop; calls/returns come from a profile hook. Records are buffered
# and leave the process in batches: as the logpoint's message (an `output` event) or as an evaluate result.
import builtins
import dis
import json
import os
import sys
import threading
import time
import types

_MARK = '\x01TFX'
_CFG = {}
_buf = []
_files = {}          # co_filename -> index, or -1 for non-user files
_frames = {}         # id(frame) -> [fid, depth, last_state]
_resume = {}         # id(frame) -> f_lasti expected at a "return" stop (stepping engine)
_state = {'fid': 0, 'n': 0, 'done': False, 'pending_exc': 0, 'last_flush': 0.0, 'out': 0, 't0': 0.0, 'files': 0, 'last_hit': 0.0}
_RESUME = dis.opmap.get('RESUME', -1)
_RETURNS = {dis.opmap[n] for n in ('RETURN_VALUE', 'RETURN_CONST') if n in dis.opmap}
_YIELDS = {dis.opmap[n] for n in ('YIELD_VALUE',) if n in dis.opmap}
_IMMUTABLE = (int, float, complex, bool, str, bytes, type(None))
_COMPREHENSIONS = ('<listcomp>', '<setcomp>', '<dictcomp>', '<genexpr>')
_EXCLUDED_DIRS = ('site-packages', 'dist-packages', '__pycache__', '.venv', 'venv', '.tox', 'node_modules', '.git')


def _is_user_file(fn):
    if not fn or fn.startswith('<'):
        return False
    try:
        path = os.path.realpath(os.path.abspath(fn))
    except Exception:
        return False
    root = _CFG['root']
    if not (path == root or path.startswith(root + os.sep)):
        return False
    parts = path[len(root):].split(os.sep)
    return not any(p in _EXCLUDED_DIRS for p in parts)


def _file_index(fn):
    idx = _files.get(fn)
    if idx is None:
        if _is_user_file(fn):
            idx = _state['files']
            _state['files'] += 1
            _buf.append(('F', idx, os.path.relpath(os.path.realpath(fn), _CFG['root']).replace(os.sep, '/')))
        else:
            idx = -1
        _files[fn] = idx
    return idx


# ---------------------------------------------------------------- bounded repr
def _brepr(v, limit, depth=0, seen=None):
    t = type(v)
    try:
        if t is str:
            return repr(v) if len(v) <= limit else repr(v[:limit]) + '...'
        if t is int:
            return repr(v) if v.bit_length() < 3000 else '<int with %d bits>' % v.bit_length()
        if t in (float, bool, complex, type(None)):
            return repr(v)
        if t is bytes:
            return repr(v) if len(v) <= limit else repr(v[:limit]) + '...'
        if t in (list, tuple, set, frozenset, dict) or isinstance(v, (list, tuple, dict, set, frozenset)):
            return _container(v, t, limit, depth, seen)
        if isinstance(v, (types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
            return '<function %s>' % getattr(v, '__qualname__', getattr(v, '__name__', '?'))
        if isinstance(v, type):
            return "<class '%s'>" % v.__qualname__
        if isinstance(v, types.ModuleType):
            return "<module '%s'>" % v.__name__
        if t.__repr__ is object.__repr__ and hasattr(v, '__dict__') and depth < 2:
            return _object(v, t, limit, depth, seen)
        r = repr(v)
    except Exception as e:  # a user __repr__ may raise
        r = '<%s repr failed: %s>' % (t.__name__, type(e).__name__)
    r = _strip_addr(r)
    return r if len(r) <= limit else r[:max(limit - 3, 1)] + '...'


def _strip_addr(r):
    i = r.find(' at 0x')
    while i >= 0:
        j = i + 6
        while j < len(r) and r[j] in '0123456789abcdefABCDEF':
            j += 1
        r = r[:i] + r[j:]
        i = r.find(' at 0x')
    return r


def _container(v, t, limit, depth, seen):
    if seen is None:
        seen = set()
    if id(v) in seen or depth > 3:
        return '[...]' if isinstance(v, list) else '{...}' if isinstance(v, (dict, set)) else '(...)'
    seen.add(id(v))
    try:
        if isinstance(v, dict):
            items, opn, cls = v.items(), '{', '}'
        elif isinstance(v, list):
            items, opn, cls = v, '[', ']'
        elif isinstance(v, tuple):
            items, opn, cls = v, '(', ')'
        else:
            if not v:
                return t.__name__ + '()'
            items, opn, cls = (sorted(v) if len(v) <= 200 and _sortable(v) else v), '{', '}'
            if t is frozenset:
                opn, cls = 'frozenset({', '})'
        if t not in (list, tuple, set, frozenset, dict):
            opn = t.__name__ + '(' + opn
            cls = cls + ')'
        parts = []
        size = len(opn) + len(cls)
        count = 0
        total = len(v)
        for item in items:
            if isinstance(v, dict):
                s = _brepr(item[0], limit, depth + 1, seen) + ': ' + _brepr(item[1], limit, depth + 1, seen)
            else:
                s = _brepr(item, limit, depth + 1, seen)
            if size + len(s) + 2 > limit and count > 0:
                break
            parts.append(s)
            size += len(s) + 2
            count += 1
        body = ', '.join(parts)
        if count < total:
            body += ', ...(%d more)' % (total - count)
        elif t is tuple and total == 1:
            body += ','
        return opn + body + cls
    finally:
        seen.discard(id(v))


def _sortable(v):
    try:
        sorted(v)
        return True
    except Exception:
        return False


def _object(v, t, limit, depth, seen):
    parts = []
    size = len(t.__name__) + 2
    for k, x in list(vars(v).items()):
        if k.startswith('__'):
            continue
        s = k + '=' + _brepr(x, limit, depth + 1, seen)
        if size + len(s) > limit and parts:
            parts.append('...')
            break
        parts.append(s)
        size += len(s) + 2
    return t.__name__ + '(' + ', '.join(parts) + ')'


# ---------------------------------------------------------------- locals
def _visible(name, value, module_scope):
    if not name.isidentifier() or name.startswith('__'):
        return False
    if isinstance(value, types.ModuleType):
        return False
    if module_scope and isinstance(value, (types.FunctionType, type, types.BuiltinFunctionType)):
        return False
    return True


def _diff(frame, st):
    """Changes in the frame's visible locals since the last record of this frame."""
    last = st[2]
    new = {}
    changed = {}
    limit = _CFG['repr']
    # Module and class bodies (no CO_NEWLOCALS): their function/class bindings are definitions, not state.
    module_scope = not (frame.f_code.co_flags & 0x2)
    try:
        loc = frame.f_locals
    except Exception:
        return changed, []
    for name, v in list(loc.items()):
        if not _visible(name, v, module_scope):
            continue
        prev = last.get(name)
        if prev is not None and prev[0] is v and type(v) in _IMMUTABLE:
            r = prev[1]
        else:
            r = _brepr(v, limit)
        if prev is None or prev[1] != r:
            changed[name] = r
        new[name] = (v, r)
    deleted = [k for k in last if k not in new]
    st[2] = new
    return changed, deleted


def _frame_state(frame):
    st = _frames.get(id(frame))
    if st is None:
        st = _register(frame, {})
    return st


def _register(frame, bindings_out):
    parent = frame.f_back
    pst = None
    while parent is not None:
        pst = _frames.get(id(parent))
        if pst is not None:
            break
        parent = parent.f_back
    _state['fid'] += 1
    st = [_state['fid'], (pst[1] + 1) if pst else 0, {}]
    _frames[id(frame)] = st
    code = frame.f_code
    fidx = _file_index(code.co_filename)
    changed, _ = _diff(frame, st)
    bindings_out.update(changed)
    scope = 'f' if code.co_flags & 0x2 else 'm' if code.co_name == '<module>' else 'c'
    _buf.append(('C', st[0], pst[0] if pst else 0, fidx, code.co_firstlineno, code.co_name, st[1], changed, scope))
    _count()
    return st


def _count():
    _state['n'] += 1
    if _state['n'] >= _CFG['max'] and not _state['done']:
        _finish('limit')


def _finish(reason):
    _state['done'] = True
    sys.setprofile(None)
    threading.setprofile(None)
    _buf.append(('E', reason, _state['n'], round((time.perf_counter() - (_state['t0'] or time.perf_counter())) * 1000, 1)))


def _user_frame():
    f = sys._getframe(2)
    while f is not None:
        if _file_index(f.f_code.co_filename) >= 0:
            return f
        f = f.f_back
    return None


def _at_call(frame):
    lasti = frame.f_lasti
    return lasti < 0 or frame.f_code.co_code[lasti] == _RESUME


def _at_return(frame):
    # pydevd also stops on 'return' events (a step stop on the returning frame itself).
    lasti = frame.f_lasti
    return lasti >= 0 and (frame.f_code.co_code[lasti] in _RETURNS or frame.f_code.co_code[lasti] in _YIELDS)


def _record_line(frame):
    if _state['pending_exc'] and sys.exc_info()[1] is not None:
        _exc_record(sys.exc_info()[1])
    st = _frame_state(frame)
    changed, deleted = _diff(frame, st)
    _buf.append(('L', st[0], frame.f_lineno, changed, deleted))
    _count()


def _exc_record(exc):
    _state['pending_exc'] = 0
    _buf.append(('X', type(exc).__name__, _brepr(str(exc), _CFG['repr']), _brepr(exc, _CFG['repr'])))


_lock = threading.Lock()


def _batch(force=False):
    if not _buf:
        return ''
    now = time.perf_counter()
    if not force and len(_buf) < _CFG['batch'] and now - _state['last_flush'] < 0.2:
        return ''
    with _lock:
        _state['last_flush'] = now
        data = json.dumps(_buf, separators=(',', ':'))
        del _buf[:]
    return _MARK + data


def _send(text):
    import pydevd
    db = pydevd.get_global_debugger()
    db.writer.add_command(db.cmd_factory.make_io_message(text + os.linesep, '1'))


def _idle_flusher():
    """Sends what is buffered when no line has run for a while (the program sleeps, waits, or is stuck
    inside one long C call), so that a timeout still finds those records delivered. Only when idle:
    a logpoint's own batch is queued right after it returns, so the two never overtake each other."""
    while not _state['done']:
        time.sleep(0.25)
        if not _buf or time.perf_counter() - _state['last_hit'] < 0.25:
            continue
        with _lock:
            if _state['done'] or not _buf:
                continue
            data = json.dumps(_buf, separators=(',', ':'))
            del _buf[:]
            _state['last_flush'] = time.perf_counter()
            try:
                _send(_MARK + data)
            except Exception:
                return


# ---------------------------------------------------------------- entry points
def hit():
    """Logpoint on every executable user line."""
    if _state['done']:
        return ''
    _state['last_hit'] = now = time.perf_counter()
    if not _state['t0']:
        _state['t0'] = now
    f = _user_frame()
    if f is not None and not _at_call(f):
        _record_line(f)
    return _batch(_state['done'])


def step():
    """Stepping engine: called by `evaluate` at each stop, in the stopped frame's context."""
    _state['last_hit'] = time.perf_counter()
    if not _state['t0']:
        _state['t0'] = _state['last_hit']
    if not _state['done']:
        f = _user_frame()
        if f is not None and not _at_call(f) and not _at_return(f):
            expected = _resume.pop(id(f), None)
            if expected is None or expected != f.f_lasti:
                _record_line(f)
    return _batch(True)


def exception_stop(exc_tuple=None):
    """At a DAP exception stop: record the exception that is leaving user code."""
    if exc_tuple is not None and not _state['done']:
        try:
            _exc_record(exc_tuple[1])
        except Exception:
            pass
    return _batch(True)


def flush():
    return _batch(True)


def _profile(frame, event, arg):
    if event[0] == 'c' or _state['done']:  # c_call / c_return / c_exception
        return
    code = frame.f_code
    if _file_index(code.co_filename) < 0:
        return
    if event == 'call':
        if id(frame) not in _frames:
            _register(frame, {})
        return
    # 'return': a real return, a yield, or an exception leaving the frame
    st = _frames.get(id(frame))
    if st is None:
        return
    lasti = frame.f_lasti
    op = code.co_code[lasti] if lasti >= 0 else -1
    kind = 'r' if op in _RETURNS else 'y' if op in _YIELDS else 'e'
    changed, deleted = _diff(frame, st)
    value = _brepr(arg, _CFG['repr']) if kind != 'e' else None
    _buf.append(('R', st[0], frame.f_lineno, kind, value, changed, deleted))
    if kind == 'e':
        _state['pending_exc'] = 1
    if kind != 'y':
        del _frames[id(frame)]
    if _CFG['stepping'] and frame.f_back is not None:
        _resume[id(frame.f_back)] = frame.f_back.f_lasti
    _count()


class _Tee(object):
    def __init__(self, stream, fd):
        self._stream = stream
        self._fd = fd

    def write(self, s):
        if not _state['done'] and isinstance(s, str) and s and _state['out'] < 1000000:
            _state['out'] += len(s)
            _buf.append(('O', self._fd, s))
        return self._stream.write(s)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _final_flush():
    if not _state['done']:
        _finish('exit')
    text = _batch(True)
    try:
        import pydevd
        db = pydevd.get_global_debugger()
        if text:
            _send(text)
        # Once the last batch has left, pydevd's shutdown need not wait 0.5 s for its daemon threads
        # (the reader is blocked on the socket and never finishes early): wait for the writer to drain,
        # then shorten that wait. This is most of the time between the program's end and its exit.
        deadline = time.perf_counter() + 1.0
        while not db.writer.empty() and time.perf_counter() < deadline:
            time.sleep(0.002)
        time.sleep(0.005)
        dispose = pydevd.PyDB.dispose_and_kill_all_pydevd_threads

        def quick_dispose(self, wait=True, timeout=.5):
            return dispose(self, wait, min(timeout, 0.05))

        pydevd.PyDB.dispose_and_kill_all_pydevd_threads = quick_dispose
    except Exception:
        pass


def _speed_up_pydevd():
    """Nagle off on pydevd's socket, and wake its 10 ms suspend poll as soon as a command arrives."""
    try:
        import socket
        import pydevd
        db = pydevd.get_global_debugger()
        db.writer.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except Exception:
        pass
    try:
        import pydevd
        wake = threading.Event()
        real_time = pydevd.time

        class _Time(object):
            def __getattr__(self, name):
                return getattr(real_time, name)

            def sleep(self, secs):
                if secs == 0.01:
                    wake.wait(secs)
                    wake.clear()
                else:
                    real_time.sleep(secs)

        original_post = pydevd.PyDB.post_internal_command

        def post_internal_command(self, int_cmd, thread_id):
            original_post(self, int_cmd, thread_id)
            wake.set()

        pydevd.PyDB.post_internal_command = post_internal_command
        pydevd.time = _Time()
    except Exception:
        pass


def executable_lines(paths):
    """Lines where a line event can start, per file (files that do not compile are skipped)."""
    out = {}
    for p in paths:
        try:
            with open(p, 'rb') as fh:
                code = compile(fh.read(), p, 'exec', dont_inherit=True)
        except Exception:
            continue
        lines = set()
        todo = [code]
        while todo:
            c = todo.pop()
            lines.update(ln for _, ln in dis.findlinestarts(c) if ln is not None and ln > 0)
            todo.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
        out[p] = sorted(lines)
    return out


def install(cfg):
    _CFG.update(root=os.path.realpath(cfg['root']), repr=cfg['repr'], max=cfg['maxSteps'], batch=cfg['batch'],
                stepping=cfg.get('stepping', False))
    _state['last_flush'] = time.perf_counter()
    _state['t0'] = 0.0  # set when the program resumes (first hit), so set-up is not counted
    builtins.__tfx_hit = hit
    builtins.__tfx_step = step
    builtins.__tfx_exc = exception_stop
    builtins.__tfx_flush = flush
    if cfg.get('stdin') is not None:
        import io
        sys.stdin = io.StringIO(cfg['stdin'])
    else:
        sys.stdin = open(os.devnull)
    sys.stdout = _Tee(sys.stdout, 1)
    sys.stderr = _Tee(sys.stderr, 2)
    if cfg.get('speedUp'):
        _speed_up_pydevd()
    if hasattr(threading, '_register_atexit'):
        threading._register_atexit(_final_flush)
    # The frame stopped at entry has already had its first line event: record it by hand.
    f = sys._getframe(1)
    while f is not None and _file_index(f.f_code.co_filename) < 0:
        f = f.f_back
    if f is not None:
        _record_line(f)
    sys.setprofile(_profile)
    threading.setprofile(_profile)
    flusher = threading.Thread(target=_idle_flusher, name='pydevd.tracefix.flusher', daemon=True)
    flusher.start()
    return json.dumps({'lines': executable_lines(cfg['files']), 'pid': os.getpid(), 'version': sys.version.split()[0]})


builtins.__tfx_install = install
