# Bounded, stable reprs of recorded values (the value format of docs/trace-format.md).
# - Iterative, never recursive: the program may be at its recursion limit when a value is recorded.
# - Bounded: at most `limit` characters (plus closing brackets and `...(N more)` markers), depth 3.
# - Stable: no memory addresses; objects with the default repr render as `Cls#n(attr=value, ...)` at
#   every depth, where n numbers distinct objects in the order they were first shown, so the same
#   object is recognisable wherever it appears and two runs of the same program render the same.
import contextlib
import types
import weakref
from bisect import bisect_right
from itertools import accumulate, islice, repeat
from operator import add

MAX_DEPTH = 3
_SCALARS = (int, float, complex, bool, type(None))
_CONTAINERS = (list, tuple, set, frozenset, dict)
_ROUTINES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.BuiltinMethodType,
)

_numbers = {}  # id(obj) -> (n, weakref or None, type)
_count = [0]


def object_number(v):
    """A stable number for a user object, assigned at first sight (weakly held where possible)."""
    key = id(v)
    ent = _numbers.get(key)
    if ent is not None and type(v) is ent[2] and (ent[1] is None or ent[1]() is v):
        return ent[0]
    _count[0] += 1
    n = _count[0]

    def gone(ref, key=key):
        cur = _numbers.get(key)
        if cur is not None and cur[1] is ref:
            del _numbers[key]

    try:
        ref = weakref.ref(v, gone)
    except TypeError:
        ref = None
    _numbers[key] = (n, ref, type(v))
    return n


def strip_addresses(text):
    """Removes ` at 0x7f...` (and bare `0x7f...` pointers of 8+ hex digits) from a repr or
    message."""
    if '0x' not in text:
        return text
    out = []
    i = 0
    n = len(text)
    while i < n:
        j = text.find('0x', i)
        if j < 0:
            out.append(text[i:])
            break
        k = j + 2
        while k < n and text[k] in '0123456789abcdefABCDEF':
            k += 1
        if k - j - 2 >= 8 and (j == 0 or not text[j - 1].isalnum()):
            start = j - 4 if text[max(j - 4, 0) : j] == ' at ' else j
            out.append(text[i:start])
        else:
            out.append(text[i:k])
        i = k
    return ''.join(out)


def _scalar(v, t, room):
    """repr of a scalar, str or bytes, cut to `room` characters: (text, complete)."""
    if t is str or t is bytes:
        if len(v) <= room:
            return repr(v), True
        return repr(v[: max(room, 1)]) + '...', False
    if t is int and v.bit_length() > 3000:
        return '<int with %d bits>' % v.bit_length(), True
    return repr(v), True


def _plain_repr(v, t, room):
    """A value rendered by its own repr (or a fixed form): (text, complete). A repr that fails says
    so: `<T repr failed: E>` and None for complete (brepr shows the object's attributes instead)."""
    if isinstance(v, _ROUTINES):
        return '<function %s>' % getattr(v, '__qualname__', getattr(v, '__name__', '?')), True
    if isinstance(v, type):
        return "<class '%s'>" % v.__qualname__, True
    if isinstance(v, types.ModuleType):
        return "<module '%s'>" % v.__name__, True
    try:
        r = repr(v)
    except BaseException as e:  # a user __repr__ may raise anything
        return '<%s repr failed: %s>' % (t.__name__, type(e).__name__), None
    if type(r) is not str:
        return '<%s repr failed: not a str>' % t.__name__, None
    r = strip_addresses(r)
    if len(r) <= max(room, 12):
        return r, True
    return r[: max(room - 3, 9)] + '...', False


def _attrs(v):
    d = getattr(v, '__dict__', None)
    items = [(k, x) for k, x in d.items() if not k.startswith('__')] if isinstance(d, dict) else []
    for cls in type(v).__mro__:
        for name in (
            getattr(cls, '__slots__', ())
            if not isinstance(getattr(cls, '__slots__', ()), str)
            else (cls.__slots__,)
        ):
            if name.startswith('__'):
                continue
            with contextlib.suppress(AttributeError):
                items.append((name, getattr(v, name)))
    return items


def is_plain_object(v, t):
    """An instance whose class keeps object's default repr (shown as Cls#n(attrs))."""
    return t.__repr__ is object.__repr__ and (hasattr(v, '__dict__') or hasattr(t, '__slots__'))


