# What each line reads and writes, and which branch decides whether it runs: read from the source
# with Python's own `ast` for the dynamic slice (src/core/slice). Sent once per code object that is
# recorded (a 'U' record), so the cost follows what runs: a file is parsed the first time one of its
# functions is recorded (cached per file), and only the statements of the functions that ran are
# sent.
#
# A row is [start, end, reads, writes, ctrl]: the statement's lines (a compound statement: its
# header
# only), the access paths it reads and writes, and the first line of the nearest enclosing `if`,
# `while`, `for`, `try` or `match` in the same function (0: the function's body itself).
# Access paths: `x` a name, `x.a` an attribute of what x holds (deeper attributes fold into the
# first), `x[]` an item, `x.a[]` an item of an attribute, `x.m()` a method called on what x holds
# (a write too when `m` is a known mutating method). Iterative (no recursion): a program at its
# recursion limit must not make it fail.
import ast
import collections
import tokenize
import types
import weakref

from pydevd_tracefix_repr import is_plain_object, object_number

MUTATORS = frozenset(
    (
        'append',
        'extend',
        'insert',
        'pop',
        'remove',
        'clear',
        'sort',
        'reverse',
        'update',
        'setdefault',
        'popitem',
        'add',
        'discard',
        'difference_update',
        'intersection_update',
        'symmetric_difference_update',
        'appendleft',
        'extendleft',
        'popleft',
        'rotate',
        'move_to_end',
        'write',
        'writelines',
        '__setitem__',
        '__delitem__',
    )
)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPOUND = ('If', 'For', 'AsyncFor', 'While', 'Try', 'TryStar', 'With', 'AsyncWith', 'Match')
_DECIDES = ('If', 'For', 'AsyncFor', 'While', 'Try', 'TryStar', 'Match')
MAX_PATHS = 24  # access paths kept per statement and direction (a giant literal is not worth more)

_trees = {}  # filename -> {(first line, name): node} of its scopes, or None (no source / no parse)
_sent = set()  # code objects whose rows were sent


def _parse(filename):
    index = _trees.get(filename, False)
    if index is not False:
        return index
    index = None
    try:
        with tokenize.open(filename) as fh:
            tree = ast.parse(fh.read(), filename)
        index = {(1, '<module>'): tree}
        todo = [tree]
        while todo:
            node = todo.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, _SCOPES):
                    first = (
                        child.decorator_list[0].lineno
                        if getattr(child, 'decorator_list', None)
                        else child.lineno
                    )
                    name = '<lambda>' if isinstance(child, ast.Lambda) else child.name
                    index.setdefault((first, name), child)
                    if not isinstance(child, ast.Lambda):
                        index.setdefault((child.lineno, name), child)
                todo.append(child)
    except Exception:
        index = None
    _trees[filename] = index
    return index


def rows_for(code):
    """The rows of a code object's own statements (nested scopes excluded), or None."""
    index = _parse(code.co_filename)
    if index is None:
        return None
    node = index.get((code.co_firstlineno, code.co_name))
    if node is None:
        return None
    if isinstance(node, ast.Lambda):
        r, w = _paths([node.body])
        return [[node.lineno, getattr(node, 'end_lineno', node.lineno) or node.lineno, r, w, 0]]
    rows = []
    todo = [(s, 0) for s in reversed(node.body)]
    while todo:
        stmt, ctrl = todo.pop()
        kind = type(stmt).__name__
        if kind in _COMPOUND:
            header, bodies = _split(stmt, kind)
            end = max(
                [getattr(h, 'end_lineno', stmt.lineno) or stmt.lineno for h in header]
                + [stmt.lineno]
            )
            r, w = _paths(header)
            rows.append([stmt.lineno, end, r, w, ctrl])
            inner = stmt.lineno if kind in _DECIDES else ctrl
            for body in reversed(bodies):
                for s in reversed(body):
                    todo.append((s, inner))
            continue
        if isinstance(stmt, _SCOPES):
            # A def / class statement runs in this scope: decorators, defaults and bases are read
            # here, the name is written; its body is a scope of its own.
            parts = list(getattr(stmt, 'decorator_list', []))
            args = getattr(stmt, 'args', None)
            if args is not None:
                parts += [d for d in args.defaults + args.kw_defaults if d is not None]
            parts += list(getattr(stmt, 'bases', []))
            r, w = _paths(parts)
            first = stmt.decorator_list[0].lineno if stmt.decorator_list else stmt.lineno
            rows.append([first, stmt.lineno, r, _cap(w + [stmt.name]), ctrl])
            continue
        # An assertion fails on its test; its message is only read to describe the failure.
        r, w = _paths([stmt.test] if kind == 'Assert' else [stmt])
        rows.append(
            [stmt.lineno, getattr(stmt, 'end_lineno', stmt.lineno) or stmt.lineno, r, w, ctrl]
        )
    return rows


def _split(stmt, kind):
    """(header nodes, bodies) of a compound statement."""
    if kind in ('If', 'While'):
        return [stmt.test], [stmt.body, stmt.orelse]
    if kind in ('For', 'AsyncFor'):
        return [stmt.target, stmt.iter], [stmt.body, stmt.orelse]
    if kind in ('With', 'AsyncWith'):
        return list(stmt.items), [stmt.body]
    if kind == 'Match':
        return [stmt.subject], [c.body for c in stmt.cases]
    # Try: the handlers' names are written where they run (their header lines are not statements).
    bodies = [stmt.body] + [h.body for h in stmt.handlers] + [stmt.orelse, stmt.finalbody]
    return [], bodies


