# Change detection for the mutable values a frame holds (docs/trace-format.md, "deltas").
# Each frame keeps a View: one shallow node per object (its items or attributes, by identity), keyed by
# the object's identity. A check walks the frame's mutable values breadth-first, visiting each object
# once (shared and cyclic structure is one node, named by its shortest path), compares each object's
# items with its node (in C where it can) and reports what differs:
# - for a value whose repr is cut, as paths into it (`memo[3, 5]=30`, `del book['x']`, `seen.add(4)`,
#   `node.next=None`): the cut repr would hide a change past the cut;
# - for a value shown whole ("quiet"), only that it changed: the recorder shows its new repr. A value
#   that did not change is not repr'd again.
# Cost: a check costs at most CAP units (a node is 1, plus its kept items / 16, or / 4 when they are not
# all scalars), whatever the size, depth or cycles of the objects; nodes are followed to MAX_DEPTH
# below the local, and the attributes of a cut value only where the frame's code names them. Past the
# cap the trace says so once per frame and name (a 'more' delta whose value is NOT_FOLLOWED), and what
# was not checked is dropped from the view: it is never compared later, so a change is only ever
# reported on the line that made it.
# Iterative, like the repr, so a program at its recursion limit cannot make it fail.
import types
from collections import deque
from itertools import islice
from operator import is_

from pydevd_tracefix_repr import brepr, is_container, is_plain_object

BUDGET = 1000        # items kept per container
MAX_DELTAS = 8       # changes listed per event; the rest are counted
MAX_DEPTH = 3        # nodes are followed this many levels below the local
CAP = 128            # units of work per check (see above)
NOT_FOLLOWED = 'changes past %d objects not followed'
_SCALAR = frozenset((int, float, complex, bool, type(None), str, bytes))
_LEAF_TYPES = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
               types.CodeType, types.FrameType, types.GeneratorType, types.CoroutineType,
               types.AsyncGeneratorType, types.TracebackType, property, staticmethod, classmethod)
# A node: (object, kind, keys, values, size, flat). The object is held: its id stays unique while it
# is in a view. kind: 'l' sequence, 'd' mapping, 's' set, 'o' object attributes. keys: d / o, the
# first BUDGET keys (attribute names). values: l / d / o, the first BUDGET values; s, a frozenset
# (None past BUDGET). size: len() when taken. flat: every kept value is a scalar.
_OBJ, _KIND, _KEYS, _VALS, _SIZE, _FLAT = range(6)
_kinds = {}  # type -> kind, or '' for values not followed
_slots = {}  # type -> names of its slots (besides __dict__ / __weakref__)
_plains = {}  # type -> whether its repr is built from its items / attributes


class View(object):
    """One frame's picture of the mutable values it holds."""
    __slots__ = ('nodes', 'told')

    def __init__(self):
        self.nodes = {}    # id(object) -> node
        self.told = set()  # names whose values were cut by CAP (said once)


def _kind(v, t):
    if issubclass(t, dict):
        k = 'd'
    elif issubclass(t, (set, frozenset)):
        k = 's'
    elif issubclass(t, (list, tuple)) or is_container(v, t):
        k = 'l'
    elif issubclass(t, _LEAF_TYPES) or t.__module__ == 'pydevd_tracefix_delta':
        k = ''
    else:
        names = []
        for cls in t.__mro__:
            s = cls.__dict__.get('__slots__', ())
            for n in ((s,) if isinstance(s, str) else s):
                if n not in ('__dict__', '__weakref__') and not n.startswith('__'):
                    names.append(n)
        _slots[t] = tuple(names)
        k = 'o' if names or hasattr(v, '__dict__') else ''
    _kinds[t] = k
    return k


