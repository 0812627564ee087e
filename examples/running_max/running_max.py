def running_max(values):
    """Return a list whose i-th item is the largest of values[0..i]."""
    out = []
    best = 0
    for v in values:
        if v > best:
            best = v
        out.append(best)
    return out


if __name__ == "__main__":
    print(running_max([-3, -1, -2]))