_COLLECTIONS = ('defaultdict', 'OrderedDict', 'Counter', 'deque')


def is_container(v, t):
    """Rendered element by element: the builtin containers, the collections module's, and subclasses
    of builtin containers that keep their base's repr (a namedtuple has its own repr and keeps
    it)."""
    if t in _CONTAINERS:
        return True
    if t.__module__ == 'collections' and t.__name__ in _COLLECTIONS:
        return True
    for base in _CONTAINERS:
        if isinstance(v, base):
            return t.__repr__ is base.__repr__
    return False


def _open(v, t):
    """For a container or plain object: (opener, closer, iterator of (separator, key_text, value),
    total)."""
    if isinstance(v, dict):
        name = '' if t is dict else t.__name__
        return (name + '({' if name else '{'), ('})' if name else '}'), _dict_items(v), len(v)
    if isinstance(v, (list, tuple)) or t.__name__ == 'deque':
        if t is list:
            o, c = '[', ']'
        elif t is tuple:
            o, c = '(', ',)' if len(v) == 1 else ')'
        else:
            o, c = (
                t.__name__ + ('([' if not isinstance(v, tuple) else '(('),
                '])' if not isinstance(v, tuple) else '))',
            )
        return o, c, _seq_items(v), len(v)
    if isinstance(v, (set, frozenset)):
        if not v:
            return None
        items = v
        if len(v) <= 200:
            try:
                items = sorted(v)
            except Exception:
                items = v
        name = '' if t is set else t.__name__
        return (name + '({' if name else '{'), ('})' if name else '}'), _seq_items(items), len(v)
    if is_plain_object(v, t):
        attrs = _attrs(v)
        return '%s#%d(' % (t.__name__, object_number(v)), ')', _attr_items(attrs), len(attrs)
    return None


def _partial(v, t):
    """An object whose repr failed, opened as `Cls#n(partial: attr=value, ...)`; None when it has no
    attributes to show (its failure is shown instead)."""
    try:
        attrs = _attrs(v) if hasattr(v, '__dict__') or hasattr(t, '__slots__') else None
    except Exception:
        return None
    if not attrs:
        return None
    return '%s#%d(partial: ' % (t.__name__, object_number(v)), ')', _attr_items(attrs), len(attrs)


def _seq_items(seq):
    first = True
    for x in seq:
        yield ('' if first else ', '), None, x
        first = False


def _dict_items(d):
    first = True
    for k, x in list(d.items()):
        yield ('' if first else ', '), k, x
        first = False


def _attr_items(attrs):
    first = True
    for k, x in attrs:
        yield ('' if first else ', ') + k + '=', None, x
        first = False


def _empty(v, t):
    if isinstance(v, (set, frozenset)) and not v:
        return (t.__name__ + '()'), True
    return None


_FAST = frozenset((int, float, bool, type(None), str, bytes, complex))
_BRACKETS = {
    list: ('[', ']'),
    tuple: ('(', ')'),
    set: ('{', '}'),
    frozenset: ('frozenset({', '})'),
    dict: ('{', '}'),
}


