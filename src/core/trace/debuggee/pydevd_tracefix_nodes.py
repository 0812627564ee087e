# Nodes of a view (pydevd_tracefix_delta): what one object holds, taken shallowly and by identity.
# A node: (object, kind, keys, values, size, flat), see pydevd_tracefix_compare.
import types
from itertools import islice
from operator import is_

from pydevd_tracefix_compare import KEYS, KIND, OBJ, SIZE, VALS
from pydevd_tracefix_repr import is_container, is_plain_object

BUDGET = 1000  # items kept per container
MAX_DEPTH = 3  # nodes are followed this many levels below the local
CAP = 128  # units of work per check
_LEAF_TYPES = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.CodeType,
    types.FrameType,
    types.GeneratorType,
    types.CoroutineType,
    types.AsyncGeneratorType,
    types.TracebackType,
    property,
    staticmethod,
    classmethod,
)
kinds = {}  # type -> kind, or '' for values not followed
_slots = {}  # type -> names of its slots (besides __dict__ / __weakref__)
plains = {}  # type -> whether its repr is built from its items / attributes


def kind_of(v, t):
    if issubclass(t, dict):
        k = 'd'
    elif issubclass(t, (set, frozenset)):
        k = 's'
    elif issubclass(t, (list, tuple)) or is_container(v, t):
        k = 'l'
    elif issubclass(t, _LEAF_TYPES) or t.__module__.startswith('pydevd_tracefix'):
        k = ''
    else:
        names = []
        for cls in t.__mro__:
            s = cls.__dict__.get('__slots__', ())
            for n in (s,) if isinstance(s, str) else s:
                if n not in ('__dict__', '__weakref__') and not n.startswith('__'):
                    names.append(n)
        _slots[t] = tuple(names)
        k = 'o' if names or hasattr(v, '__dict__') else ''
    kinds[t] = k
    return k


def followed(v, whole):
    """Whether a view follows `v`: a container or an object with attributes; when its repr shows it
    `whole`, only one whose repr is built from what the view sees (a builtin container, an object
    with the default repr), so that an unchanged view is an unchanged repr."""
    t = type(v)
    k = kinds.get(t)
    if not (k if k is not None else kind_of(v, t)):
        return False
    return not whole or plain(v, t)


def plain(v, t):
    p = plains.get(t)
    if p is None:
        p = plains[t] = bool(is_container(v, t) or is_plain_object(v, t))
    return p


def take(v, kind):
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


def same_node(node):
    """Whether the object of `node` holds what the node says, by identity."""
    kind = node[KIND]
    ks, vals, size = take(node[OBJ], kind)
    if size != node[SIZE] or not _identical(vals, node[VALS], kind):
        return False
    return kind == 'l' or _identical(ks, node[KEYS], kind)


def _identical(a, b, kind):
    if a is None or b is None:
        return a is b
    if kind == 's':
        return a == b
    return len(a) == len(b) and all(map(is_, a, b))
