# What each statement reads and writes (pydevd_tracefix_uses), and the object numbers the records
# carry for the dynamic slice.
import gc
import textwrap

import pydevd_tracefix_uses as uses
from conftest import violation


def rows_of(tmp_path, source, name):
    path = tmp_path / 'mod.py'
    path.write_text(textwrap.dedent(source))
    ns = {}
    exec(compile(path.read_text(), str(path), 'exec'), ns)
    fn = ns[name]
    return {r[0]: r for r in uses.rows_for(getattr(fn, '__code__', None) or fn.__init__.__code__)}


def test_reads_writes_and_the_branch_that_decides(tmp_path):
    rows = rows_of(
        tmp_path,
        """
        def f(self, a, d):
            x = a + 1
            self.items.append(x)
            if x > 3:
                d[a] = self.k.v
            elif x:
                y = d[a][0].z
            else:
                for i, j in enumerate(d):
                    self.total += i
            return self.helper(y)
        """,
        'f',
    )
    assert rows[3] == [3, 3, ['a'], ['x'], 0]
    assert rows[4][2:4] == [['self.items', 'x'], ['self.items[]']]
    assert rows[6] == [6, 6, ['self.k', 'a'], ['d[]'], 5]
    assert rows[8][2:] == [['d[]', 'a'], ['y'], 7]  # elif: decided by the `elif` line
    assert rows[10][3] == ['j', 'i'] and rows[10][4] == 7
    assert rows[11] == [11, 11, ['self.total', 'i'], ['self.total'], 10]
    assert rows[12][2] == ['self.helper()', 'y']


def test_an_assertion_reads_its_test_not_its_message(tmp_path):
    rows = rows_of(
        tmp_path,
        """
        def test(result, expected):
            assert result.code == expected, result.output
        """,
        'test',
    )
    assert sorted(rows[3][2]) == ['expected', 'result.code']


def test_nested_scopes_are_their_own_and_multiline_statements_span(tmp_path):
    rows = rows_of(
        tmp_path,
        """
        def outer(xs):
            total = sum(
                x * 2
                for x in xs
            )
            def inner(k=total):
                return k + missing
            return inner
        """,
        'outer',
    )
    assert rows[3][:2] == [3, 6]
    assert 'total' in rows[3][3] and 'xs' in rows[3][2]
    assert rows[7][3] == ['inner'] and rows[7][2] == [
        'total'
    ]  # the default is read where the def runs
    assert 8 not in rows  # the inner body is inner's


def test_a_decorated_function_is_found_by_its_first_decorator(tmp_path):
    path = tmp_path / 'mod.py'
    path.write_text('import functools\n\n@functools.lru_cache()\ndef f(n):\n    return n + 1\n')
    ns = {}
    exec(compile(path.read_text(), str(path), 'exec'), ns)
    rows = uses.rows_for(ns['f'].__wrapped__.__code__)
    assert rows == [[5, 5, ['n'], [], 0]]


def test_source_that_cannot_be_read_gives_no_rows(tmp_path):
    code = compile('def f():\n    return 1\n', str(tmp_path / 'gone.py'), 'exec')
    ns = {}
    exec(code, ns)
    assert uses.rows_for(ns['f'].__code__) is None


def test_identity_numbers_mutable_values_once_and_not_scalars():
    class Plain:
        pass

    a = [1]
    b = {'k': 1}
    p = Plain()
    assert uses.identity(3) == 0 and uses.identity('s') == 0 and uses.identity((1, 2)) == 0
    assert uses.identity(a) == uses.identity(a) < 0
    assert uses.identity(b) != uses.identity(a)
    n = uses.identity(p)
    assert n > 0  # a plain object: the number its repr shows (Plain#n)
    from pydevd_tracefix_repr import brepr

    assert brepr(p)[0].startswith('Plain#%d' % n)


def test_a_reused_address_gets_a_new_number():
    seen = set()
    for _ in range(200):
        x = [0]
        seen.add((id(x), uses.identity(x)))
        del x
        gc.collect()
    ids = {}
    for addr, n in seen:
        ids.setdefault(addr, set()).add(n)
    assert all(len(ns) >= 1 for ns in ids.values())
    assert len({n for _, n in seen}) == len(seen)  # never one number for two lists


def test_the_held_lists_are_bounded():
    for _ in range(uses.HELD + 100):
        uses.identity([0])
    assert len(uses._held) <= uses.HELD


def test_records_carry_rows_and_object_numbers(recorded):
    records = recorded(
        textwrap.dedent("""
        class Box(object):
            def __init__(self):
                self.items = []

            def put(self, x):
                self.items.append(x)


        def fill(box, xs):
            for x in xs:
                box.put(x * 2)
            return box.items


        b = Box()
        out = fill(b, [1, 2])
        same = out
        """)
    )
    for r in records:
        assert violation(r) is None, (violation(r), r)
    rows = {(r[1], row[0]): row for r in records if r[0] == 'U' for row in r[2]}
    assert any(row[3] == ['self.items[]'] for row in rows.values())
    calls = {c[5]: c for c in records if c[0] == 'C'}
    box_id = calls['put'][9]['self']
    assert calls['fill'][9]['box'] == box_id > 0
    ret = next(r for r in records if r[0] == 'R' and r[1] == calls['fill'][1])
    # A line's changes arrive with the frame's next record (the module's last one with its end).
    carried = [r[6] for r in records if r[0] == 'L' and len(r) > 6] + [
        r[8] for r in records if r[0] == 'R' and len(r) > 8
    ]
    same = [ids for ids in carried if 'same' in (ids or {})]
    assert (
        same and same[0]['same'] == ret[8]['__return__'] < 0
    )  # the list fill returned, by two names
