"""In-process sys.settrace reference recorder (benchmarks only).

Records the same data as Tracefix's debuggee helper — bounded reprs of the changed locals at every
line event of the user's file, and return values — using the helper's own repr code, so the
benchmark compares transport and driving overhead, not repr cost.
Usage: python3 reference_tracer.py HELPER.py PROGRAM.py  → prints {"lines": N, "returns": M} as JSON.
"""
import json
import os
import sys
import time
import types

helper_path, program = sys.argv[1], os.path.realpath(sys.argv[2])
helper = types.ModuleType('pydevd_tracefix_helper_ref')
with open(helper_path) as fh:
    exec(compile(fh.read(), 'pydevd_tracefix_helper_ref.py', 'exec'), helper.__dict__)
helper._CFG.update(root=os.path.dirname(program), repr=120, max=10 ** 9, batch=500, stepping=False)
counts = {'lines': 0, 'returns': 0}
records = []
states = {}


def local_trace(frame, event, arg):
    st = states.get(id(frame))
    if st is None:
        st = states[id(frame)] = [0, 0, {}]
    changed, deleted = helper._diff(frame, st)
    if event == 'line':
        counts['lines'] += 1
        records.append(('L', frame.f_lineno, changed, deleted))
    elif event == 'return':
        counts['returns'] += 1
        records.append(('R', frame.f_lineno, helper._brepr(arg, 120), changed))
        states.pop(id(frame), None)
    return local_trace


def global_trace(frame, event, arg):
    if frame.f_code.co_filename == program:
        return local_trace(frame, event, arg)
    return None


code = compile(open(program).read(), program, 'exec')
started = time.perf_counter()
sys.settrace(global_trace)
try:
    exec(code, {'__name__': '__main__', '__file__': program})
finally:
    sys.settrace(None)
    counts['recordingMs'] = round((time.perf_counter() - started) * 1000, 1)
json.dump(records, open(os.devnull, 'w'))
print(json.dumps(counts))