def followed(v, whole):
    """Whether a view follows `v`: a container or an object with attributes; when its repr shows it
    `whole`, only one whose repr is built from what the view sees (a builtin container, an object
    with the default repr), so that an unchanged view is an unchanged repr."""
    t = type(v)
    k = _kinds.get(t)
    if not (k if k is not None else _kind(v, t)):
        return False
    return not whole or _plain(v, t)


def _plain(v, t):
    p = _plains.get(t)
    if p is None:
        p = _plains[t] = bool(is_container(v, t) or is_plain_object(v, t))
    return p


def _take(v, kind):
    """(keys, values, size) of `v` (raises on a misbehaving user type)."""
    if kind == 'o':
        d = getattr(v, '__dict__', None)
        if type(d) is dict:
            if len(d) <= BUDGET:
                keys, vals = tuple(d), tuple(d.values())
            else:
                keys, vals = tuple(islice(d, BUDGET)), tuple(islice(d.values(), BUDGET))
        else:
            keys = vals = ()
        names = _slots.get(type(v))
        if names:
            got = [(n, getattr(v, n, _UNSET)) for n in names]
            keys += tuple(n for n, x in got if x is not _UNSET)
            vals += tuple(x for _, x in got if x is not _UNSET)
        return keys, vals, len(keys)
    size = len(v)
    if kind == 'l':
        if type(v) in (list, tuple):
            return None, (tuple(v) if size <= BUDGET else tuple(v[:BUDGET])), size
        return None, tuple(islice(v, BUDGET)), size
    if kind == 'd':
        if size <= BUDGET:
            return tuple(v), tuple(v.values()), size
        return tuple(islice(v, BUDGET)), tuple(islice(v.values(), BUDGET)), size
    return None, (frozenset(v) if size <= BUDGET else None), size


_UNSET = object()


def check(view, roots, fresh, limit, cap=CAP, names=None, quiet=(), keep=False):
    """Changes in the values `roots` ([(name, value)], same identities as at the last check) since
    then: (deltas, names of quiet roots that changed); the view is updated. `fresh`: [(name, value)]
    newly bound values, taken as they are (nothing reported). `quiet`: root names whose values are
    shown whole (only whether they changed is wanted). `names`: the attribute names the frame's code
    uses; an attribute of a cut value is compared but not followed into unless named (None: all are).
    Without roots, or with `keep`, the nodes of the view that were not visited stay in it."""
    out = []
    more = {}
    touched = set()
    old = view.nodes
    memo = {}
    rebuild = bool(roots) and not keep
    # Entries: (object, path, depth, root name, fresh). A path is the root's name or, lazily (most
    # are never shown), (parent path, parent kind, key).
    queue = deque((v, name, 0, name, False) for name, v in roots)
    queue.extend((v, name, 0, name, True) for name, v in fresh)
    units = cap
    visited = 0
    kinds = _kinds
    scalar = _SCALAR
    while queue:
        v, path, depth, root, is_fresh = queue.popleft()
        key = id(v)
        seen = memo.get(key)
        if seen is not None:
            # Shared or cyclic: one node, named by its first (shortest) path; a value two locals hold
            # is compared once and its own changes are reported for both names.
            if depth == 0 and not is_fresh:
                prev = old.get(key)
                if prev is not None and prev is not seen and prev[_OBJ] is v and prev[_KIND] == seen[_KIND]:
                    _compare(prev, seen, path, limit, root, out, more, touched, root in quiet)
            continue
        if not rebuild and is_fresh:
            prev = old.get(key)
            if prev is not None and prev[_OBJ] is v:
                continue  # already in the view (another name holds it)
        t = type(v)
        kind = kinds.get(t)
        if kind is None:
            kind = _kind(v, t)
        if not kind:
            continue
        if units <= 0:
            _cut(view, queue, root, visited, out, quiet)
            break
        try:
            keys, vals, size = _take(v, kind)
        except Exception:  # a user __iter__/__len__/__getattr__ may fail: followed by identity only
            continue
        visited += 1
        prev = None if is_fresh else old.get(key)
        if prev is not None and (prev[_OBJ] is not v or prev[_KIND] != kind):
            prev = None
        if kind == 's':
            flat = True
        elif prev is not None and prev[_FLAT] and prev[_SIZE] == size and prev[_VALS] == vals:
            flat = True  # equal to scalars: scalars (decided in C)
        else:
            flat = scalar.issuperset(map(type, vals))
        node = (v, kind, keys, vals, size, flat)
        memo[key] = node
        n = len(vals) if vals is not None else 0
        units -= 1 + (n >> 4 if flat else n >> 2)
        replaced = ()
        if prev is not None:
            replaced = _compare(prev, node, path, limit, root, out, more, touched, root in quiet)
        if flat or depth >= MAX_DEPTH or kind == 's':
            continue
        depth += 1
        whole = root in quiet  # only what its repr is built from is followed
        if kind == 'l':
            for i, x in enumerate(vals):
                if type(x) not in scalar and (not whole or _plains.get(type(x)) or _plain(x, type(x))):
                    queue.append((x, (path, 'l', i), depth, root, is_fresh or i in replaced))
        else:
            follow_all = names is None or kind == 'd' or whole
            for i, x in enumerate(vals):
                if type(x) not in scalar:
                    k = keys[i]
                    if kind == 'o' and (type(k) is not str or k[:2] == '__' or not (follow_all or k in names)):
                        continue
                    if whole and not (_plains.get(type(x)) or _plain(x, type(x))):
                        continue
                    queue.append((x, (path, kind, k), depth, root, is_fresh or i in replaced))
    if rebuild:
        view.nodes = memo
    else:
        old.update(memo)
    for root, count in more.items():
        out.append([root, str(count), '*'])  # "...(N more changes in root)"
    return out, touched


