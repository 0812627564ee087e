# How a view (pydevd_tracefix_delta) takes and compares the nodes of values whose repr is cut: a
# breadth-first walk from names (each object visited once: shared and cyclic structure is one node,
# named by its shortest path), or a patch of the nodes a signature found changed.
from collections import deque
from operator import is_

from pydevd_tracefix_compare import ALL, FLAT, KEYS, KIND, OBJ, SCALAR, SIZE, VALS, compare
from pydevd_tracefix_nodes import BUDGET, MAX_DEPTH, kind_of, kinds, same_node, take
from pydevd_tracefix_watch import changed_nodes, signatures

NOT_FOLLOWED = 'changes past %d objects not followed'


def walk(view, roots, fresh, limit, cap, names, rebuild, out, more, seed=None):
    """A walk from `roots` ([(name, value)], compared with the view; changes told into `out` and
    `more`) and `fresh` (taken in), or from the queue entries `seed`: (the nodes taken, the names
    that
    own them, their paths and depths, the names whose values the cap left untaken). Not `rebuild`: a
    fresh value already in the view (another name holds it) is not taken again."""
    old = view.nodes
    at = view.paths
    memo = {}
    owners = {}
    paths = {}
    # Entries: (object, path, depth, root name, fresh). A path is the root's name or, lazily (most
    # are never shown), (parent path, parent kind, key).
    if seed is not None:
        queue = deque(sorted(seed, key=lambda e: e[2]))
    else:
        queue = deque((v, name, 0, name, False) for name, v in roots)
        queue.extend((v, name, 0, name, True) for name, v in fresh)
    units = cap
    cut = ()
    visited = 0
    scalar = SCALAR
    while queue:
        v, path, depth, root, is_fresh = queue.popleft()
        key = id(v)
        seen = memo.get(key)
        if seen is not None:
            # Shared or cyclic: one node, named by its first (shortest) path; a value two locals
            # hold is compared once and its own changes are reported for both names.
            if depth == 0 and not is_fresh:
                prev = old.get(key)
                if (
                    prev is not None
                    and prev is not seen
                    and prev[OBJ] is v
                    and prev[KIND] == seen[KIND]
                ):
                    compare(prev, seen, path, limit, root, out, more, set(), False)
            continue
        prev = old.get(key)
        if prev is not None and prev[OBJ] is not v:
            prev = None
        if is_fresh and not rebuild and prev is not None:
            was = at.get(key)
            if was is None or was[1] <= depth:
                continue  # already in the view (another name holds it)
            is_fresh = False  # in the view below its depth limit: compared, and followed from here
        t = type(v)
        kind = kinds.get(t)
        if kind is None:
            kind = kind_of(v, t)
        if not kind:
            continue
        if units <= 0:
            _cut(view, queue, root, visited, out)
            cut = {q[3] for q in queue if q[2] == 0}
            if depth == 0:
                cut.add(root)
            break
        try:
            keys, vals, size = take(v, kind)
        except Exception:  # a user __iter__/__len__/__getattr__ may fail: followed by identity only
            continue
        visited += 1
        if is_fresh or (prev is not None and prev[KIND] != kind):
            prev = None
        if kind == 's':
            flat = True
        elif prev is not None and prev[FLAT] and prev[SIZE] == size and prev[VALS] == vals:
            flat = True  # equal to scalars: scalars (decided in C)
        else:
            flat = scalar.issuperset(map(type, vals))
        node = (v, kind, keys, vals, size, flat)
        memo[key] = node
        owners[key] = root
        paths[key] = (path, depth)
        n = len(vals) if vals is not None else 0
        # Measured (3.11): a node's Python-level work ~30x a scalar item's (taken and typed in C), a
        # non-scalar item ~8x (queued in Python): a 40x40 grid of ints is 91 units, one name's
        # worth.
        units -= 1 + (n >> 5 if flat else n >> 2)
        replaced = ()
        if prev is not None:
            replaced = compare(prev, node, path, limit, root, out, more, set(), False)
            if replaced is ALL and not rebuild:
                replaced = ()  # what it holds that the view has is compared, not skipped
        if flat or depth >= MAX_DEPTH or kind == 's':
            continue
        follow(queue, node, range(n), path, depth + 1, root, is_fresh, replaced, names)
    return memo, owners, paths, cut


