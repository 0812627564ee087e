from collections import defaultdict

from pydevd_tracefix_delta import BUDGET, compare, snapshot


def deltas(before, mutate, name='v'):
    snap = snapshot(before)
    mutate(before)
    return compare(snap, before, name, 120)[0]


def test_dict_changes_as_paths():
    memo = defaultdict(int, {(i, j): 0 for i in range(10) for j in range(20)})
    assert deltas(memo, lambda m: m.__setitem__((3, 5), 30), 'memo') == [['memo[3, 5]', '30']]
    book = {'acct%d' % i: 100 for i in range(300)}

    def change(b):
        b['acct299'] = -2010
        del b['acct1']
        b['new'] = 1
    assert sorted(deltas(book, change, 'book')) == sorted([["book['acct1']"], ["book['acct299']", '-2010'], ["book['new']", '1']])


def test_lists_sets_objects_and_nesting():
    assert deltas(list(range(1000000)), lambda d: d.append(-1), 'data') == [['data[1000000]', '-1']]
    assert deltas([[0] * 5 for _ in range(5)], lambda g: g[2].__setitem__(3, 7), 'grid') == [['grid[2][3]', '7']]
    assert deltas({1, 2, 3}, lambda s: (s.add(4), s.discard(1)), 'seen') == [['seen', '4', '+'], ['seen', '1', '-']]

    class N(object):
        pass
    n = N()
    n.a = [1, 2]
    n.b = {'x': 1}
    assert sorted(deltas(n, lambda o: (o.a.append(3), o.b.__setitem__('x', 2)), 'node')) == [["node.a[2]", '3'], ["node.b['x']", '2']]


def test_many_changes_are_counted_not_listed():
    out = deltas(list(range(100)), lambda a: a.extend(range(50)), 'a')
    assert len(out) == 9 and out[-1] == ['a', '42', '*']
    out = deltas(list(range(100)), lambda a: a.__delitem__(slice(10, None)), 'a')
    assert out[0] == ['a[99]'] and out[-1] == ['a', '82', '*']


def test_nothing_changed_nothing_reported_and_the_snapshot_is_kept():
    v = {'k': [1, 2, 3]}
    snap = snapshot(v)
    assert compare(snap, v, 'v', 120) == ([], snap)


def test_snapshots_are_never_changed_in_place():
    # Frames share snapshots: a frame's old view must stay what it saw.
    acc = list(range(10))
    first = snapshot(acc)
    acc.append(10)
    out, second = compare(first, acc, 'acc', 120)
    assert out == [['acc[10]', '10']] and second is not first and first.size == 10
    acc.append(11)
    assert compare(first, acc, 'acc', 120)[0] == [['acc[10]', '10'], ['acc[11]', '11']]


def test_past_the_budget_appends_and_size_are_followed():
    big = list(range(BUDGET * 3))
    assert deltas(big, lambda b: b.append('z'), 'big') == [['big[%d]' % (BUDGET * 3), "'z'"]]
