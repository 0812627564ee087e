import time
from collections import defaultdict

import pytest
from pydevd_tracefix_delta import BUDGET, CAP, MAX_DELTAS, View
from pydevd_tracefix_delta import check as check2


def check(*a, **k):
    return check2(*a, **k)[0]


def deltas(before, mutate, name='v'):
    view = View()
    check(view, (), [(name, before)], 120)
    mutate(before)
    return check(view, [(name, before)], (), 120)


def test_dict_changes_as_paths():
    memo = defaultdict(int, {(i, j): 0 for i in range(10) for j in range(20)})
    assert deltas(memo, lambda m: m.__setitem__((3, 5), 30), 'memo') == [['memo[3, 5]', '30']]
    book = {'acct%d' % i: 100 for i in range(300)}

    def change(b):
        b['acct299'] = -2010
        del b['acct1']
        b['new'] = 1

    assert sorted(deltas(book, change, 'book')) == sorted(
        [["book['acct1']"], ["book['acct299']", '-2010'], ["book['new']", '1']]
    )


def test_a_grid_of_scalars_is_followed_whole_within_the_cap():
    # 41 lists and 1,600 ints: scalars are taken and typed in C, so a 40x40 grid fits one check.
    grid = [[0] * 40 for _ in range(40)]
    view = View()
    assert check(view, (), [('grid', grid)], 120) == []
    grid[39][39] = 7
    assert check(view, [('grid', grid)], (), 120) == [['grid[39][39]', '7']]


def test_lists_sets_objects_and_nesting():
    assert deltas(list(range(1000000)), lambda d: d.append(-1), 'data') == [['data[1000000]', '-1']]
    assert deltas([[0] * 5 for _ in range(5)], lambda g: g[2].__setitem__(3, 7), 'grid') == [
        ['grid[2][3]', '7']
    ]
    assert deltas({1, 2, 3}, lambda s: (s.add(4), s.discard(1)), 'seen') == [
        ['seen', '4', '+'],
        ['seen', '1', '-'],
    ]

    class N:
        pass

    n = N()
    n.a = [1, 2]
    n.b = {'x': 1}
    assert sorted(deltas(n, lambda o: (o.a.append(3), o.b.__setitem__('x', 2)), 'node')) == [
        ['node.a[2]', '3'],
        ["node.b['x']", '2'],
    ]


def test_slots_objects_are_followed():
    class P:
        __slots__ = ('items', 'x')

    p = P()
    p.x = 1
    p.items = [1]
    assert sorted(deltas(p, lambda o: (setattr(o, 'x', 2), o.items.append(5)), 'p')) == [
        ['p.items[1]', '5'],
        ['p.x', '2'],
    ]


def test_many_changes_are_counted_not_listed():
    out = deltas(list(range(100)), lambda a: a.extend(range(50)), 'a')
    assert len(out) == MAX_DELTAS + 1 and out[-1] == ['a', '42', '*']
    out = deltas(list(range(100)), lambda a: a.__delitem__(slice(10, None)), 'a')
    assert out[0] == ['a[99]'] and out[-1] == ['a', '82', '*']


def test_nothing_changed_nothing_reported():
    v = {'k': [1, 2, 3]}
    view = View()
    check(view, (), [('v', v)], 120)
    assert check(view, [('v', v)], (), 120) == []


def test_a_replaced_value_is_shown_not_walked():
    class N:
        pass

    a = N()
    a.kid = N()
    a.kid.x = 1
    out = deltas(a, lambda o: setattr(o, 'kid', [9]), 'a')
    assert out == [['a.kid', '[9]']]


def test_past_the_budget_appends_and_size_are_followed():
    big = list(range(BUDGET * 3))
    assert deltas(big, lambda b: b.append('z'), 'big') == [['big[%d]' % (BUDGET * 3), "'z'"]]


class Node:
    def __init__(self, name):
        self.name = name
        self.peers = []


