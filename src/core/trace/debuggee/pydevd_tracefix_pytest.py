"""Tracefix's pytest plugin, loaded with `-p pydevd_tracefix_pytest` inside a recording.

PYTEST_DONT_REWRITE (already imported when pytest starts; assertion rewriting must leave it alone).

Recording is armed only while a selected test runs (its fixture set-up, call and teardown):
collection and the imports it triggers are not line-recorded. The plugin also reports what pytest
decided — which ids were collected, each phase's outcome, the failing exception and pytest's own
failure text — as records, so the trace carries the real failure, not an exit code.
"""

import pydevd_tracefix_core as core
import pytest
from pydevd_tracefix_repr import exception_parts

_MAX_TEXT = 20000


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    core.buf.append(('P', 'start', item.nodeid, core.state['n']))
    core.state['armed'] = True
    try:
        yield
    finally:
        core.state['armed'] = False
        core.buf.append(('P', 'end', item.nodeid, core.state['n']))


def pytest_collection_finish(session):
    ids = [it.nodeid for it in session.items]
    core.buf.append(('P', 'collected', len(ids), ids[:50]))


def pytest_collectreport(report):
    if report.failed:
        core.buf.append(('P', 'collect-error', report.nodeid, _text(report)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    excinfo = call.excinfo
    if excinfo is None:
        return
    try:
        core.recover(excinfo.value)
        report = outcome.get_result()
        if report.skipped:
            return
        exc = excinfo.value
        name, message, text = exception_parts(exc, core.CFG['repr'])
        fidx, line = _user_location(excinfo)
        core.buf.append(('P', 'exception', item.nodeid, call.when, name, message, text, fidx, line))
    except Exception as e:
        core.warn('pytest', 'could not record the exception of %s: %s' % (item.nodeid, e))


def pytest_runtest_logreport(report):
    core.buf.append(
        (
            'P',
            'report',
            report.nodeid,
            report.when,
            report.outcome,
            _text(report) if report.failed else '',
            round(getattr(report, 'duration', 0) * 1000, 1),
            bool(getattr(report, 'wasxfail', False)),
        )
    )


def pytest_sessionfinish(session, exitstatus):
    core.buf.append(('P', 'finish', int(exitstatus)))
    core.channel.flush()


def _text(report):
    try:
        text = report.longreprtext
    except Exception:
        text = str(getattr(report, 'longrepr', ''))
    if len(text) > _MAX_TEXT:
        half = _MAX_TEXT // 2
        text = (
            text[:half]
            + '\n... (%d characters elided) ...\n' % (len(text) - _MAX_TEXT)
            + text[-half:]
        )
    return text


def _user_location(excinfo):
    """The innermost traceback entry in user code: (file index, line), or (-1, 0)."""
    tb = excinfo.tb
    found = (-1, 0)
    while tb is not None:
        fidx = core.user_file(tb.tb_frame.f_code.co_filename)
        if fidx >= 0:
            found = (fidx, tb.tb_lineno)
        tb = tb.tb_next
    return found
