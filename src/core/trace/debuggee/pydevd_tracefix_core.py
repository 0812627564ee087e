# The recorder's state, shared by the event sources (pydevd_tracefix_monitor on Python >= 3.12,
# pydevd_tracefix_settrace on older Pythons, pydevd_tracefix_step for the stepping engine):
# which code is user code, the frames being recorded, the diff of their locals, and the records.
# Records are tuples (the contract with src/core/trace/records.ts, PROTOCOL below); they leave the
# process in batches through pydevd_tracefix_channel.
import gc
import os
import threading
import time

import pydevd_tracefix_channel as channel
import pydevd_tracefix_uses as uses
from pydevd_tracefix_code import PURE, mutating_lines
from pydevd_tracefix_delta import View, check, followed, forget
from pydevd_tracefix_repr import brepr, exception_parts
from pydevd_tracefix_roots import inside

PROTOCOL = 3
CFG = {
    'root': '',
    'repr': 120,
    'main': '',
    'record_imports': False,
    'excluded': (),
    'hard_cap': 50000000,
    'libraries': (),
}  # folders never user code (pydevd_tracefix_roots)
state = {
    'n': 0,  # events recorded
    'fid': 0,  # last frame (call) id
    'files': 0,  # user files seen
    'done': False,  # recording ended (exit, hard cap, stop request)
    'armed': True,  # pytest targets: only while the selected test runs
    't0': 0.0,  # first event (perf_counter)
    'lost_tracer': 0,  # the program replaced the tracer (settrace source)
}
hooks = {
    'leave': None,
    'rearm': None,
    'untrace': None,
}  # stepping engine's leave note; re-arm and remove the event source
files = {}  # co_filename -> file index, or -1 (not user code)
codes = {}  # code object -> CodeInfo, or None (not user code)
frames = {}  # id(frame) -> FrameState
imports = {}  # thread ident -> [import entries] (module bodies run by imports, not line-recorded)
buf = []  # records not yet sent
lost = [0]  # events not recorded because the program was at its recursion limit
blind = (
    set()
)  # id(frame): frames whose lines went unseen (tracing switched off); see note_tracing_off
_failures = {}  # recorder errors already reported (type and message)
IMMUTABLE = frozenset((int, float, complex, bool, str, bytes, type(None), tuple, frozenset, range))
_STALE = '\x00'  # the repr of a cut value after a delta: not computed again until needed


class CodeInfo:
    __slots__ = (
        'comprehension',
        'coro',
        'events_on',
        'file',
        'first',
        'free',
        'is_import',
        'jumps',
        'mutating',
        'name',
        'names',
        'scope',
        'suspends',
    )

    def __init__(self, code, fidx):
        self.file = fidx
        self.name = code.co_name
        self.first = code.co_firstlineno
        self.scope = 'f' if code.co_flags & 0x2 else 'm' if code.co_name == '<module>' else 'c'
        self.free = frozenset(code.co_freevars)
        self.comprehension = code.co_name in ('<listcomp>', '<setcomp>', '<dictcomp>', '<genexpr>')
        self.mutating = mutating_lines(code)
        self.is_import = self.scope == 'm' and os.path.realpath(code.co_filename) != CFG['main']
        self.events_on = False
        self.jumps = (
            None  # monitoring source: {offset: line} of one-line loops (see same_line_jumps)
        )
        # Attribute (and global) names the code uses: the attributes of a cut value worth following.
        self.names = frozenset(code.co_names)
        self.coro = bool(
            code.co_flags & 0x280
        )  # a coroutine or an async generator: it also suspends at `await`
        self.suspends = bool(code.co_flags & 0x2A0)  # a generator, coroutine or async generator


def _under_root(path):
    root = CFG['root']
    return path[len(root) + 1 :] if path.startswith(root + os.sep) else None


