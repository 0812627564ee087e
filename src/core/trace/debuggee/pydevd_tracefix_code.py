# What a code object can do to the values its frame holds, read once from its bytecode (per code
# object that runs): which lines may change a container in place.
import dis
import sys

# Iterating (FOR_ITER) is left out: over a generator it runs code that could mutate a container
# shared with this frame, and that change is then seen after this frame's next call or store.
_MUTATING = (
    'CALL',
    'STORE_SUBSCR',
    'DELETE_SUBSCR',
    'STORE_ATTR',
    'DELETE_ATTR',
    'STORE_SLICE',
    'DELETE_SLICE',
    'BEFORE_WITH',
    'SETUP_WITH',
    'WITH_EXCEPT_START',
    'SEND',
    'IMPORT_',
    'GET_AWAITABLE',
)
_NAME_STORES = ('STORE_FAST', 'STORE_NAME', 'STORE_GLOBAL', 'STORE_DEREF')


# Calls that change none of their arguments (builtins, and methods of builtin types by these names).
# A line whose only calls are these changes nothing in place unless user code ran during it (a key
# function, a generator resumed by next(), a user __len__): the recorder knows when it did.
_PURE_CALLS = frozenset(
    (
        'len',
        'isinstance',
        'issubclass',
        'range',
        'enumerate',
        'zip',
        'reversed',
        'sorted',
        'min',
        'max',
        'sum',
        'abs',
        'any',
        'all',
        'str',
        'int',
        'float',
        'bool',
        'tuple',
        'list',
        'dict',
        'set',
        'frozenset',
        'repr',
        'hash',
        'id',
        'type',
        'getattr',
        'hasattr',
        'iter',
        'next',
        'ord',
        'chr',
        'round',
        'divmod',
        'format',
        'callable',
        'map',
        'filter',
        'bytes',
        'print',
        'startswith',
        'endswith',
        'join',
        'strip',
        'lstrip',
        'rstrip',
        'split',
        'rsplit',
        'splitlines',
        'lower',
        'upper',
        'isdigit',
        'isalpha',
        'isalnum',
        'isspace',
        'isidentifier',
        'replace',
        'encode',
        'decode',
        'match',
        'fullmatch',
        'search',
        'group',
        'groups',
        'groupdict',
        'start',
        'end',
        'span',
        'items',
        'keys',
        'values',
        'count',
        'index',
        'find',
        'rfind',
    )
)
_CALL_OPS = frozenset(('CALL', 'CALL_KW', 'CALL_FUNCTION_EX'))
PURE = 'c'  # a line whose calls are all _PURE_CALLS


def mutating_lines(code):
    """Per line, whether running it may change a container held in a local without rebinding it:
    True for a call, a store into an item or attribute...; for in-place operators whose result is
    stored back into plain names (`total += i`), the set of those names: only a mutable value behind
    one of them can have changed. Lines not listed change nothing in place, so after them an
    unchanged identity is an unchanged value. None: unknown, compare after every line."""
    out = {}
    calls = {}  # line -> [call instructions, calls whose callee is a pure name]
    line = None
    named_calls = sys.version_info >= (3, 11)  # the callee's name is marked where it is loaded
    try:
        ins = list(dis.get_instructions(code))
        for k, i in enumerate(ins):
            ln = getattr(i, 'positions', None)
            ln = (
                ln.lineno
                if ln is not None and ln.lineno is not None
                else i.starts_line
                if type(i.starts_line) is int
                else line
            )
            if ln is not None:
                line = ln
            name = i.opname
            inplace = (name == 'BINARY_OP' and i.argrepr.endswith('=')) or name.startswith(
                'INPLACE_'
            )
            if inplace:
                nxt = ins[k + 1] if k + 1 < len(ins) else None
                if nxt is not None and nxt.opname in _NAME_STORES and out.get(line) is not True:
                    out[line] = out.get(line, frozenset()) | frozenset((nxt.argval,))
                    continue
                out[line] = True
            elif named_calls and name in _CALL_OPS:
                calls.setdefault(line, [0, 0])[0] += 1
            elif named_calls and (
                name == 'LOAD_METHOD'
                or (name in ('LOAD_GLOBAL', 'LOAD_ATTR') and 'NULL' in i.argrepr)
            ):
                if i.argval in _PURE_CALLS:
                    calls.setdefault(line, [0, 0])[1] += 1
            elif name.startswith(_MUTATING):
                out[line] = True
    except Exception:
        return None
    for ln, (made, pure) in calls.items():
        if out.get(ln) is True:
            continue
        out[ln] = PURE if made == pure and ln not in out else True
    return out
