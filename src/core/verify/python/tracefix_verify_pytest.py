# The pytest side of Tracefix's patch verification: a plugin object the launcher hands to
# pytest.main(plugins=[...]). It sends, as each happens, which tests were collected and deselected,
# how each phase of each test ended (skipped, xfailed, ...), collection problems, whether
# pytest.exit() or an interrupt stopped the run, and the session's end. It holds no verdict:
# Tracefix decides from the events (verdict.ts); a run stopped by os._exit() never sends its end.
import pytest

_MAX = 300
_CHUNK = 200


def _message(report):
    try:
        if getattr(report, 'wasxfail', ''):
            # The xfail reason says more than the failure it expected.
            return ' '.join(str(report.wasxfail).split())[:_MAX]
        lr = report.longrepr
        if isinstance(lr, tuple) and len(lr) == 3:
            text = str(lr[2])
        else:
            crash = getattr(lr, 'reprcrash', None)
            text = crash.message if crash is not None else str(lr or '')
    except Exception as e:  # never let the evidence break the run
        text = '<%s>' % type(e).__name__
    text = ' '.join(text.split())
    if text.startswith('Skipped: '):
        text = text[len('Skipped: ') :]
    return text[:_MAX]


class VerifyPlugin:
    def __init__(self, send):
        self._send = send

    def _ids(self, kind, ids):
        ids = list(ids)
        for i in range(0, len(ids), _CHUNK):
            self._send({'t': kind, 'ids': ids[i : i + _CHUNK]})

    def pytest_collectreport(self, report):
        if report.failed or report.skipped:
            self._send(
                {
                    't': 'collectproblem',
                    'nodeid': report.nodeid,
                    'outcome': report.outcome,
                    'message': _message(report),
                }
            )

    def pytest_deselected(self, items):
        self._ids('deselected', [item.nodeid for item in items])

    def pytest_collection_finish(self, session):
        self._ids('collected', [item.nodeid for item in session.items])
        self._send({'t': 'collection-finished', 'count': len(session.items)})

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        # With pytest-xdist the controller collects nothing itself; the workers report their ids.
        self._ids('collected', ids)
        self._send({'t': 'collection-finished', 'count': len(ids)})

    def pytest_runtest_logreport(self, report):
        self._send(
            {
                't': 'report',
                'nodeid': report.nodeid,
                'when': report.when,
                'outcome': report.outcome,
                'xfail': hasattr(report, 'wasxfail'),
                'message': ''
                if (report.passed and not hasattr(report, 'wasxfail'))
                else _message(report),
            }
        )

    def pytest_keyboard_interrupt(self, excinfo):
        value = excinfo.value
        msg = getattr(value, 'msg', None)
        self._send(
            {
                't': 'interrupted',
                'type': excinfo.typename,
                'message': str(msg if msg is not None else value)[:_MAX],
                'returncode': getattr(value, 'returncode', None),
            }
        )

    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        yield
        if not hasattr(session.config, 'workerinput'):
            self._send({'t': 'finish', 'exitstatus': int(exitstatus)})