def user_file(fn):
    """File index of a user file (under the root, outside excluded folders), else -1. A module
    reached
    through a symlink under the root is user code, named by its link, wherever its target lies."""
    idx = files.get(fn)
    if idx is not None:
        return idx
    idx = -1
    if fn and not fn.startswith('<'):
        try:
            absolute = os.path.abspath(fn)
            path = os.path.join(
                os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute)
            )
            rel = _under_root(path)
            if rel is None:
                path = os.path.realpath(absolute)
                rel = _under_root(path)
            if rel is not None and inside(path, CFG['libraries']):
                rel = None  # the interpreter's, an installed library's, debugpy's or Tracefix's own
        except Exception:
            rel = None
        if rel is not None:
            parts = rel.split(os.sep)
            if not any(p in CFG['excluded'] for p in parts[:-1]) and not parts[-1].startswith(
                'pydevd_tracefix'
            ):
                idx = state['files']
                state['files'] += 1
                buf.append(('F', idx, rel.replace(os.sep, '/')))
    files[fn] = idx
    return idx


def code_info(code):
    """CodeInfo of a user code object, None for any other code (cached per code object)."""
    info = codes.get(code, False)
    if info is False:
        fidx = user_file(code.co_filename)
        info = CodeInfo(code, fidx) if fidx >= 0 else None
        codes[code] = info
    return info


# ------------------------------------------------------------------ locals
def _visible(name, v, module_scope):
    if name[:2] == '__' or not name.isidentifier():
        return False
    t = type(v)
    if t.__name__ == 'module':
        return False
    callable_kind = t.__name__ in ('function', 'builtin_function_or_method') or isinstance(v, type)
    return not (module_scope and callable_kind)


def diff(frame, st, full):
    """(changed, deleted, deltas) of the frame's visible locals since its last record; each None
    when
    empty. `full`: whether mutable values may have changed in place (True, False, or the names an
    in-place operator stored into); else an unchanged identity is an unchanged value. Mutable values
    are followed through the frame's View (pydevd_tracefix_delta): a value shown whole is repr'd
    again only when it changed; a cut one reports its changes as deltas. Values the view cannot
    follow (no attributes, e.g. arrays) are repr'd again and compared."""
    try:
        loc = frame.f_locals
        if st[4].scope == 'm' and loc is not frame.f_globals:
            # Python 3.13, inside a comprehension inlined into module code: f_locals holds only the
            # comprehension's variables; the module's own are still there.
            merged = dict(frame.f_globals)
            merged.update(loc)
            loc = merged
        items = list(loc.items())
    except Exception:
        return None, None, None
    keep = False
    if full is not True and full:
        keep = True  # only these names may have changed: the rest of the view stays as it is
        full = frozenset(n for n in full if n in loc and type(loc[n]) not in IMMUTABLE)
    known = st[2]
    info = st[4]
    limit = CFG['repr']
    changed = deleted = None
    module_scope = info.scope != 'f'
    roots = fresh = quiet = None  # values to compare through the view; values newly bound
    for name, v in items:
        prev = known.get(name)
        if prev is not None and prev[0] is v:
            if not full or prev[1] is None or type(v) in IMMUTABLE or (keep and name not in full):
                continue
            if prev[3]:  # followed through the view
                if roots is None:
                    roots = []
                roots.append((name, v))
                continue
            text, complete = _repr(v, limit)
            if text == prev[1]:
                continue
        elif prev is None or prev[1] is None:
            if not _visible(name, v, module_scope):
                known[name] = [v, None, False, False]
                continue
            text, complete = _repr(v, limit)
        else:
            if prev[3] and st[7] is not None:
                forget(st[7], name)  # rebound: what it held is watched until every name is walked
            text, complete = _repr(v, limit)
        if changed is None:
            changed = {}
        changed[name] = text
        follow = type(v) not in IMMUTABLE and followed(v, complete)
        known[name] = [v, text, not complete, follow]
        if follow:
            if fresh is None:
                fresh = []
            fresh.append((name, v))
            if complete:
                if quiet is None:
                    quiet = set()
                quiet.add(name)
    if len(known) != len(items):
        names = {k for k, _ in items}
        for k in [k for k in known if k not in names]:
            if known[k][1] is not None:
                deleted = (deleted or []) + [k]
            if known[k][3] and st[7] is not None:
                forget(st[7], k)
            del known[k]
    deltas = None
    if roots is not None or fresh is not None:
        view = st[7]
        if view is None:
            view = st[7] = View()
        if roots is not None:
            for name, _ in roots:
                if not known[name][2]:
                    if quiet is None:
                        quiet = set()
                    quiet.add(name)
        try:
            deltas, touched = check(
                view,
                roots or (),
                fresh or (),
                limit,
                names=info.names,
                quiet=quiet or (),
                keep=keep,
            )
        except RecursionError:
            deltas, touched = None, ()
        if touched:  # shown whole and changed: shown again (in the order of the locals)
            shown = dict(changed or ())
            changed = {}
            for name, _ in items:
                if name in touched:
                    entry = known[name]
                    text, complete = _repr(entry[0], limit)
                    if text != entry[1]:
                        changed[name] = entry[1] = text
                        entry[2] = not complete
                elif name in shown:
                    changed[name] = shown[name]
            changed = changed or None
    return changed, deleted, deltas or None