def _root(node):
    """(name, first attribute or None, item?) of an access path rooted in a name, else None."""
    attrs = []
    item = False
    while True:
        if isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            attrs = []
            item = True
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id, (attrs[-1] if attrs else None), item
        else:
            return None


def _path(name, attr, item):
    return name + ('.' + attr if attr else '') + ('[]' if item else '')


def _paths(nodes):
    """(reads, writes) of the expressions / statements in `nodes`, scopes inside them left out."""
    reads = []
    writes = []
    todo = list(nodes)
    while todo:
        node = todo.pop()
        if isinstance(node, _SCOPES) and node not in nodes:
            continue
        if isinstance(node, ast.Name):
            (writes if isinstance(node.ctx, (ast.Store, ast.Del)) else reads).append(node.id)
            continue
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            root = _root(node)
            if root is not None:
                name, attr, item = root
                if isinstance(node.ctx, (ast.Store, ast.Del)):
                    writes.append(_path(name, attr, item))
                    if isinstance(node, ast.Subscript):
                        todo.append(node.slice)
                    continue
                reads.append(_path(name, attr, item))
                # The keys / indexes are read too; the rooted chain itself is done.
                inner = node
                while isinstance(inner, (ast.Attribute, ast.Subscript)):
                    if isinstance(inner, ast.Subscript):
                        todo.append(inner.slice)
                    inner = inner.value
                continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            root = (
                _root(node.func.value)
                if not isinstance(node.func.value, ast.Name)
                else (node.func.value.id, None, False)
            )
            if root is not None:
                name, attr, item = root
                base = _path(name, attr, item)
                reads.append(base + '.' + node.func.attr + '()' if not attr and not item else base)
                if node.func.attr in MUTATORS:
                    writes.append(_path(name, attr, True))
                todo.extend(node.args)
                todo.extend(k.value for k in node.keywords)
                continue
        if isinstance(node, ast.AugAssign):
            target = node.target
            if isinstance(target, ast.Name):
                reads.append(target.id)
                writes.append(target.id)
            else:
                root = _root(target)
                if root is not None:
                    reads.append(_path(*root))
                    writes.append(_path(*root))
                if isinstance(target, ast.Subscript):
                    todo.append(target.slice)
                if isinstance(target, (ast.Attribute, ast.Subscript)) and root is None:
                    todo.append(target.value)
            todo.append(node.value)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                writes.append((a.asname or a.name).split('.')[0])
            continue
        if isinstance(node, ast.ExceptHandler) and node.name:
            writes.append(node.name)
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            continue
        todo.extend(ast.iter_child_nodes(node))
    return _cap(_unique(reads)), _cap(_unique(writes))


def _unique(xs):
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def _cap(xs):
    return xs[:MAX_PATHS]


def send(code, fidx, buf):
    """Appends the code object's rows as a 'U' record (once per code object)."""
    if code in _sent:
        return
    _sent.add(code)
    try:
        rows = rows_for(code)
    except Exception:
        rows = None
    if rows:
        buf.append(('U', fidx, rows))


# ------------------------------------------------------------------ object identity
# Mutable values bound to recorded names get a number, so the slice can follow one object through
# every name and frame that holds it. A plain object's number is the one its repr shows (`Node#3`,
# the repr's registry); other objects (lists, dicts, objects with a repr of their own) get negative
# numbers from a registry of their own, so the numbers the trace shows (`Result#2(partial: ...)` of
# an object still in its __init__) never change or turn negative. Objects that cannot be weakly
# referenced (lists, dicts, sets) are held by a bounded FIFO so that their address is not reused by
# another object while their number is known; one dropped from it gets a new number if seen again
# (a missed alias, never a false one).
_IMMUTABLE = frozenset((int, float, complex, bool, str, bytes, type(None), tuple, frozenset, range))
_NOT_VALUES = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.ModuleType,
    type,
)
HELD = 4096
_held = collections.OrderedDict()  # id(obj) -> obj
_numbers = {}  # id(obj) -> (negative number, weakref or None, type)
_next = [0]


def identity(v):
    """The object number of a mutable value, or 0 for an immutable one."""
    t = type(v)
    if t in _IMMUTABLE or isinstance(v, _NOT_VALUES):
        return 0
    if is_plain_object(v, t):
        return object_number(v)
    key = id(v)
    ent = _numbers.get(key)
    if ent is not None and ent[2] is t:
        if ent[1] is None:
            if _held.get(key) is v:
                return ent[0]
        elif ent[1]() is v:
            return ent[0]
    _next[0] -= 1
    n = _next[0]

    def gone(ref, key=key):
        cur = _numbers.get(key)
        if cur is not None and cur[1] is ref:
            del _numbers[key]

    try:
        ref = weakref.ref(v, gone)
    except TypeError:
        ref = None
        _held[key] = v
        _held.move_to_end(key)
        if len(_held) > HELD:
            old, _ = _held.popitem(last=False)
            cur = _numbers.get(old)
            if cur is not None and cur[1] is None:
                del _numbers[old]
    _numbers[key] = (n, ref, t)
    return n


def ids(changed, known, value=None, has_value=False):
    """{name: object number} of the changed names holding mutable values (plus `__return__` for a
    returned one), or 0 when none: what the 'C', 'L' and 'R' records carry last. `known` is the
    frame's name -> [value, ...] of the recorder (no f_locals access here)."""
    out = None
    if changed:
        for name in changed:
            ent = known.get(name)
            n = identity(ent[0]) if ent is not None else 0
            if n:
                if out is None:
                    out = {}
                out[name] = n
    if has_value:
        n = identity(value)
        if n:
            if out is None:
                out = {}
            out['__return__'] = n
    return out or 0
