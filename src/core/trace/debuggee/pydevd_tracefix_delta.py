# Changes inside a value whose bounded repr was cut (docs/trace-format.md, "deltas").
# A cut repr hides a change past the cut (`memo[3, 5] = 30` inside `defaultdict({... ...(191 more)})`),
# so for such values a structural snapshot is kept and compared: the change is reported as paths
# into the value (`memo[3, 5]=30`, `del book['x']`, `seen.add(4)`, `node.next=None`).
# Cost: a snapshot holds at most BUDGET elements per container, copied and compared in C for the
# common flat containers (elements are scalars); nested containers and objects are walked only
# where they are. Past the budget only the size (and items appended at the end) are followed.
# Iterative, like the repr, so a program at its recursion limit cannot make it fail.
from itertools import islice

from pydevd_tracefix_repr import brepr, is_container, is_plain_object, _attrs

BUDGET = 1000
MAX_DELTAS = 8
MAX_NODES = 4000  # containers and objects expanded per snapshot, all levels together
_SCALAR = frozenset((int, float, complex, bool, type(None), str, bytes))


class _Snap(object):
    __slots__ = ('obj', 'kind', 'items', 'size', 'flat', 'children')

    def __init__(self, obj, kind, items, size, flat, children):
        self.obj = obj            # the object itself (identity tells a replaced child from a mutated one)
        self.kind = kind          # 'l' sequence, 'd' mapping, 'o' object attributes, 's' set, 'r' other
        self.items = items        # l: tuple of the first values; d/o: tuple of the first (key, value); s: frozenset; r: repr
        self.size = size          # len() when taken
        self.flat = flat          # every kept value is a scalar: compared in C
        self.children = children  # position -> _Snap of a kept container / object value


def _kind(v, t):
    if t in _SCALAR:
        return None
    if isinstance(v, dict) and is_container(v, t):
        return 'd'
    if isinstance(v, (set, frozenset)) and is_container(v, t):
        return 's'
    if is_container(v, t):
        return 'l'
    if is_plain_object(v, t):
        return 'o'
    return 'r'


def _take(v, kind):
    """(items, size) of a container, bounded by BUDGET; raises on a misbehaving user type."""
    if kind == 'l':
        return (tuple(v[:BUDGET]) if type(v) in (list, tuple) else tuple(islice(v, BUDGET))), len(v)
    if kind == 'd':
        return tuple(islice(v.items(), BUDGET)), len(v)
    attrs = _attrs(v)
    return tuple(attrs[:BUDGET]), len(attrs)


def snapshot(value):
    nodes = [MAX_NODES]
    return _snap(value, nodes)


def _snap(value, nodes):
    """Iterative: children are expanded breadth-first while the node budget lasts."""
    root = _node(value)
    todo = [root]
    while todo:
        snap = todo.pop()
        if snap.kind not in ('l', 'd', 'o') or snap.items is None:
            continue
        nodes[0] -= 1
        if nodes[0] <= 0:
            snap.items = None  # past the budget: only the size is followed
            continue
        values = snap.items if snap.kind == 'l' else tuple(x for _, x in snap.items)
        if _SCALAR.issuperset(map(type, values)):
            snap.flat = True
            continue
        children = {}
        for i, x in enumerate(values):
            t = type(x)
            if t in _SCALAR or (t is tuple and _SCALAR.issuperset(map(type, x))):
                continue
            child = _node(x)
            children[i] = child
            todo.append(child)
        snap.children = children
    return root


def _node(v):
    t = type(v)
    kind = _kind(v, t)
    try:
        if kind in ('l', 'd', 'o'):
            items, size = _take(v, kind)
            return _Snap(v, kind, items, size, False, None)
        if kind == 's':
            return _Snap(v, 's', frozenset(v) if len(v) <= BUDGET else None, len(v), True, None)
    except Exception:  # a user __iter__/__len__/__getattr__ may fail
        pass
    return _Snap(v, 'r' if kind is not None else 'v', brepr(v, 60)[0] if kind is not None else v, 0, True, None)


def _key_text(k):
    if type(k) is tuple and k:
        return ', '.join(brepr(x, 40)[0] for x in k)
    return brepr(k, 40)[0]


