# Signatures of a view's nodes (pydevd_tracefix_delta): what every node holds, by identity, gathered
# and compared by a few C calls (gc.get_referents, map, chain) instead of a walk. A check whose
# signatures are unchanged (the common case: a call that changed nothing the frame holds) costs
# those calls; one that changed finds which nodes did, so that only they are taken again.
# The referents of a container are its items (a mapping's values, and its keys unless all are str:
# hence the keys apart); those of an object its type, slots and __dict__ (whose own referents are
# its
# values). A node past BUDGET items, or of a type whose items Python code might produce, is taken
# again (delta._take) and compared instead.
import collections
import gc
from itertools import chain
from operator import is_

# Types whose len(), iteration and gc referents are their items, by C code that runs nothing of the
# program's: 1 for sequences and sets, 2 for mappings.
BULK = {
    list: 1,
    tuple: 1,
    set: 1,
    frozenset: 1,
    collections.deque: 1,
    dict: 2,
    collections.OrderedDict: 2,
    collections.defaultdict: 2,
    collections.Counter: 2,
}
_PLAIN_GETATTR = object.__getattribute__
_get = gc.get_referents


class Sig:
    """What the nodes one name owns hold. `ids`: the nodes (in the order its walk took them);
    `holders` / `hkeys`: the objects whose referents are compared and their nodes; `refs` /
    `counts`:
    the referents, flat, and how many per holder; `maps` / `mkeys`, `keys` / `kcounts`: the same for
    mappings' keys; `other` / `okeys`: nodes compared by taking them again."""

    __slots__ = (
        'counts',
        'hkeys',
        'holders',
        'ids',
        'kcounts',
        'keys',
        'maps',
        'mkeys',
        'okeys',
        'other',
        'refs',
    )

    def __init__(self):
        self.ids = []
        self.holders = []
        self.hkeys = []
        self.maps = []
        self.mkeys = []
        self.other = []
        self.okeys = []
        self.refs = self.counts = self.keys = self.kcounts = ()

    def seal(self):
        """Takes the referents and keys of the holders as they are now."""
        lists = list(map(_get, self.holders))
        self.refs = list(chain.from_iterable(lists))
        self.counts = list(map(len, lists))
        keys = list(map(tuple, self.maps))
        self.keys = list(chain.from_iterable(keys))
        self.kcounts = list(map(len, keys))
        return self


EMPTY = Sig().seal()


def signatures(nodes, owners, size_at, kind_at, budget):
    """{name: Sig} of `nodes` (id -> node), each node under the name that owns it (`owners`)."""
    out = {}
    bulk = BULK
    for key, node in nodes.items():
        name = owners.get(key)
        sg = out.get(name)
        if sg is None:
            sg = out[name] = Sig()
        sg.ids.append(key)
        v = node[0]
        t = type(v)
        b = bulk.get(t)
        if b is not None and node[size_at] <= budget:
            sg.holders.append(v)
            sg.hkeys.append(key)
            if b == 2:
                sg.maps.append(v)
                sg.mkeys.append(key)
        elif (
            node[kind_at] == 'o'
            and t.__getattribute__ is _PLAIN_GETATTR
            and node[size_at] <= budget
        ):
            sg.holders.append(v)
            sg.hkeys.append(key)
            d = getattr(v, '__dict__', None)
            if type(d) is dict:
                sg.holders.append(d)
                sg.hkeys.append(key)
                sg.maps.append(d)
                sg.mkeys.append(key)
        else:
            sg.other.append(node)
            sg.okeys.append(key)
    for sg in out.values():
        sg.seal()
    return out


def merged(sigs):
    """One Sig holding all of `sigs` (to learn at once that none changed)."""
    m = Sig()
    for sg in sigs:
        m.holders.extend(sg.holders)
        m.maps.extend(sg.maps)
        m.other.extend(sg.other)
    m.refs = list(chain.from_iterable(sg.refs for sg in sigs))
    m.counts = list(chain.from_iterable(sg.counts for sg in sigs))
    m.keys = list(chain.from_iterable(sg.keys for sg in sigs))
    m.kcounts = list(chain.from_iterable(sg.kcounts for sg in sigs))
    return m


def unchanged(sg, same_node):
    """Whether every node of the signature holds what it held when it was sealed. `same_node(node)`
    compares a node it keeps whole (delta)."""
    try:
        if sg.holders:
            # Per holder how many, then all of them: the flat lists alone would not see a value
            # moved from the end of one holder to the start of the next.
            lists = list(map(_get, sg.holders))
            if list(map(len, lists)) != sg.counts:
                return False
            now = list(chain.from_iterable(lists))
            if not all(map(is_, now, sg.refs)):
                return False
        if sg.maps:
            if list(map(len, sg.maps)) != sg.kcounts:
                return False
            now = list(chain.from_iterable(sg.maps))
            if not all(map(is_, now, sg.keys)):
                return False
        for node in sg.other:
            if not same_node(node):
                return False
    except Exception:  # a misbehaving user type: walked as usual
        return False
    return True


def changed_nodes(sg, same_node):
    """The ids of the nodes of `sg` that hold something else now, in the order they were taken."""
    dirty = set()
    at = 0
    refs = sg.refs
    for h, n, key in zip(sg.holders, sg.counts, sg.hkeys):
        if key not in dirty:
            now = _get(h)
            if len(now) != n or not all(map(is_, now, refs[at : at + n])):
                dirty.add(key)
        at += n
    at = 0
    keys = sg.keys
    for m, n, key in zip(sg.maps, sg.kcounts, sg.mkeys):
        if key not in dirty:
            now = tuple(m)
            if len(now) != n or not all(map(is_, now, keys[at : at + n])):
                dirty.add(key)
        at += n
    for node, key in zip(sg.other, sg.okeys):
        if key not in dirty and not same_node(node):
            dirty.add(key)
    return [k for k in sg.ids if k in dirty]
