# Change detection for the mutable values a frame holds (docs/trace-format.md, "deltas").
# Each frame keeps a View of the values it holds, and reports what changed since its last check:
# - for a value whose repr is cut, as paths into it (`memo[3, 5]=30`, `del book['x']`,
# `seen.add(4)`,
# `node.next=None`): the cut repr would hide a change past the cut. The view keeps one shallow node
# per object (its items or attributes, by identity), taken by a breadth-first walk that visits each
#   object once (shared and cyclic structure is one node, named by its shortest path) to MAX_DEPTH
#   below the local, and the attributes of a cut value only where the frame's code names them
#   (pydevd_tracefix_walk);
# - for a value shown whole ("quiet"), only that it changed: the recorder shows its new repr. A
# value
#   that did not change is not repr'd again.
# Cost follows what changed. Every name has a signature of what its nodes hold
# (pydevd_tracefix_watch),
# compared by a few C calls: an unchanged name costs those, a changed one has only its changed nodes
# taken again and compared (or, when a change took an object out, is walked again). A walk costs at
# most CAP units (a node is 1, plus its kept items / 32, or / 4 when they are not all scalars),
# whatever the size, depth or cycles of the objects. Past the cap the trace says so once per frame
# and
# name (a 'more' delta whose value is NOT_FOLLOWED), and what was not taken is not in the view: it
# is never compared later, so a change is only ever reported on the line that made it.
# Iterative, like the repr, so a program at its recursion limit cannot make it fail.
from collections import deque

from pydevd_tracefix_compare import (  # noqa: F401 (MAX_DELTAS: for tests)
    KIND,
    MAX_DELTAS,
    SCALAR,
    SIZE,
)
from pydevd_tracefix_nodes import (
    BUDGET,
    CAP,
    MAX_DEPTH,
    followed,  # noqa: F401 (for tests)
    kind_of,
    kinds,
    plain,
    plains,
    same_node,
    take,
)
from pydevd_tracefix_walk import NOT_FOLLOWED, patch, walk  # noqa: F401
from pydevd_tracefix_watch import EMPTY, merged, signatures, unchanged

PRUNE_AT = 4 * CAP  # nodes a view may hold before it is rebuilt from its names
# Items (references) the view's signatures may hold before it is rebuilt: patches add what changed
# lines put in, and every check compares them all, so this bounds a check whatever the values grow
# to.
MAX_REFS = 8 * CAP


class View:
    """One frame's picture of the mutable values it holds."""

    __slots__ = ('nodes', 'orphans', 'owners', 'paths', 'sigs', 'told', 'whole', 'wholes')

    def __init__(self):
        self.nodes = {}  # id(object) -> node
        self.told = set()  # names whose values were cut by CAP (said once)
        self.owners = {}  # id(object) -> the name whose walk reached its node first
        self.paths = {}  # id(object) -> (the path that walk found (lazy, see path_text), its depth)
        self.sigs = None  # name -> signature of the nodes it owns, taken with them
        # signatures of names that hold other values now (their nodes may be shared)
        self.orphans = []
        self.wholes = {}  # name of a value shown whole -> its signature (no nodes: nothing is told)
        self.whole = None  # all of the signatures merged (to learn at once that none changed)


def check(view, roots, fresh, limit, cap=CAP, names=None, quiet=(), keep=False):
    """Changes in the values `roots` ([(name, value)], same identities as at the last check) since
    then: (deltas, names of quiet roots that changed); the view is updated. `fresh`: [(name, value)]
    newly bound values, taken as they are (nothing reported). `quiet`: root names whose values are
    shown whole (only whether they changed is wanted). `names`: the attribute names the frame's code
    uses; an attribute of a cut value is compared but not followed into unless named (None: all
    are).
    `keep`: only these roots may have changed (the rest of the view stays as it is).
    Every name is walked when a node that changed belongs to a name that holds another value now
    (forget), or when a walk left nodes behind that another name may still reach."""
    touched = set()
    if view.sigs is not None and view.whole is None:
        view.whole = merged(list(view.sigs.values()) + view.orphans + list(view.wholes.values()))
    if (
        view.sigs is not None
        and not fresh
        and unchanged(view.whole, same_node)
        and all((n in view.wholes) == (n in quiet) for n, _ in roots)
    ):
        # Nothing any name holds changed: only names the cap left without a signature are walked.
        roots = [r for r in roots if r[0] not in view.sigs and r[0] not in quiet]
        if not roots:
            return [], ()
    elif quiet or view.wholes:
        roots, fresh = _wholes(view, roots, fresh, quiet, touched)
    sigs = view.sigs
    if sigs is None or len(view.nodes) > PRUNE_AT or _held(view) > MAX_REFS:
        return _walk_all(view, roots, fresh, limit, cap, names, keep, touched)
    for name, _ in fresh:
        forget(view, name)
    for sg in view.orphans:
        if not unchanged(sg, same_node):
            return _walk_all(view, roots, fresh, limit, cap, names, keep, touched)
    dirty = [n for n, _ in roots if n not in sigs or not unchanged(sigs[n], same_node)]
    view.whole = None
    if not dirty and not fresh:
        return [], touched
    out = []
    more = {}
    held = dict(roots)
    # A name holding the same object as a changed one is walked with it: its changes are told for
    # both.
    shared = set()
    ids = set()
    for _, v in roots:
        if id(v) in ids:
            shared.add(id(v))
        ids.add(id(v))
    again = [
        n
        for n in dirty
        if n not in sigs
        or id(held[n]) in shared
        or not patch(view, n, sigs[n], limit, cap, names, out, more)
    ]
    if again or fresh:
        same = {id(held[n]) for n in again}
        walked = [r for r in roots if r[0] in again or id(r[1]) in same]
        memo, owners, paths, cut = walk(view, walked, fresh, limit, cap, names, False, out, more)
        mine = view.owners
        lost = any(
            not memo.keys() >= {k for k in sigs[n].ids if mine.get(k) == n}
            for n, _ in walked
            if n in sigs
        )
        view.nodes.update(memo)
        mine.update(owners)
        view.paths.update(paths)
        if lost:
            # The walk left nodes behind that a name reached: another name may still reach them,
            # and only a walk of every name tells (against the view as just updated).
            more_out, _ = _walk_all(view, roots, fresh, limit, cap, names, keep, touched)
            return _told(out, more) + more_out, touched
        _sign(view, memo, owners, walked + list(fresh), cut)
    return _told(out, more), touched


