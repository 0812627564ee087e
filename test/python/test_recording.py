# The helper's event sources recording real programs in-process (harness.py), checked record by
# record.
import sys

import pytest
from conftest import violation

MONITORING = sys.version_info >= (3, 12)


def kinds(records, *wanted):
    return [r for r in records if r[0] in wanted]


def test_every_record_keeps_the_contract(recorded):
    records = recorded(
        'def f(x):\n    y = [x] * 3\n    y.append(1)\n    return y\n'
        'def g():\n    yield 1\n    yield 2\n'
        'a = f(2)\nb = list(g())\n'
        'try:\n    1 / 0\nexcept ZeroDivisionError:\n    pass\nprint("out")\n'
    )
    assert records, 'nothing recorded'
    for r in records:
        assert violation(r) is None, (violation(r), r)
    assert records[-1][0] == 'E'


def test_calls_lines_and_returns_in_order(recorded):
    records = recorded('def f(x):\n    y = x + 1\n    return y\n\nz = f(1)\n')
    calls = kinds(records, 'C')
    assert [c[5] for c in calls] == ['<module>', 'f']
    assert calls[1][7] == {'x': '1'}
    f = calls[1][1]
    lines = [r for r in kinds(records, 'L') if r[1] == f]
    assert [r[2] for r in lines] == [2, 3]
    assert lines[1][3] == {'y': '2'}
    ret = next(r for r in kinds(records, 'R') if r[1] == f)
    assert ret[3:5] == ['r', '2']


def test_closure_variables_are_not_listed_as_bindings(recorded):
    records = recorded(
        'def outer():\n    big = list(range(50))\n'
        '    def inner(k):\n        return big[k]\n    return inner(3)\n\nouter()\n'
    )
    inner = next(c for c in kinds(records, 'C') if c[5] == 'inner')
    assert inner[7] == {'k': '3'}


def test_an_exception_leaving_frames_carries_type_and_message(recorded):
    records = recorded(
        'def f():\n    raise ValueError("bad <x.Y object at 0x7f00deadbeef>")\n\n'
        'try:\n    f()\nexcept ValueError:\n    pass\n'
    )
    left = [r for r in kinds(records, 'R') if r[3] == 'e']
    assert left[0][4] == ['ValueError', 'bad <x.Y object>', "ValueError('bad <x.Y object>')"]


def test_recursion_limit_the_exception_and_the_unwinding_are_recorded(recorded):
    records = recorded('def depth(n):\n    return depth(n + 1)\n\ndepth(0)\n')
    module = kinds(records, 'C')[0][1]
    left = [r for r in kinds(records, 'R') if r[3] == 'e']
    assert any(r[1] == module and r[4][0] == 'RecursionError' for r in left)
    assert sum(1 for r in left if r[4][0] == 'RecursionError') > 900


def test_imports_of_user_modules_are_summarised_not_line_recorded(recorded):
    files = {
        'pkg/__init__.py': (
            'R = {}\ndef reg(n):\n    R[n] = len(R)\n    return R[n]\nfor n in "abc":\n    reg(n)\n'
        )
    }
    records = recorded('import pkg\nx = pkg.reg("d")\n', files=files)
    assert [r[2] for r in kinds(records, 'I')] == [3]
    assert [c[5] for c in kinds(records, 'C')] == ['<module>', 'reg']
    everything = recorded('import pkg\nx = pkg.reg("d")\n', files=files, record_imports=True)
    assert [c[5] for c in kinds(everything, 'C')].count('reg') == 4


def test_changes_inside_cut_values_are_deltas(recorded):
    records = recorded(
        'book = {"acct%d" % k: 100 for k in range(300)}\nbook["acct299"] -= 2110\nend = 1\n'
    )
    deltas = (
        [d for r in kinds(records, 'L', 'R') for d in (r[5] if len(r) > 5 and r[5] else [])]
        if MONITORING
        else [d for r in kinds(records, 'L') if len(r) > 5 and r[5] for d in r[5]]
    )
    assert ["book['acct299']", '-2010'] in deltas


def test_only_lines_that_can_mutate_are_compared_again(recorded):
    # A mutation by an alias is seen after the line that made it, not later.
    records = recorded('a = [0] * 100\nb = a\nb[50] = 7\nc = 1\n')
    line4 = next(r for r in kinds(records, 'L') if r[2] == 4)
    assert line4[5] == [['a[50]', '7'], ['b[50]', '7']] or line4[5] == [
        ['b[50]', '7'],
        ['a[50]', '7'],
    ]


@pytest.mark.skipif(MONITORING, reason='sys.settrace is the event source before Python 3.12 only')
def test_a_program_installing_its_own_tracer_is_noted(recorded):
    records = recorded('import sys\na = 1\ndef t(*_):\n    return None\nsys.settrace(t)\nb = 2\n')
    assert kinds(records, 'T')[0][2] == 5


def test_threads_are_recorded(recorded):
    records = recorded(
        'import threading\nout = []\ndef w(k):\n    out.append(k)\n'
        'ts = [threading.Thread(target=w, args=(k,)) for k in range(3)]\n'
        'for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\n'
    )
    assert sorted(c[7]['k'] for c in kinds(records, 'C') if c[5] == 'w') == ['0', '1', '2']