def follow(queue, node, positions, path, depth, root, is_fresh, replaced, names):
    """Queues what `node` holds at `positions`, at `depth`: the attributes of an object only where
    the
    code names them, when `names` is given."""
    scalar = SCALAR
    kind = node[KIND]
    vals = node[VALS]
    if kind == 'l':
        for i in positions:
            x = vals[i]
            if type(x) not in scalar:
                queue.append((x, (path, 'l', i), depth, root, is_fresh or i in replaced))
        return
    keys = node[KEYS]
    for i in positions:
        x = vals[i]
        if type(x) not in scalar:
            k = keys[i]
            if kind == 'o' and (
                type(k) is not str or k[:2] == '__' or not (names is None or k in names)
            ):
                continue
            queue.append((x, (path, kind, k), depth, root, is_fresh or i in replaced))


def _cut(view, queue, root, visited, out):
    """The cap was reached: say so once per frame and name, for the names whose values were cut."""
    names = [root]
    for q in queue:
        if q[3] not in view.told and q[3] not in names:
            names.append(q[3])
    for name in names:
        if name not in view.told:
            view.told.add(name)
            out.append([name, NOT_FOLLOWED % visited, '*'])


def patch(view, name, sg, limit, cap, names, out, more):
    """Takes again only the nodes of `name` that changed (by its signature `sg`) and tells their
    changes
    at the paths its last walk found; objects and containers they now hold that they did not are
    walked from there, as new values. False, with nothing told, when a change took such a value out
    (what held it may be held elsewhere: a walk tells)."""
    try:
        keys = changed_nodes(sg, same_node)
    except Exception:
        return False
    nodes = view.nodes
    owners = view.owners
    dicts = None
    taken = []
    for key in keys:
        prev = nodes.get(key)
        if prev is None or owners.get(key) != name:
            return False
        v = prev[OBJ]
        kind = prev[KIND]
        if kind == 'o':
            # Its __dict__ replaced by another: the signature watches the old one.
            if dicts is None:
                dicts = dict(zip(sg.mkeys, sg.maps))
            d = getattr(v, '__dict__', None)
            if type(d) is dict and dicts.get(key) is not d:
                return False
        try:
            ks, vals, size = take(v, kind)
        except Exception:
            return False
        put = () if kind == 's' else _put_in(prev, ks, vals, kind)
        if put is None:
            return False
        flat = kind == 's' or SCALAR.issuperset(map(type, vals))
        taken.append((key, prev, (v, kind, ks, vals, size, flat), put))
    paths = view.paths
    seed = []
    for key, prev, node, put in taken:
        path, depth = paths.get(key, (name, 0))
        compare(prev, node, path, limit, name, out, more, set(), False)
        nodes[key] = node
        if put and depth < MAX_DEPTH:
            follow(seed, node, put, path, depth + 1, name, True, (), names)
    if seed:
        memo, owned, found, _ = walk(view, (), (), limit, cap, names, False, out, more, seed)
        if memo:
            nodes.update(memo)
            owners.update(owned)
            paths.update(found)
            mine = {k: nodes[k] for k in sg.ids}
            mine.update(memo)
            view.sigs[name] = signatures(mine, dict.fromkeys(mine, name), SIZE, KIND, BUDGET)[name]
            return True
    if sg.other:
        sg.other = [nodes[k] for k in sg.okeys]
    sg.seal()
    return True


def _put_in(prev, keys, vals, kind):
    """The positions of `vals` whose objects or containers the node `prev` did not hold; None when
    one it held was taken out (or replaced)."""
    scalar = SCALAR
    pv = prev[VALS]
    if prev[FLAT] and scalar.issuperset(map(type, vals)):
        return ()
    put = []
    if kind == 'l':
        for i, same in enumerate(map(is_, pv, vals)):
            if not same:
                if type(pv[i]) not in scalar:
                    return None
                if type(vals[i]) not in scalar:
                    put.append(i)
        n = min(len(pv), len(vals))
        if not scalar.issuperset(map(type, pv[n:])):
            return None
        put.extend(i for i in range(n, len(vals)) if type(vals[i]) not in scalar)
        return put
    try:
        old = dict(zip(prev[KEYS], pv))
    except Exception:
        return None
    for i, k in enumerate(keys):
        x = vals[i]
        y = old.pop(k, None)
        if x is not y:
            if type(y) not in scalar:
                return None
            if type(x) not in scalar:
                put.append(i)
    return put if scalar.issuperset(map(type, old.values())) else None
