// Python sources the prompt and task tests read: a module under test and its tests.
export const stats = `import math


def median(xs):
    """Return the median of a non-empty list.

    For an even count, the mean of the two middle values.
    """
    xs = sorted(xs)
    mid = len(xs) // 2
    return xs[mid]
`;

export const tests = `from stats import median


def test_median_odd():
    assert median([3, 1, 2]) == 2


def test_median_even():
    data = [1, 2, 3, 4]
    assert median(data) == 2.5, \\
        "even count"
`;
