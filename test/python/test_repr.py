import collections
import sys

from pydevd_tracefix_repr import brepr, exception_parts, strip_addresses


class Node:
    def __init__(self, value, kids=()):
        self.value = value
        self.kids = list(kids)


class Slotted:
    __slots__ = ('a', 'b')

    def __init__(self):
        self.a = 1
        self.b = 'x'


class Broken:
    def __repr__(self):
        raise ValueError('no')


def test_scalars_and_containers_as_python_shows_them():
    assert brepr(1) == ('1', True)
    assert brepr('a') == ("'a'", True)
    assert brepr((1,)) == ('(1,)', True)
    assert brepr([1, 'x', None]) == ("[1, 'x', None]", True)
    assert brepr({'a': 1, 'b': [1, 2]}) == ("{'a': 1, 'b': [1, 2]}", True)
    assert brepr({3, 1, 2}) == ('{1, 2, 3}', True)
    assert brepr(set()) == ('set()', True)
    assert brepr(frozenset({1})) == ('frozenset({1})', True)


def test_collections_render_their_elements_and_namedtuples_keep_their_repr():
    assert brepr(collections.defaultdict(int, {'k': 3})) == ("defaultdict({'k': 3})", True)
    assert brepr(collections.deque([1, 2])) == ('deque([1, 2])', True)
    assert brepr(collections.Counter('aab')) == ("Counter({'a': 2, 'b': 1})", True)
    P = collections.namedtuple('P', 'x y')
    assert brepr(P(1, 2)) == ('P(x=1, y=2)', True)


def test_long_values_are_cut_with_a_count_of_what_is_left_out():
    text, complete = brepr(list(range(1000)), 60)
    assert not complete
    assert text.startswith('[0, 1, 2,') and text.endswith('more)]')
    shown = text[1 : text.index(', ...(')].split(', ')
    assert text.endswith('...(%d more)]' % (1000 - len(shown)))
    s, ok = brepr('x' * 500, 40)
    assert not ok and s.endswith("'...") and len(s) < 50


def test_objects_are_numbered_by_identity_and_shown_once_per_repr():
    shared = Node('a')
    text, _ = brepr([shared, Node('b', [shared])], 400)
    n = text[text.index('#') + 1 : text.index('(')]
    # expanded where it is first shown, a reference (`Node#n`) where it is shown again
    assert text == "[Node#%s(value='a', kids=[]), Node#%d(value='b', kids=[Node#%s])]" % (
        n,
        int(n) + 1,
        n,
    ), text
    assert brepr(shared)[0] == "Node#%s(value='a', kids=[])" % n
    assert 'object at' not in text and '0x' not in text
    assert brepr(Slotted())[0].startswith('Slotted#')


def test_a_cycle_is_a_reference_never_a_walk_around_it():
    class Markdown:
        pass

    class Parser:
        pass

    md = Markdown()
    md.parser = Parser()
    md.parser.md = md
    md.parser.state = [md.parser]
    text, complete = brepr(md, 400)
    md_id = text[9 : text.index('(')]
    expected = (
        'Markdown#{0}(parser=Parser#{1}(md=<cycle: Markdown#{0}>, state=[<cycle: Parser#{1}>]))'
    )
    assert text == expected.format(md_id, int(md_id) + 1)
    assert complete
    # 60 objects that all refer to each other: bounded, each shown once
    nodes = [Node(i) for i in range(60)]
    for a in nodes:
        a.kids = nodes
    text, _ = brepr(nodes, 120)
    assert len(text) < 200 and 'kids=[...]' in text


def test_an_object_whose_repr_fails_shows_what_it_has():
    class Result:
        def __init__(self, tokens):
            self._tokens = tokens
            self.seen = brepr(self)
            self.name = 'r'

        def __repr__(self):
            return 'Result(%r, %r)' % (self._tokens, self.name)

    r = Result(['a', 'b'])
    assert r.seen[0].startswith('Result#') and r.seen[0].endswith("(partial: _tokens=['a', 'b'])")
    assert brepr(r)[0] == "Result(['a', 'b'], 'r')"


def test_depth_and_cycles_are_bounded():
    assert brepr([[[[[1]]]]]) == ('[[[[...]]]]', False)
    loop = [1]
    loop.append(loop)
    assert brepr(loop) == ('[1, [...]]', False)


def test_a_failing_repr_and_huge_ints_do_not_escape():
    assert brepr(Broken())[0] == '<Broken repr failed: ValueError>'
    assert brepr(10**1000)[0] == '<int with 3322 bits>'


def test_no_memory_address_in_messages():
    assert strip_addresses('<node.Node object at 0x7fc0aabbccdd>') == '<node.Node object>'
    assert strip_addresses('id 0x10') == 'id 0x10'
    name, message, text = exception_parts(ValueError('bad <x.Y object at 0x7f00deadbeef>'))
    assert (name, message, text) == (
        'ValueError',
        'bad <x.Y object>',
        "ValueError('bad <x.Y object>')",
    )


def test_the_repr_works_at_the_recursion_limit():
    # Iterative: a deeply nested value never needs Python frames of its own.
    deep = []
    cur = deep
    for _ in range(5000):
        nxt = []
        cur.append(nxt)
        cur = nxt
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(100)
    try:
        assert brepr(deep)[0] == '[[[[...]]]]'
    finally:
        sys.setrecursionlimit(old)
