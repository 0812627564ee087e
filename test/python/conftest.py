# Tests of the recorder helper that Tracefix injects into the debuggee (src/core/trace/debuggee).
# Run with any Python >= 3.8 that has pytest: `python3 -m pytest test/python` (npm run test:python).
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
DEBUGGEE = os.path.normpath(os.path.join(HERE, '..', '..', 'src', 'core', 'trace', 'debuggee'))
sys.path.insert(0, DEBUGGEE)

with open(os.path.join(DEBUGGEE, 'record_contract.json')) as fh:
    CONTRACT = json.load(fh)


def record(tmp_path, source, backend='auto', files=None, record_imports=False, args=()):
    """Records `source` (written as main.py in tmp_path, with `files` beside it) in a fresh Python
    process through the helper's event source; returns the records in order."""
    main = tmp_path / 'main.py'
    main.write_text(source)
    for name, text in (files or {}).items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    out = subprocess.run(
        [
            sys.executable,
            os.path.join(HERE, 'harness.py'),
            str(main),
            backend,
            '1' if record_imports else '0',
        ]
        + list(args),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    records = []
    for line in out.stdout.splitlines():
        if line.startswith('['):
            records.extend(json.loads(line))
    return records


@pytest.fixture
def recorded(tmp_path):
    return lambda source, **kw: record(tmp_path, source, **kw)


def _use_row(r):
    return (
        isinstance(r, list)
        and len(r) == 5
        and type(r[0]) is int
        and type(r[1]) is int
        and type(r[4]) is int
        and all(isinstance(p, list) and all(type(x) is str for x in p) for p in r[2:4])
    )


def violation(rec):
    """Why a record breaks record_contract.json (None when it keeps it)."""
    if not isinstance(rec, list) or not rec or not isinstance(rec[0], str):
        return 'not a record'
    fields = CONTRACT['records'].get(rec[0])
    if fields is None:
        return 'unknown kind %r' % rec[0]
    rest = rec[1:]
    variadic = fields[-1].endswith('*')
    required = len([f for f in fields if not f.endswith(('?', '*'))])
    if len(rest) < required or (not variadic and len(rest) > len(fields)):
        return '%s with %d fields' % (rec[0], len(rest))
    for i, v in enumerate(rest):
        t = fields[min(i, len(fields) - 1)].rstrip('?*')
        ok = {
            'int': lambda v: type(v) is int,
            'num': lambda v: type(v) in (int, float),
            'str': lambda v: type(v) is str,
            'int_or_null': lambda v: v is None or type(v) is int,
            'changed': lambda v: (
                v == 0 or (isinstance(v, dict) and all(type(x) is str for x in v.values()))
            ),
            'names': lambda v: v == 0 or (isinstance(v, list) and all(type(x) is str for x in v)),
            'deltas': lambda v: (
                v == 0
                or (
                    isinstance(v, list)
                    and all(
                        isinstance(d, list) and 1 <= len(d) <= 3 and all(type(x) is str for x in d)
                        for d in v
                    )
                )
            ),
            'value': lambda v: (
                type(v) is str
                or (isinstance(v, list) and len(v) == 3 and all(type(x) is str for x in v))
            ),
            'ids': lambda v: (
                v == 0
                or (isinstance(v, dict) and all(type(x) is int and x != 0 for x in v.values()))
            ),
            'uses': lambda v: isinstance(v, list) and all(_use_row(r) for r in v),
            'any': lambda v: True,
        }[t](v)
        if not ok:
            return '%s field %d is not %s: %r' % (rec[0], i + 1, t, v)
    return None