def _repr(v, limit):
    try:
        return brepr(v, limit)
    except RecursionError:
        return '<not recorded: recursion limit>', True


# ------------------------------------------------------------------ records
def emit(rec):
    buf.append(rec)
    n = state['n'] = state['n'] + 1
    # The first records leave at once (a program stuck in its first lines, holding the GIL, still
    # shows them); then batches of 512, or every 50 ms (checked every 32 records).
    if n <= 16 or len(buf) >= 512 or (n & 31) == 0:
        channel.maybe_flush(n <= 16 or len(buf) >= 512)
    if n >= CFG['hard_cap']:
        finish('cap')


def start(frame, info):
    """A user frame starts (or a generator resumes). Returns False when it is not recorded."""
    st = frames.get(id(frame))
    if st is not None and st[6] is frame:
        st[5] = True  # resumed: anything may have changed while it was suspended
        _note_user_call(frame.f_back)
        return True
    if state['done'] or not state['armed']:
        return False
    ident = threading.get_ident() if imports else 0
    stack = imports.get(ident) if ident else None
    if stack:
        stack[-1][2] += 1  # a call made while a module is being imported: counted, not recorded
        return False
    if info.is_import and not CFG['record_imports']:
        imports.setdefault(threading.get_ident(), []).append([frame, info, 0, time.perf_counter()])
        return False
    register(frame, info)
    if len(frames) > _SWEEP_AT[0]:
        _sweep()
    return True


_SWEEP_AT = [4096]


def _sweep():
    """Forgets suspended generators that were closed without running again (Python 3.13 closes one
    suspended outside any `try` without an event): their frame has been cleared."""
    for key, st in list(frames.items()):
        if st[4].suspends and st[2] and not st[6].f_locals:
            del frames[key]
    _SWEEP_AT[0] = max(4096, 2 * len(frames))


def _note_user_call(parent):
    """User code runs on behalf of the nearest recorded frame below it: a line of that frame whose
    calls change nothing in place (code.PURE) is compared again after all."""
    while parent is not None:
        pst = frames.get(id(parent))
        if pst is not None and pst[6] is parent:
            pst[8] = True
            return
        parent = parent.f_back


