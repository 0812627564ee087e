# Changes inside a value whose bounded repr was cut (docs/trace-format.md, "deltas").
# A cut repr hides a change past the cut (`memo[3, 5] = 30` inside `defaultdict({... ...(191 more)})`),
# so for such values a structural snapshot is kept and compared: the change is reported as paths
# into the value (`memo[3, 5]=30`, `del book['x']`, `seen.add(4)`, `node.next=None`).
# Snapshots are bounded (BUDGET nodes per value): past the budget only the container's size is compared.
# Iterative, like the repr, so a program at its recursion limit cannot make it fail.
from itertools import islice

from pydevd_tracefix_repr import brepr, is_container, is_plain_object, _attrs

BUDGET = 2000
MAX_DELTAS = 8
_LEAF_TYPES = frozenset((int, float, complex, bool, type(None), str, bytes))


class _Snap(object):
    __slots__ = ('obj', 'kind', 'items', 'size')

    def __init__(self, obj, kind, items, size):
        self.obj = obj      # the object itself (identity tells a replaced child from a mutated one)
        self.kind = kind    # 'd' mapping, 'l' sequence, 's' set, 'o' object attributes, 'v' value, 'r' other
        self.items = items  # d/o: {key: child}; l: [child]; s: frozenset; v: the value; r: its repr
        self.size = size    # len() at snapshot time


def _leaf(v, t):
    if t in _LEAF_TYPES:
        return _Snap(v, 'v', v, 0)
    if t is tuple and len(v) <= 16 and all(type(x) in _LEAF_TYPES for x in v):
        return _Snap(v, 'v', v, 0)
    return None


def snapshot(value):
    """A bounded structural copy of `value` (iterative; BUDGET nodes at most)."""
    budget = [BUDGET]
    root = _node(value, budget)
    todo = [root]
    while todo and budget[0] > 0:
        snap = todo.pop()
        if snap.kind in ('d', 'o'):
            src = snap.items
            snap.items = {}
            for k, v in src:
                if budget[0] <= 0:
                    break
                child = _node(v, budget)
                snap.items[k] = child
                if child.kind in ('d', 'o', 'l'):
                    todo.append(child)
        elif snap.kind == 'l':
            src = snap.items
            snap.items = []
            for v in src:
                if budget[0] <= 0:
                    break
                child = _node(v, budget)
                snap.items.append(child)
                if child.kind in ('d', 'o', 'l'):
                    todo.append(child)
    # Nodes left unexpanded (budget spent) keep only their size.
    while todo:
        snap = todo.pop()
        snap.items = None
    return root


def _node(v, budget):
    budget[0] -= 1
    t = type(v)
    leaf = _leaf(v, t)
    if leaf is not None:
        return leaf
    try:
        # Only what the budget can hold is copied: a million-element list costs BUDGET, not a million.
        if isinstance(v, dict) and is_container(v, t):
            return _Snap(v, 'd', list(islice(v.items(), max(budget[0], 1))), len(v))
        if isinstance(v, (set, frozenset)) and is_container(v, t):
            budget[0] -= len(v)
            return _Snap(v, 's', frozenset(v) if budget[0] > 0 else None, len(v))
        if is_container(v, t):
            return _Snap(v, 'l', list(islice(v, max(budget[0], 1))), len(v))
        if is_plain_object(v, t):
            attrs = _attrs(v)
            return _Snap(v, 'o', attrs, len(attrs))
    except Exception:  # a user __iter__/__eq__/__hash__ may fail
        pass
    text, _ = brepr(v, 60)
    return _Snap(v, 'r', text, 0)


def _key_text(k):
    if type(k) is tuple and k:
        return ', '.join(brepr(x, 40)[0] for x in k)
    return brepr(k, 40)[0]


def _same_leaf(old, v):
    if old.obj is v:
        return True
    t = type(v)
    if t in _LEAF_TYPES or t is tuple:
        try:
            return type(old.items) is t and old.items == v
        except Exception:
            return False
    return False