def path_text(path):
    """The text of a lazy path: `name`, `name[3]`, `name['k']`, `name.attr`..."""
    parts = []
    while type(path) is tuple:
        path, kind, key = path
        parts.append('[%d]' % key if kind == 'l' else '.%s' % key if kind == 'o' else '[%s]' % _key_text(key))
    parts.append(path)
    return ''.join(reversed(parts))


def _cut(view, queue, root, visited, out, quiet):
    """The cap was reached: say so once per frame and name, for the names whose values were cut."""
    names = [root]
    for q in queue:
        if q[3] not in view.told and q[3] not in names:
            names.append(q[3])
    for name in names:
        if name not in view.told and name not in quiet:
            view.told.add(name)
            out.append([name, NOT_FOLLOWED % visited, '*'])


def _key_text(k):
    if type(k) is tuple and k:
        return ', '.join(brepr(x, 40)[0] for x in k)
    return brepr(k, 40)[0]


def _compare(prev, node, path, limit, root, out, more, touched, quiet):
    """Reports how `node` differs from `prev` (same object); returns the positions whose value was
    replaced (what is below them is new: shown by its repr, not compared)."""
    kind = node[_KIND]
    pv = prev[_VALS]
    nv = node[_VALS]
    if kind == 's':
        if pv == nv and prev[_SIZE] == node[_SIZE]:
            return ()
    elif prev[_SIZE] == node[_SIZE] and (pv == nv if prev[_FLAT] and node[_FLAT] else all(map(is_, pv, nv))):
        if kind == 'l' or all(map(is_, prev[_KEYS], node[_KEYS])):
            return ()
    if quiet:
        touched.add(root)
        return _ALL  # what is below is not compared: the value is shown again whole
    emit = _Emitter(out, more, root, path, limit)
    if kind == 's':
        return _compare_set(prev, node, emit)
    if kind == 'l':
        return _compare_seq(prev, node, emit)
    return _compare_map(prev, node, emit)


class _All(object):
    def __contains__(self, i):
        return True


_ALL = _All()


