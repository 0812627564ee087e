# How a node of a view (pydevd_tracefix_delta) differs from the node taken of the same object at
# the last check, told as deltas at paths into the frame's value: `memo[3, 5]=30`, `del book['x']`,
# `seen.add(4)`, `node.next=None`; at most MAX_DELTAS per event, the rest counted.
from itertools import islice
from operator import is_

from pydevd_tracefix_repr import brepr

MAX_DELTAS = 8  # changes listed per event; the rest are counted
SCALAR = frozenset((int, float, complex, bool, type(None), str, bytes))
# A node: (object, kind, keys, values, size, flat). The object is held: its id stays unique while it
# is in a view. kind: 'l' sequence, 'd' mapping, 's' set, 'o' object attributes. keys: d / o, the
# first BUDGET keys (attribute names). values: l / d / o, the first BUDGET values; s, a frozenset
# (None past BUDGET). size: len() when taken. flat: every kept value is a scalar.
OBJ, KIND, KEYS, VALS, SIZE, FLAT = range(6)
_OBJ, _KIND, _KEYS, _VALS, _SIZE, _FLAT = OBJ, KIND, KEYS, VALS, SIZE, FLAT
_SCALAR = SCALAR


def path_text(path):
    """The text of a lazy path: `name`, `name[3]`, `name['k']`, `name.attr`..."""
    parts = []
    while type(path) is tuple:
        path, kind, key = path
        parts.append(
            '[%d]' % key if kind == 'l' else '.%s' % key if kind == 'o' else '[%s]' % _key_text(key)
        )
    parts.append(path)
    return ''.join(reversed(parts))


def _key_text(k):
    if type(k) is tuple and k:
        return ', '.join(brepr(x, 40)[0] for x in k)
    return brepr(k, 40)[0]


def compare(prev, node, path, limit, root, out, more, touched, quiet):
    """Reports how `node` differs from `prev` (same object); returns the positions whose value was
    replaced (what is below them is new: shown by its repr, not compared)."""
    kind = node[_KIND]
    pv = prev[_VALS]
    nv = node[_VALS]
    if kind == 's':
        if pv == nv and prev[_SIZE] == node[_SIZE]:
            return ()
    elif (
        prev[_SIZE] == node[_SIZE]
        and (pv == nv if prev[_FLAT] and node[_FLAT] else all(map(is_, pv, nv)))
        and (kind == 'l' or all(map(is_, prev[_KEYS], node[_KEYS])))
    ):
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


class _All:
    def __contains__(self, i):
        return True


ALL = _ALL = _All()


class _Emitter:
    __slots__ = ('limit', 'more', 'out', 'path', 'root')

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
            path = path[: max(self.limit - 3, 9)] + '...'
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
            tail = v[was : was + MAX_DELTAS + 1]
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