def compare(old, value, name, limit):
    """Deltas from snapshot `old` to `value` (as [path, value] / [path] / [path, value, '+'|'-']),
    and the new snapshot. `name` is the variable's name, the root of every path."""
    deltas = []
    extra = [0]

    def add(entry):
        if len(deltas) < MAX_DELTAS:
            deltas.append(entry)
        else:
            extra[0] += 1

    todo = [(old, value, name)]
    while todo:
        snap, v, path = todo.pop()
        if snap.items is None:  # past the budget: only the size was kept
            if _size(v) != snap.size:
                add([path, brepr(v, limit)[0]])
            continue
        kind = snap.kind
        if kind == 'v':
            if not _same_leaf(snap, v):
                add([path, brepr(v, limit)[0]])
            continue
        if kind == 'r':
            if snap.obj is not v or brepr(v, 60)[0] != snap.items:
                add([path, brepr(v, limit)[0]])
            continue
        if snap.obj is not v:
            add([path, brepr(v, limit)[0]])
            continue
        try:
            if kind == 'd':
                cur = v
                for k, child in snap.items.items():
                    if k not in cur:
                        add(['%s[%s]' % (path, _key_text(k))])
                    else:
                        todo.append((child, cur[k], '%s[%s]' % (path, _key_text(k))))
                if len(snap.items) >= snap.size:  # every key was kept: any other key is new
                    for k in cur:
                        if k not in snap.items:
                            add(['%s[%s]' % (path, _key_text(k)), brepr(cur[k], limit)[0]])
                elif len(cur) > snap.size:  # past the budget: new keys come last in a dict
                    for k in islice(cur, len(snap.items), len(cur)):
                        if k not in snap.items:
                            add(['%s[%s]' % (path, _key_text(k)), brepr(cur[k], limit)[0]])
            elif kind == 'o':
                cur = dict(_attrs(v))
                for k, child in snap.items.items():
                    if k not in cur:
                        add(['%s.%s' % (path, k)])
                    else:
                        todo.append((child, cur[k], '%s.%s' % (path, k)))
                for k in cur:
                    if k not in snap.items and len(snap.items) >= snap.size:
                        add(['%s.%s' % (path, k), brepr(cur[k], limit)[0]])
            elif kind == 'l':
                kept = snap.items
                n = len(v)
                cur = list(islice(v, len(kept)))
                for i in range(min(len(kept), len(cur))):
                    todo.append((kept[i], cur[i], '%s[%d]' % (path, i)))
                if n > snap.size:
                    grown = list(islice(v, snap.size, snap.size + MAX_DELTAS + 1)) if not isinstance(v, (list, tuple)) else v[snap.size:snap.size + MAX_DELTAS + 1]
                    for i, x in enumerate(grown):
                        add(['%s[%d]' % (path, snap.size + i), brepr(x, limit)[0]])
                    extra[0] += max(n - snap.size - len(grown), 0)
                elif n < snap.size:
                    for i in range(snap.size - 1, max(n - 1, snap.size - 1 - MAX_DELTAS - 1), -1):
                        add(['%s[%d]' % (path, i)])
                    extra[0] += max(snap.size - n - MAX_DELTAS - 1, 0)
            elif kind == 's':
                cur = frozenset(v)
                for x in sorted_if_possible(cur - snap.items):
                    add([path, brepr(x, limit)[0], '+'])
                for x in sorted_if_possible(snap.items - cur):
                    add([path, brepr(x, limit)[0], '-'])
        except Exception:
            add([path, brepr(v, limit)[0]])
    if extra[0]:
        deltas.append([name, str(extra[0]), '*'])  # "...(N more changes in name)"
    return deltas, (snapshot(value) if deltas else old)


def _size(v):
    try:
        return len(v)
    except Exception:
        return 0


def sorted_if_possible(items):
    try:
        return sorted(items)
    except Exception:
        return list(items)