def register(frame, info):
    parent = frame.f_back
    pst = None
    while parent is not None:
        pst = frames.get(id(parent))
        if pst is not None and pst[6] is parent:
            break
        pst = None
        parent = parent.f_back
    if pst is not None:
        pst[8] = True
    state['fid'] += 1
    if not state['t0']:
        state['t0'] = time.perf_counter()
    known = {}
    # Closure cells are the enclosing function's variables: known silently, never listed as
    # bindings.
    # [call id, depth, known locals, last line, CodeInfo, resumed, frame, View of its cut values,
    #  user code ran since its last event]
    st = [state['fid'], (pst[1] + 1) if pst else 0, known, None, info, False, frame, None, False]
    if blind:
        blind.discard(id(frame))  # a new frame at the address of one that ended unseen
    frames[id(frame)] = st
    bindings = None
    if info.free:
        try:
            for name in info.free:
                if name in frame.f_locals:
                    v = frame.f_locals[name]
                    known[name] = [v, brepr(v, CFG['repr'])[0], False, False]
        except Exception:
            pass
    bindings, _, _ = diff(frame, st, False)
    uses.send(frame.f_code, info.file, buf)
    ix = uses.ids(bindings, known)
    rec = (
        'C',
        st[0],
        pst[0] if pst else 0,
        info.file,
        info.first,
        info.name,
        st[1],
        bindings or 0,
        info.scope,
    )
    emit(rec + (ix,) if ix else rec)
    return st


def _may_have_changed(st):
    """Whether the frame's last line may have changed its mutable values in place: True, False, or
    the names an in-place operator stored into (pydevd_tracefix_code.mutating_lines)."""
    m = st[4].mutating
    if st[5] or m is None:
        return True
    full = m.get(st[3], False)
    return st[8] if full == PURE else full


def line(frame, lineno):
    st = frames.get(id(frame))
    if st is None or state['done'] or st[6] is not frame:
        return
    if blind and id(frame) in blind:
        # It ran unseen: its state is taken as it is now (all of it), reported as no line's change.
        blind.discard(id(frame))
        diff(frame, st, True)
        ch = de = dl = None
    else:
        ch, de, dl = diff(frame, st, _may_have_changed(st))
    st[3] = lineno
    st[5] = st[8] = False
    ix = uses.ids(ch, st[2]) if ch is not None else 0
    if ix:
        emit(('L', st[0], lineno, ch, de or 0, dl or 0, ix))
    elif dl is not None:
        emit(('L', st[0], lineno, ch or 0, de or 0, dl))
    elif de is not None:
        emit(('L', st[0], lineno, ch or 0, de))
    elif ch is not None:
        emit(('L', st[0], lineno, ch))
    else:
        emit(('L', st[0], lineno))


def leave(frame, kind, value):
    """The frame returns ('r'), yields ('y') or is left by an exception ('e', value = the
    exception)."""
    key = id(frame)
    st = frames.get(key)
    if st is None or st[6] is not frame:
        _import_end(frame)
        return
    if state['done']:
        return
    if kind == 'y' and st[4].coro:
        if type(value).__name__ != 'async_generator_wrapped_value':
            # A coroutine (or async generator) suspended at an `await`: no value left it. Its line's
            # changes are recorded when it resumes.
            st[5] = True
            if hooks['leave'] is not None:
                hooks['leave'](frame)
            return
        value = _unwrap(value)  # an async generator's `yield value`
    if blind and key in blind:
        blind.discard(key)
        diff(frame, st, True)
        ch = de = dl = None
    else:
        ch, de, dl = diff(frame, st, _may_have_changed(st))
    st[8] = False
    if kind == 'e':
        try:
            shown = list(exception_parts(value, CFG['repr']))
        except RecursionError:
            shown = [type(value).__name__, '', type(value).__name__ + '()']
    else:
        try:
            shown = brepr(value, CFG['repr'])[0]
        except RecursionError:
            shown = '<not recorded: recursion limit>'
    ix = uses.ids(ch, st[2], value, kind != 'e')
    rec = ('R', st[0], frame.f_lineno, kind, shown, ch or 0, de or 0, dl or 0)
    emit(rec + (ix,) if ix else rec)
    if hooks['leave'] is not None:
        hooks['leave'](frame)
    st[3] = frame.f_lineno
    if kind != 'y':
        del frames[key]
    else:
        st[5] = True


def _unwrap(w):
    """The value an async generator yielded (CPython wraps it; the wrapper shows only it to the
    gc)."""
    try:
        inner = gc.get_referents(w)
        return inner[0] if len(inner) == 1 else w
    except Exception:
        return w