def _held(view):
    """References the view's signatures compare at every check."""
    n = 0
    for sg in view.sigs.values():
        n += len(sg.refs) + len(sg.keys)
    for sg in view.orphans:
        n += len(sg.refs) + len(sg.keys)
    return n


def forget(view, name):
    """`name` holds another value now (or none): the nodes it owned may still be reached by other
    names, so they are watched as orphans until the next walk of every name."""
    sigs = view.sigs
    sg = sigs.pop(name, None) if sigs is not None else None
    if sg is not None and sg.ids:
        view.orphans.append(sg)
    view.wholes.pop(name, None)
    view.whole = None


def _wholes(view, roots, fresh, quiet, touched):
    """The values shown whole: changed (added to `touched`) when their signature says so, which is
    then
    taken again. A name whose value is cut now but was shown whole is walked as a new value (and is
    shown again if its value changed); one shown whole now whose value was cut leaves its nodes to
    the
    others. Returns the roots and fresh values left to the view's nodes."""
    wholes = view.wholes
    rest = []
    fresh = list(fresh)
    for name, v in roots:
        sg = wholes.get(name)
        if name in quiet:
            if sg is None:
                forget(view, name)
                touched.add(name)
            elif not unchanged(sg, same_node):
                touched.add(name)
            else:
                continue
            wholes[name] = _whole(v, name)
        elif sg is not None:
            if not unchanged(sg, same_node):
                touched.add(name)
            del wholes[name]
            fresh.append((name, v))
        else:
            rest.append((name, v))
    kept = []
    for name, v in fresh:
        if name in quiet:
            forget(view, name)
            wholes[name] = _whole(v, name)
        else:
            kept.append((name, v))
    view.whole = None
    return rest, kept


def _whole(v, name):
    """The signature of what a value shown whole holds (its repr is built from it: small)."""
    nodes = {}
    queue = deque([(v, 0)])
    while queue and len(nodes) < CAP:
        x, depth = queue.popleft()
        key = id(x)
        if key in nodes:
            continue
        t = type(x)
        kind = kinds.get(t)
        if kind is None:
            kind = kind_of(x, t)
        if not kind:
            continue
        try:
            keys, vals, size = take(x, kind)
        except Exception:
            continue
        flat = kind == 's' or SCALAR.issuperset(map(type, vals))
        nodes[key] = (x, kind, keys, vals, size, flat)
        if flat or depth >= MAX_DEPTH or kind == 's':
            continue
        for i, y in enumerate(vals):
            if type(y) not in SCALAR and (plains.get(type(y)) or plain(y, type(y))):
                if kind == 'o' and (type(keys[i]) is not str or keys[i][:2] == '__'):
                    continue
                queue.append((y, depth + 1))
    return signatures(nodes, dict.fromkeys(nodes, name), SIZE, KIND, BUDGET).get(name) or EMPTY


def _told(out, more):
    for root, count in more.items():
        out.append([root, str(count), '*'])  # "...(N more changes in root)"
    return out


def _walk_all(view, roots, fresh, limit, cap, names, keep, touched):
    rebuild = bool(roots) and not keep
    out = []
    more = {}
    memo, owners, paths, cut = walk(view, roots, fresh, limit, cap, names, rebuild, out, more)
    if rebuild:
        view.nodes = memo
        view.owners = owners
        view.paths = paths
        view.sigs = {}
        view.orphans = []
    else:
        view.nodes.update(memo)
        view.owners.update(owners)
        view.paths.update(paths)
        if view.sigs is None:
            view.sigs = {}
    _sign(view, memo, owners, list(roots) + list(fresh), cut)
    return _told(out, more), touched


def _sign(view, memo, owners, walked, cut):
    """The signatures of the names just walked ([(name, value)]): of the nodes they reached first. A
    name whose value the cap left untaken has none (walked again at every check, as the cap
    allows)."""
    sigs = view.sigs
    made = signatures(memo, owners, SIZE, KIND, BUDGET)
    for name, _ in walked:
        if name in cut:
            sigs.pop(name, None)
        else:
            sigs[name] = made.get(name) or EMPTY
    view.whole = None