def compare(old, value, name, limit):
    """Deltas from snapshot `old` to `value` as [path, value] / [path] / [path, value, '+'|'-'] /
    [name, count, '*'] (more changes not listed), and the snapshot to keep."""
    out = []
    more = [0]

    def add(entry):
        if len(out) < MAX_DELTAS:
            out.append(entry)
        else:
            more[0] += 1

    def show(x):
        return brepr(x, limit)[0]

    def skip(n):
        more[0] += n

    # A flat sequence that only grew (the `acc.append(x)` of every loop) is followed in place.
    if old.kind == 'l' and old.flat and old.obj is value and old.items is not None:
        grown = _appended(old, value, name, limit, add, skip)
        if grown is not None:
            if more[0]:
                out.append([name, str(more[0]), '*'])
            return out, (grown if out else old)
    todo = [(old, value, name)]
    while todo:
        snap, v, path = todo.pop()
        kind = snap.kind
        if kind == 'v':
            if snap.items is not v and not _equal_scalar(snap.items, v):
                add([path, show(v)])
            continue
        if snap.obj is not v:
            add([path, show(v)])
            continue
        if kind == 'r':
            if brepr(v, 60)[0] != snap.items:
                add([path, show(v)])
            continue
        try:
            if kind == 's':
                if snap.items is None or len(v) > BUDGET:
                    if len(v) != snap.size:
                        add([path, show(v)])
                    continue
                cur = frozenset(v)
                if cur != snap.items:
                    for x in _sorted(cur - snap.items):
                        add([path, show(x), '+'])
                    for x in _sorted(snap.items - cur):
                        add([path, show(x), '-'])
                continue
            if snap.items is None:
                if len(v) != snap.size:
                    add([path, show(v)])
                continue
            items, size = _take(v, kind)
            if snap.flat and size == snap.size and items == snap.items:
                continue  # the common case, decided in C
            if kind == 'l':
                _compare_seq(snap, v, items, size, path, add, show, skip, todo)
            else:
                _compare_map(snap, items, size, path, add, show, todo, kind)
        except Exception:
            add([path, show(v)])
    if more[0]:
        out.append([name, str(more[0]), '*'])  # "...(N more changes in name)"
    return out, (snapshot(value) if out else old)


def _appended(snap, v, name, limit, add, skip):
    """When `v` is `snap` with items added at the end (and nothing else changed): report them, extend
    the snapshot and return True; else None (and nothing reported)."""
    try:
        size = len(v)
        if size < snap.size:
            return None
        kept = snap.items
        if type(v) in (list, tuple):
            if tuple(v[:len(kept)]) != kept:
                return None
            tail = v[snap.size:snap.size + MAX_DELTAS + 1]
            room = BUDGET - len(kept)
            extra = tuple(v[len(kept):len(kept) + room]) if room > 0 and size > len(kept) else ()
        else:
            return None
        if extra and not _SCALAR.issuperset(map(type, extra)):
            return None
    except Exception:
        return None
    for i, x in enumerate(tail):
        add(['%s[%d]' % (name, snap.size + i), brepr(x, limit)[0]])
    skip(size - snap.size - len(tail))
    # Snapshots are never changed once taken (frames share them): a grown copy is returned.
    return _Snap(snap.obj, 'l', kept + extra, size, True, None)


def _compare_seq(snap, v, items, size, path, add, show, skip, todo):
    kept = snap.items
    common = min(len(kept), len(items))
    children = snap.children or {}
    if not snap.flat or kept[:common] != items[:common]:
        for i in range(common):
            child = children.get(i)
            if child is not None:
                todo.append((child, items[i], '%s[%d]' % (path, i)))
            elif kept[i] is not items[i] and not _equal_scalar(kept[i], items[i]):
                add(['%s[%d]' % (path, i), show(items[i])])
    if size > snap.size:  # appended (or inserted) at the end: the new tail is shown
        tail = v[snap.size:snap.size + MAX_DELTAS + 1] if type(v) in (list, tuple) else list(islice(v, snap.size, snap.size + MAX_DELTAS + 1))
        for i, x in enumerate(tail):
            add(['%s[%d]' % (path, snap.size + i), show(x)])
        skip(size - snap.size - len(tail))
    elif size < snap.size:
        for i in range(snap.size - 1, max(size, snap.size - MAX_DELTAS - 1) - 1, -1):
            add(['%s[%d]' % (path, i)])
        skip(max(snap.size - size - MAX_DELTAS - 1, 0))


def _compare_map(snap, items, size, path, add, show, todo, kind):
    fmt = '%s.%s' if kind == 'o' else '%s[%s]'
    key = (lambda k: k) if kind == 'o' else _key_text
    old = dict(snap.items)
    now = dict(items)
    children = snap.children or {}
    for i, (k, x) in enumerate(snap.items):
        if k not in now:
            if len(snap.items) >= snap.size or size < snap.size:  # gone (or moved past the budget)
                add([fmt % (path, key(k))])
            continue
        child = children.get(i)
        if child is not None:
            todo.append((child, now[k], fmt % (path, key(k))))
        elif x is not now[k] and not _equal_scalar(x, now[k]):
            add([fmt % (path, key(k)), show(now[k])])
    complete = len(snap.items) >= snap.size
    for k, x in items:
        if k not in old and (complete or size > snap.size):
            add([fmt % (path, key(k)), show(x)])


def _equal_scalar(a, b):
    ta = type(a)
    if ta is not type(b) or ta not in _SCALAR:
        return False
    try:
        return bool(a == b)
    except Exception:
        return False


def _sorted(items):
    try:
        return sorted(items)
    except Exception:
        return list(items)
