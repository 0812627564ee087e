# Loaded by Tracefix's patch verification with `-p tracefix_verify_pytest`. Records out of band
# (a JSON file named in TRACEFIX_VERIFY, written when the session reaches its normal end) which
# tests were collected and deselected, how each phase of each test ended (skipped, xfailed, ...),
# collection problems, and whether pytest.exit() or an interrupt stopped the run. Tracefix judges
# a patch from this record, never from the exit code alone: os._exit(0) leaves no record at all.
import json
import os

import pytest

_CFG = json.loads(os.environ.pop('TRACEFIX_VERIFY', '{}') or '{}')
_MAX = 300
_state = {'collected': None, 'deselected': [], 'reports': {}, 'collectProblems': [], 'interrupted': None}


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
    except Exception as e:  # never let the record break the run
        text = '<%s>' % type(e).__name__
    text = ' '.join(text.split())
    if text.startswith('Skipped: '):
        text = text[len('Skipped: '):]
    return text[:_MAX]


def pytest_collectreport(report):
    if report.failed or report.skipped:
        _state['collectProblems'].append({'nodeid': report.nodeid, 'outcome': report.outcome, 'message': _message(report)})


def pytest_deselected(items):
    _state['deselected'].extend(item.nodeid for item in items)


def pytest_collection_finish(session):
    _state['collected'] = [item.nodeid for item in session.items]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    # With pytest-xdist the controller collects nothing itself; the workers report their ids.
    seen = set(_state['collected'] or [])
    _state['collected'] = (_state['collected'] or []) + [i for i in ids if i not in seen]


def pytest_runtest_logreport(report):
    phases = _state['reports'].setdefault(report.nodeid, {})
    phases[report.when] = {
        'outcome': report.outcome,
        'xfail': hasattr(report, 'wasxfail'),
        'message': '' if (report.passed and not hasattr(report, 'wasxfail')) else _message(report),
    }


def pytest_keyboard_interrupt(excinfo):
    value = excinfo.value
    msg = getattr(value, 'msg', None)
    code = getattr(value, 'returncode', None)
    _state['interrupted'] = {'type': excinfo.typename, 'message': str(msg if msg is not None else value)[:_MAX], 'returncode': code}


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_sessionfinish(session, exitstatus):
    yield
    path = _CFG.get('record')
    if not path or hasattr(session.config, 'workerinput'):
        return
    record = dict(_state, finished=True, exitstatus=int(exitstatus))
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(record, f)
    os.replace(tmp, path)
