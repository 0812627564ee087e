# Records a program in this process through the helper's own event source (sys.monitoring on
# Python >= 3.12, sys.settrace before) and prints the record batches, one JSON array per line.
# Usage: python harness.py MAIN.py [auto|settrace|monitoring] [record_imports 0|1]
import json
import os
import socket
import sys
import threading

CORE = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'src', 'core')
)
DEBUGGEE = os.path.join(CORE, 'trace', 'debuggee')
# The folders the recorder tells the helper to leave out (src/core/trace/userCode.ts).
with open(os.path.join(CORE, 'excludedDirs.json')) as fh:
    _dirs = json.load(fh)
EXCLUDED = frozenset(_dirs['notUserCode'] + _dirs['buildOutput'])
sys.path.insert(0, DEBUGGEE)
import pydevd_tracefix_channel as channel  # noqa: E402
import pydevd_tracefix_core as core  # noqa: E402
import pydevd_tracefix_monitor as monitor  # noqa: E402
import pydevd_tracefix_settrace as settrace  # noqa: E402

main = os.path.realpath(sys.argv[1])
backend = sys.argv[2] if len(sys.argv) > 2 else 'auto'
a, b = socket.socketpair()
received = []


def drain():
    while True:
        d = b.recv(1 << 20)
        if not d:
            break
        received.append(d)


reader = threading.Thread(target=drain, daemon=True)
reader.start()
core.CFG.update(
    root=os.path.dirname(main),
    main=main,
    repr=120,
    record_imports=len(sys.argv) > 3 and sys.argv[3] == '1',
    excluded=EXCLUDED,
)
channel._sock[0] = a
channel._core['m'] = core
sys.path.remove(DEBUGGEE)
sys.path.insert(0, os.path.dirname(main))
if backend == 'monitoring' or (backend == 'auto' and sys.version_info >= (3, 12)):
    source = monitor
    source.start(lines=True)
else:
    source = settrace
    source.start()
with open(main) as f:
    code = compile(f.read(), main, 'exec')
try:
    exec(code, {'__name__': '__main__', '__file__': main})
except BaseException as e:
    core.recover(e)
finally:
    sys.settrace(None)
    if hasattr(source, 'stop'):
        source.stop()
    core.finish('exit')
    channel.close()
    reader.join(10)
sys.stdout.write(b''.join(received).decode('ascii'))
