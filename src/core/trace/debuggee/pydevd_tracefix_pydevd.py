# Adjustments to pydevd (debugpy's debugger core) that make a recording faster. Each one touches a
# pydevd internal; when one does not apply to this debugpy it is reported (core.warn, logged by
# Tracefix with the debugpy version) and the recording goes on without it.
import socket
import threading


def speed_up(core):
    """Nagle off on pydevd's socket (each message is written in two parts and would wait for a
    delayed ACK), and its 10 ms suspend poll woken as soon as a command arrives (stepping
    engine)."""
    try:
        import pydevd

        db = pydevd.get_global_debugger()
        db.writer.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except Exception as e:
        core.warn(
            'pydevd',
            'TCP_NODELAY on pydevd.get_global_debugger().writer.sock: %s: %s'
            % (type(e).__name__, e),
        )
    try:
        import pydevd

        wake = threading.Event()
        real_time = pydevd.time

        class _Time:
            def __getattr__(self, name):
                return getattr(real_time, name)

            def sleep(self, secs):
                if secs == 0.01:
                    wake.wait(secs)
                    wake.clear()
                else:
                    real_time.sleep(secs)

        original_post = pydevd.PyDB.post_internal_command

        def post_internal_command(self, int_cmd, thread_id):
            original_post(self, int_cmd, thread_id)
            wake.set()

        pydevd.PyDB.post_internal_command = post_internal_command
        pydevd.time = _Time()
    except Exception as e:
        core.warn(
            'pydevd',
            'waking the suspend poll (pydevd.time, PyDB.post_internal_command): %s: %s'
            % (type(e).__name__, e),
        )


def quick_exit(core):
    """At exit, once the last records have left: pydevd need not wait 0.5 s for its daemon threads
    (the reader is blocked on the socket and never finishes early)."""
    try:
        import pydevd

        dispose = pydevd.PyDB.dispose_and_kill_all_pydevd_threads

        def quick_dispose(self, wait=True, timeout=0.5):
            return dispose(self, wait, min(timeout, 0.05))

        pydevd.PyDB.dispose_and_kill_all_pydevd_threads = quick_dispose
    except Exception as e:
        core.warn(
            'pydevd',
            'shortening PyDB.dispose_and_kill_all_pydevd_threads: %s: %s' % (type(e).__name__, e),
        )


def wake_exit_check(core):
    """pydevd's CheckAliveThread (a non-daemon thread Python joins at exit) looks every 0.3 s
    whether the program's threads have ended, and the main thread is only marked ended after
    threading's atexit hooks (where this runs): make it look every 5 ms from now on, so the process
    ends as soon as it can instead of up to 0.3 s later."""
    try:
        import time

        import pydevd

        t = pydevd.get_global_debugger().check_alive_thread
        old = t._wait_event

        class _Poll:
            def wait(self, timeout=None):
                time.sleep(0.005)
                return False

            def set(self):
                old.set()

            def clear(self):
                pass

            def is_set(self):
                return False

        t._wait_event = _Poll()
        old.set()
    except Exception as e:
        core.warn(
            'pydevd', 'waking pydevd.CheckAliveThread at exit: %s: %s' % (type(e).__name__, e)
        )