def test_a_cycle_is_one_node_named_by_its_shortest_path():
    a, b = Node('a'), Node('b')
    a.peers.append(b)
    b.peers.append(a)
    out = deltas(a, lambda x: setattr(x.peers[0], 'name', 'B'), 'a')
    assert out == [['a.peers[0].name', "'B'"]]
    # a change seen through two paths is reported once, at the shorter
    out = deltas(a, lambda x: setattr(x, 'name', 'A'), 'a')
    assert out == [['a.name', "'A'"]]


def test_shared_objects_are_checked_once_for_every_name():
    shared = Node('s')
    x, y = Node('x'), Node('y')
    x.peers.append(shared)
    y.peers.append(shared)
    view = View()
    check(view, (), [('x', x), ('y', y)], 120)
    shared.name = 'S'
    assert check(view, [('x', x), ('y', y)], (), 120) == [['x.peers[0].name', "'S'"]]


def test_every_path_is_bounded_by_the_repr_length():
    deep = {'k' * 100: {'j' * 100: {'i' * 100: [0]}}}
    view = View()
    check(view, (), [('deep', deep)], 40)
    deep['k' * 100]['j' * 100]['i' * 100].append('x' * 100)
    out = check(view, [('deep', deep)], (), 40)
    assert len(out) == 1 and len(out[0][0]) <= 40 and len(out[0][1]) <= 45


def all_to_all(n):
    nodes = [Node('n%d' % i) for i in range(n)]
    for a in nodes:
        a.peers.extend(nodes)
    return nodes


def test_the_cap_bounds_a_check_and_is_said_once():
    nodes = all_to_all(CAP * 2)
    view = View()
    out = check(view, (), [('nodes', nodes)], 120)
    assert out == [['nodes', 'changes past %d objects not followed' % len(view.nodes), '*']]
    assert len(view.nodes) < CAP
    nodes[0].name = 'first'
    assert check(view, [('nodes', nodes)], (), 120) == [['nodes[0].name', "'first'"]]
    nodes[-1].name = 'last'  # past the cap: not in the view, never compared (said above)
    assert check(view, [('nodes', nodes)], (), 120) == []


def test_what_the_cap_left_out_is_never_reported_later():
    nodes = all_to_all(200)
    view = View()
    check(view, (), [('nodes', nodes)], 120, cap=20)
    nodes[150].name = 'x'
    check(view, [('nodes', nodes)], (), 120, cap=20)
    # a later, larger check sees the object for the first time: a baseline, no change reported
    assert check(view, [('nodes', nodes)], (), 120, cap=10000) == []


@pytest.mark.parametrize('n', [60, 200])
def test_cost_does_not_grow_with_the_graph(n):
    nodes = all_to_all(n)
    view = View()
    check(view, (), [('nodes', nodes)], 120)
    t0 = time.perf_counter()
    for _ in range(20):
        check(view, [('nodes', nodes)], (), 120)
    per_check = (time.perf_counter() - t0) / 20
    assert len(view.nodes) < CAP
    # a generous bound: the cap is ~400 units (a few hundred microseconds), never the graph's size
    assert per_check < 0.05


def test_misbehaving_objects_do_not_break_a_check():
    class Bad:
        def __len__(self):
            raise RuntimeError('no len')

        def __iter__(self):
            raise RuntimeError('no iter')

    class Holder:
        pass

    h = Holder()
    h.bad = Bad()
    assert deltas(h, lambda o: setattr(o, 'x', 1), 'h') == [['h.x', '1']]


def test_what_a_check_compares_stays_bounded_as_values_grow():
    # Appends one at a time: patches add each new item to the view; the view is rebuilt (within
    # the cap) before what every check compares outgrows MAX_REFS, however large the values get.
    from pydevd_tracefix_delta import MAX_REFS, _held

    nodes = [Node('n%d' % i) for i in range(60)]
    leaves = [Node('leaf%d' % i) for i in range(60)]
    view = View()
    check(view, (), [('nodes', nodes), ('leaves', leaves)], 120)
    held = 0
    for a in nodes:
        for j in range(60):
            a.peers.append(leaves[j])
            check(view, [('nodes', nodes), ('leaves', leaves)], (), 120)
            held = max(held, _held(view))
    assert MAX_REFS <= 8 * CAP and held <= MAX_REFS + 64
