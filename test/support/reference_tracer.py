"""In-process sys.settrace reference recorder (benchmarks only).

Records what Tracefix's helper records — bounded reprs of the changed locals at every line event of
the user's file, and return values — with the helper's own repr code (pydevd_tracefix_repr), in the
most direct way: a global trace function, a dict of states per frame, a repr of every local at every
line. The benchmark compares Tracefix's whole recorder (debugpy session, record channel) against it.
Usage: python3 reference_tracer.py DEBUGGEE_DIR PROGRAM.py  → prints {"lines": N, "returns": M, ...}
as JSON.
"""

import json
import os
import sys
import time

helper_dir, program = sys.argv[1], os.path.realpath(sys.argv[2])
sys.path.insert(0, helper_dir)
from pydevd_tracefix_repr import brepr  # noqa: E402

sys.path.pop(0)
LIMIT = 120
counts = {'lines': 0, 'returns': 0}
records = []
states = {}


def diff(frame, known):
    changed = {}
    for name, v in list(frame.f_locals.items()):
        if name.startswith('__'):
            continue
        r = brepr(v, LIMIT)[0]
        if known.get(name) != r:
            changed[name] = r
            known[name] = r
    return changed


def local_trace(frame, event, arg):
    known = states.get(id(frame))
    if known is None:
        known = states[id(frame)] = {}
    changed = diff(frame, known)
    if event == 'line':
        counts['lines'] += 1
        records.append(('L', frame.f_lineno, changed))
    elif event == 'return':
        counts['returns'] += 1
        records.append(('R', frame.f_lineno, brepr(arg, LIMIT)[0], changed))
        states.pop(id(frame), None)
    return local_trace


def global_trace(frame, event, arg):
    if frame.f_code.co_filename == program:
        return local_trace(frame, event, arg)
    return None


with open(program) as f:
    code = compile(f.read(), program, 'exec')
started = time.perf_counter()
sys.settrace(global_trace)
try:
    exec(code, {'__name__': '__main__', '__file__': program})
finally:
    sys.settrace(None)
    counts['recordingMs'] = round((time.perf_counter() - started) * 1000, 1)
with open(os.devnull, 'w') as devnull:
    json.dump(records, devnull)
print(json.dumps(counts))