class _Emitter(object):
    __slots__ = ('out', 'more', 'root', 'path', 'limit')

    def __init__(self, out, more, root, path, limit):
        self.out = out
        self.more = more
        self.root = root
        self.path = path_text(path)
        self.limit = limit

    def skip(self, n):
        if n > 0:
            self.more[self.root] = self.more.get(self.root, 0) + n

    def add(self, path, *rest):
        if len(self.out) >= MAX_DELTAS:
            self.skip(1)
            return
        if len(path) > self.limit:
            path = path[:max(self.limit - 3, 9)] + '...'
        self.out.append([path] + list(rest))

    def show(self, x):
        try:
            return brepr(x, self.limit)[0]
        except RecursionError:
            return '<not recorded: recursion limit>'


def _same(a, b):
    if a is b:
        return True
    t = type(a)
    if t is not type(b) or t not in _SCALAR:
        return False
    try:
        return bool(a == b)
    except Exception:
        return False


def _compare_seq(prev, node, e):
    old = prev[_VALS]
    cur = node[_VALS]
    path = e.path
    replaced = set()
    common = min(len(old), len(cur))
    if not (prev[_FLAT] and node[_FLAT] and old[:common] == cur[:common]):
        for i in range(common):
            if not _same(old[i], cur[i]):
                replaced.add(i)
                e.add('%s[%d]' % (path, i), e.show(cur[i]))
    v = node[_OBJ]
    size, was = node[_SIZE], prev[_SIZE]
    if size > was:  # appended (or inserted) at the end: the new tail is shown
        if type(v) in (list, tuple):
            tail = v[was:was + MAX_DELTAS + 1]
        else:
            tail = list(islice(v, was, was + MAX_DELTAS + 1))
        for i, x in enumerate(tail):
            replaced.add(was + i)
            e.add('%s[%d]' % (path, was + i), e.show(x))
        e.skip(size - was - len(tail))
    elif size < was:
        for i in range(was - 1, max(size, was - MAX_DELTAS - 1) - 1, -1):
            e.add('%s[%d]' % (path, i))
        e.skip(max(was - size - MAX_DELTAS - 1, 0))
    return replaced


def _compare_map(prev, node, e):
    obj = node[_KIND] == 'o'
    fmt = '%s.%s' if obj else '%s[%s]'
    key = (lambda k: k) if obj else _key_text
    path = e.path
    pk, nk = prev[_KEYS], node[_KEYS]
    try:
        old = dict(zip(pk, prev[_VALS]))
        now = dict(zip(nk, node[_VALS]))
    except Exception:  # unhashable or misbehaving keys: say the value changed
        e.add(path, e.show(node[_OBJ]))
        return _ALL
    replaced = set()
    complete = len(pk) >= prev[_SIZE]
    for k in pk:
        if obj and type(k) is str and k[:2] == '__':
            continue
        if k not in now:
            if complete or node[_SIZE] < prev[_SIZE]:  # gone (or moved past the budget)
                e.add(fmt % (path, key(k)))
    vals = node[_VALS]
    for i, k in enumerate(nk):
        if obj and type(k) is str and k[:2] == '__':
            continue
        x = vals[i]
        if k in old:
            if not _same(old[k], x):
                replaced.add(i)
                e.add(fmt % (path, key(k)), e.show(x))
        elif complete or node[_SIZE] > prev[_SIZE]:
            replaced.add(i)
            e.add(fmt % (path, key(k)), e.show(x))
    return replaced


def _compare_set(prev, node, e):
    pv, nv = prev[_VALS], node[_VALS]
    if pv is None or nv is None:
        e.add(e.path, e.show(node[_OBJ]))
        return ()
    for x in _sorted(nv - pv):
        e.add(e.path, e.show(x), '+')
    for x in _sorted(pv - nv):
        e.add(e.path, e.show(x), '-')
    return ()


def _sorted(items):
    try:
        return sorted(items)
    except Exception:
        return list(items)
