from running_max import running_max


def test_all_negative():
    assert running_max([-3, -1, -2]) == [-3, -1, -1]


def test_mixed():
    assert running_max([1, 3, 2, 5]) == [1, 3, 3, 5]