def _fast(v, t, limit):
    """The common case in C-level steps: a builtin container whose first elements are scalars.
    Returns None to take the general path (nested values, long strings, anything unusual)."""
    n = len(v)
    if n == 0:
        return None
    k = n if n <= 8 else 8
    while True:
        parts = _fast_parts(v, t, n, k)
        if parts is None:
            return None
        opener, closer = _BRACKETS[t]
        if t is tuple and n == 1:
            closer = ',)'
        ends = list(map(add, accumulate(map(len, parts)), range(0, 2 * k, 2)))
        fit = bisect_right(ends, limit - len(opener) - len(closer))
        if fit == 0:
            return None
        if fit >= n:
            return opener + ', '.join(parts) + closer, True
        if fit < k or k == n:
            return '%s%s, ...(%d more)%s' % (opener, ', '.join(parts[:fit]), n - fit, closer), False
        # Everything taken fits and more remain: take as many as could fit at the average width.
        k = min(n, k + (limit - ends[-1]) * k // ends[-1] + 2)


def _fast_parts(v, t, n, k):
    if t is dict:
        keys = list(islice(v, k))
        vals = list(islice(v.values(), k))
        if not (_FAST.issuperset(map(type, keys)) and _FAST.issuperset(map(type, vals))):
            return None
        try:
            return list(map(add, map(add, map(repr, keys), repeat(': ')), map(repr, vals)))
        except ValueError:  # an int past sys.get_int_max_str_digits()
            return None
    if t is list or t is tuple:
        head = v[:k] if n > k else v
    elif n <= 200:
        try:
            head = sorted(v)[:k]
        except Exception:
            return None
    else:
        head = list(islice(v, k))
    if not _FAST.issuperset(map(type, head)):
        return None
    try:
        return list(map(repr, head))
    except ValueError:
        return None


def brepr(v, limit=120):
    """Bounded repr: (text, complete). `complete` is False when anything was cut (length or
    depth)."""
    t = type(v)
    if t is int or t is float or t is bool or v is None:
        if t is not int or -(1 << 64) < v < (1 << 64):
            return repr(v), True
    elif t in _BRACKETS:
        r = _fast(v, t, limit)
        if r is not None:
            return r
    out = []
    room = limit
    complete = True
    stack = []  # [iterator, closer, emitted, total, depth, obj id]
    on_stack = set()
    shown = set()  # objects already expanded in this repr: shown again as a reference (`Cls#3`)
    value = v
    depth = 0
    have_value = True
    while True:
        if have_value:
            t = type(value)
            text = None
            if t in _SCALARS or t is str or t is bytes:
                text, ok = _scalar(value, t, room)
            else:
                e = _empty(value, t)
                plain = e is None and is_plain_object(value, t)
                opened = (
                    None
                    if e is not None
                    else (_open(value, t) if plain or is_container(value, t) else None)
                )
                if e is not None:
                    text, ok = e
                elif opened is None:
                    text, ok = _plain_repr(value, t, room)
                    if ok is None:
                        ok = True
                        # An object whose own repr fails (often one still being built, inside its
                        # __init__): what it has so far.
                        opened = _partial(value, t)
                        plain = True
                if opened is None:
                    pass
                elif plain and id(value) in on_stack:
                    text, ok = '<cycle: %s#%d>' % (t.__name__, object_number(value)), True
                elif plain and id(value) in shown:
                    text, ok = '%s#%d' % (t.__name__, object_number(value)), True
                elif opened[3] == 0:
                    text, ok = opened[0] + opened[1].lstrip(','), True
                elif depth >= MAX_DEPTH or id(value) in on_stack:
                    text, ok = opened[0] + '...' + opened[1], False
                else:
                    out.append(opened[0])
                    room -= len(opened[0])
                    stack.append([opened[2], opened[1], 0, opened[3], depth, id(value)])
                    on_stack.add(id(value))
                    if plain:
                        shown.add(id(value))
                    text = None
                    ok = True
            if not ok:
                complete = False
            if text is not None:
                out.append(text)
                room -= len(text)
            have_value = False
        if not stack:
            break
        top = stack[-1]
        item = next(top[0], None) if room > 0 or top[2] == 0 else None
        if item is not None and room <= 0 and top[2] > 0:
            item = None
        if item is None:
            remaining = top[3] - top[2]
            if remaining > 0:
                out.append('%s...(%d more)' % (', ' if top[2] else '', remaining))
                complete = False
            out.append(top[1])
            room -= len(top[1])
            stack.pop()
            on_stack.discard(top[5])
            continue
        sep, key, value = item
        top[2] += 1
        out.append(sep)
        room -= len(sep)
        depth = top[4] + 1
        if key is not None:
            kt = type(key)
            if kt in _SCALARS or kt is str or kt is bytes:
                ktext, kok = _scalar(key, kt, max(room, 8))
            else:
                ktext, kok = brepr(key, max(room, 8)) if depth < MAX_DEPTH else ('...', False)
            if not kok:
                complete = False
            out.append(ktext + ': ')
            room -= len(ktext) + 2
        have_value = True
    return ''.join(out), complete


def exception_parts(exc, limit=120):
    """(type name, message, repr) of an exception, bounded and without addresses."""
    t = type(exc)
    try:
        msg = str(exc)
    except BaseException:
        msg = '<str() failed>'
    msg = strip_addresses(msg)
    if len(msg) > 4 * limit:
        msg = msg[: 4 * limit] + '...'
    r, _ = _plain_repr(exc, t, max(limit, 4 * limit))
    return t.__name__, msg, r