def recover(exc):
    """An exception reached Tracefix's bootstrap or pytest: the frames it left whose exit was not
    recorded (at the recursion limit the tracer cannot run, and a sys.settrace tracer that fails is
    removed) are recorded from its traceback, innermost first, and the event source is re-armed."""
    tb = getattr(exc, '__traceback__', None)
    left = []
    while tb is not None:
        st = frames.get(id(tb.tb_frame))
        if st is not None and st[6] is tb.tb_frame:
            left.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    if not left or state['done']:
        return
    shown = list(exception_parts(exc, CFG['repr']))
    for frame, lineno in reversed(left):
        st = frames.pop(id(frame), None)
        if st is None:
            continue
        ch, de, dl = diff(frame, st, True)
        if id(frame) in blind:
            blind.discard(id(frame))
            ch = de = dl = None
        emit(('R', st[0], lineno, 'e', shown, ch or 0, de or 0, dl or 0))
    if hooks.get('rearm') is not None:
        hooks['rearm']()
    channel.maybe_flush(True)


def _import_end(frame):
    if not imports:
        return
    stack = imports.get(threading.get_ident())
    if stack and stack[-1][0] is frame:
        _, info, calls, t0 = stack.pop()
        if not stack:
            del imports[threading.get_ident()]
        buf.append(('I', info.file, calls, round((time.perf_counter() - t0) * 1000, 1)))


def failed(e):
    """An error of the recorder's own inside a callback: reported once per kind, never raised into
    the program."""
    key = '%s: %s' % (type(e).__name__, e)
    if key not in _failures and len(_failures) < 20:
        _failures[key] = 1
        import traceback

        warn(
            'recorder',
            key
            + ' at '
            + ' <- '.join(
                '%s:%d' % (f.name, f.lineno)
                for f in traceback.extract_tb(e.__traceback__)[::-1][:4]
            ),
        )


def warn(kind, message):
    """Something of the recorder's own did not work as designed (e.g. a debugpy-internal patch that
    does not apply to this debugpy): Tracefix logs it with the debugpy version."""
    buf.append(('W', kind, str(message)[:2000]))


def note_tracer_lost(frame):
    """The program installed its own tracer: this source records nothing more in that thread."""
    state['lost_tracer'] += 1
    fidx = -1
    lineno = 0
    while frame is not None:
        fidx = user_file(frame.f_code.co_filename)
        if fidx >= 0:
            lineno = frame.f_lineno
            break
        frame = frame.f_back
    buf.append(('T', fidx, lineno, state['n']))
    channel.maybe_flush(True)


def note_tracing_off(frame):
    """The program switched tracing off (sys.settrace(None)): the frames on this thread's stack run
    unseen from here. What they change meanwhile belongs to no line Tracefix saw, so their next
    event takes their state as it is instead of reporting it as the last seen line's change."""
    while frame is not None:
        st = frames.get(id(frame))
        if st is not None and st[6] is frame:
            blind.add(id(frame))
        frame = frame.f_back


def finish(reason, code=None):
    """Ends the recording: 'exit', 'os._exit' (with code), 'cap', 'stop'. Idempotent."""
    if state['done']:
        return
    state['done'] = True
    if lost[0]:
        buf.append(
            (
                'W',
                'recursion-limit',
                '%d events at the recursion limit could not be recorded' % lost[0],
            )
        )
    t0 = state['t0'] or time.perf_counter()
    buf.append(('E', reason, state['n'], round((time.perf_counter() - t0) * 1000, 1), code))
    if reason == 'stop' and hooks['untrace'] is not None:
        # Tracefix's time limit: the program goes on untraced (at full speed) to its own end, so the
        # outcome pytest reports still arrives (pytest records are sent after this one).
        try:
            hooks['untrace']()
        except Exception as e:
            warn('untrace', '%s: %s' % (type(e).__name__, e))
    channel.maybe_flush(True)
