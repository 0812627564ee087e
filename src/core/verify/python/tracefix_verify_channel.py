# Out-of-band evidence for Tracefix's patch verification. Events go, as they happen, to a stream
# Tracefix reads from outside the sandbox (fd 3, a socket no file of the sandbox names); each line
# carries an HMAC over its sequence number and text, keyed with bytes Tracefix handed over on fd 4,
# which the launcher reads and closes before any code of the program runs. Nothing here keeps a
# verdict: what was sent stays sent, so changing state later cannot undo it, and a line written to
# fd 3 by the program itself fails the check. The key lives on only inside an hmac object.
# Python 3.8+; stdlib only.
import contextlib
import hashlib
import hmac
import json
import os
import sys
import threading

RESULT_FD = 3
KEY_FD = 4
_MAX_KEY = 1024


def read_key(fd=KEY_FD):
    """The key Tracefix wrote to `fd`, read to its end; the fd is closed. None without one."""
    chunks = []
    try:
        while sum(len(c) for c in chunks) < _MAX_KEY:
            chunk = os.read(fd, _MAX_KEY)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
    key = b''.join(chunks)
    return key or None


def open_channel(key, fd=RESULT_FD):
    """send(event): writes one authenticated line to `fd`; a no-op when there is no key or fd."""
    if not key:
        return lambda event: None
    try:
        os.set_inheritable(fd, False)
    except OSError:
        return lambda event: None
    mac = hmac.new(key, digestmod=hashlib.sha256)
    lock = threading.Lock()
    counter = [0]

    def send(event):
        text = json.dumps(event, separators=(',', ':'), ensure_ascii=True)
        with lock:
            seq = counter[0]
            counter[0] += 1
            m = mac.copy()
            m.update(b'%d:' % seq + text.encode('ascii'))
            data = memoryview(('%s %d %s\n' % (m.hexdigest(), seq, text)).encode('ascii'))
            try:
                while data:
                    data = data[os.write(fd, data) :]
            except OSError:
                pass  # Tracefix stopped reading: the run is being ended

    return send


def statement_lines(tree, line):
    """Lines of the innermost statement holding `line` (a compound statement: its header only),
    and whether it is an `assert`."""
    import ast

    best = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        end = getattr(node, 'end_lineno', None) or node.lineno
        body = getattr(node, 'body', None)
        if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
            end = max(node.lineno, body[0].lineno - 1)
        if node.lineno <= line <= end and (best is None or end - node.lineno <= best[1] - best[0]):
            best = (node.lineno, end, isinstance(node, ast.Assert))
    if best is None:
        return {line}, False
    return set(range(best[0], best[1] + 1)), best[2]


def watch_lines(send, specs):
    """Watches lines of the failure (`specs`: [{'id', 'file', 'line'}]): says once that each ran,
    and once that an exception passed through it (even one the program then caught). Tracing is
    limited to frames of the watched files. Sends 'watch' first: each line's statement kind."""
    import ast

    by_file = {}
    kinds = []
    for spec in specs:
        target = os.path.realpath(spec['file'])
        try:
            with open(target, 'rb') as f:
                lines, is_assert = statement_lines(ast.parse(f.read()), spec['line'])
        except Exception:
            lines, is_assert = {spec['line']}, False
        kinds.append({'id': spec['id'], 'isAssert': is_assert})
        table = by_file.setdefault(target, {})
        for n in lines:
            table.setdefault(n, spec['id'])
    send({'t': 'watch', 'lines': kinds})
    if not by_file:
        return
    ran = set()
    raised = set()
    known = {}

    def table_of(code):
        name = code.co_filename
        if name not in known:
            try:
                known[name] = by_file.get(os.path.realpath(os.path.abspath(name)))
            except Exception:
                known[name] = None
        return known[name]

    def tracer(table):
        def local(frame, event, arg):
            wid = table.get(frame.f_lineno)
            if wid is None:
                return local
            if event == 'line' and wid not in ran:
                ran.add(wid)
                send({'t': 'ran', 'id': wid})
            elif event == 'exception' and wid not in raised and not issubclass(arg[0], SystemExit):
                raised.add(wid)
                send(
                    {
                        't': 'raised',
                        'id': wid,
                        'exception': getattr(arg[0], '__name__', str(arg[0])),
                    }
                )
            return local

        return local

    locals_by_table = {}

    def glob(frame, event, arg):
        if event != 'call':
            return None
        table = table_of(frame.f_code)
        if table is None:
            return None
        fn = locals_by_table.get(id(table))
        if fn is None:
            fn = locals_by_table[id(table)] = tracer(table)
        return fn

    sys.settrace(glob)
    threading.settrace(glob)
