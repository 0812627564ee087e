# Generators closed or thrown into, coroutines and async generators, on every interpreter: each
# frame leaves once, the way it really left, and nothing of the recorder's own (its callbacks'
# locals, the wrappers CPython puts around values) is ever recorded.
import json

from test_recording import kinds

PROGRAM = """import asyncio


def numbers():
    try:
        yield 1
        yield 2
    finally:
        done = True


def bare():
    yield 1
    yield 2


def catcher():
    while True:
        try:
            x = yield
        except ValueError as e:
            caught = str(e)


g = numbers()
first = next(g)
g.close()
b = bare()
next(b)
try:
    b.throw(KeyError('k'))
except KeyError:
    pass
c = catcher()
next(c)
c.throw(ValueError('boom'))


async def agen():
    for i in range(2):
        yield i * 10
        await asyncio.sleep(0)


async def work(n):
    await asyncio.sleep(0)
    return n + 1


async def main():
    got = [x async for x in agen()]
    a = agen()
    head = await a.__anext__()
    await a.aclose()
    total = await work(got[1])
    return total


result = asyncio.run(main())
"""

RECORDER_NAMES = (
    'py_resume',
    'py_throw',
    'offset',
    'code object',
    'pydevd',
    'tracefix',
    'async_generator_wrapped_value',
)


def frames_by_name(records):
    return {c[1]: c[5] for c in kinds(records, 'C')}


def test_nothing_of_the_recorder_in_any_record(recorded):
    records = recorded(PROGRAM)
    text = json.dumps([r for r in records if r[0] in 'CLR'])
    for word in RECORDER_NAMES:
        assert word not in text, word
    # every call binds only its own parameters
    for c in kinds(records, 'C'):
        assert set(c[7] or {}) <= {'n'}, c


def test_generators_leave_as_they_really_left(recorded):
    records = recorded(PROGRAM)
    names = frames_by_name(records)
    leaves = [(names[r[1]], r[3], r[4] if r[3] != 'e' else r[4][0]) for r in kinds(records, 'R')]
    # close(): GeneratorExit through the `finally` (which ran: done=True)
    assert ('numbers', 'y', '1') in leaves and ('numbers', 'e', 'GeneratorExit') in leaves
    done = next(r for r in kinds(records, 'R') if names[r[1]] == 'numbers' and r[3] == 'e')
    assert done[5] == {'done': 'True'}
    # throw() into a generator without a handler: it leaves with that exception, never a yield
    assert [x for x in leaves if x[0] == 'bare'] == [('bare', 'y', '1'), ('bare', 'e', 'KeyError')]
    # throw() into a generator that handles it: it yields again
    assert [x for x in leaves if x[0] == 'catcher'] == [
        ('catcher', 'y', 'None'),
        ('catcher', 'y', 'None'),
    ]
    caught = [
        r
        for r in kinds(records, 'L', 'R')
        if names[r[1]] == 'catcher' and len(r) > 3 and isinstance(r[3], dict) and 'caught' in r[3]
    ]
    assert caught, 'the except clause ran'


def test_awaits_are_not_yields_and_async_yields_show_their_value(recorded):
    records = recorded(PROGRAM)
    names = frames_by_name(records)
    leaves = [(names[r[1]], r[3], r[4] if r[3] != 'e' else r[4][0]) for r in kinds(records, 'R')]
    assert [x for x in leaves if x[0] == 'work'] == [('work', 'r', '11')]
    assert [x for x in leaves if x[0] == 'main'] == [('main', 'r', '11')]
    agen = [x for x in leaves if x[0] == 'agen']
    assert agen == [
        ('agen', 'y', '0'),
        ('agen', 'y', '10'),
        ('agen', 'r', 'None'),
        ('agen', 'y', '0'),
        ('agen', 'e', 'GeneratorExit'),
    ]
