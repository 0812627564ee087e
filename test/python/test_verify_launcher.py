# Tests of the verification launcher, its pytest plugin and its evidence channel
# (src/core/verify/python): run as Tracefix runs them — `python tracefix_verify_main.py ...` (no
# PYTHONPATH: it comes in the launcher's config) with
# the result channel on fd 3 and the key on fd 4 — and the evidence checked as verdict.ts does.
import hashlib
import hmac
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
VERIFY = os.path.normpath(os.path.join(HERE, '..', '..', 'src', 'core', 'verify', 'python'))
LAUNCHER = os.path.join(VERIFY, 'tracefix_verify_main.py')
sys.path.insert(0, VERIFY)

import tracefix_verify_channel as channel  # noqa: E402

KEY = b'k' * 32


def launch(tmp_path, argv, cfg=None, key=KEY, env=None):
    """Runs the launcher in tmp_path; returns (process result, events, raw channel lines)."""
    results_r, results_w = os.pipe()
    key_r, key_w = os.pipe()
    if key is not None:
        os.write(key_w, key)
    os.close(key_w)

    def fds():
        os.dup2(results_w, 3)
        os.dup2(key_r, 4)

    cfg = dict(cfg or {})
    # As Tracefix does: PYTHONPATH (pytest's, in the interpreter matrix) reaches the run through the
    # launcher's config, never its start-up environment.
    given = [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p]
    cfg['pythonPath'] = cfg.get('pythonPath', []) + given
    full_env = dict(os.environ, TRACEFIX_VERIFY=json.dumps(cfg), PYTHONDONTWRITEBYTECODE='1')
    full_env.pop('PYTHONPATH', None)
    full_env.update(env or {})
    try:
        out = subprocess.run(
            [sys.executable, LAUNCHER] + argv,
            cwd=str(tmp_path),
            env=full_env,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=fds,
            pass_fds=(3, 4),
        )
    finally:
        os.close(results_w)
        os.close(key_r)
    with os.fdopen(results_r, 'rb') as f:
        raw = f.read().decode('ascii').splitlines()
    return out, check(raw, key), raw


def check(lines, key):
    """The events, each line's HMAC and sequence checked as verdict.ts checks them."""
    events = []
    for i, line in enumerate(lines):
        mac, seq, text = line.split(' ', 2)
        assert int(seq) == i
        expected = hmac.new(key, ('%s:%s' % (seq, text)).encode(), hashlib.sha256).hexdigest()
        assert hmac.compare_digest(mac, expected), line
        events.append(json.loads(text))
    return events


def kinds(events):
    return [e['t'] for e in events]


def test_a_script_run_sends_authenticated_events_in_sequence(tmp_path):
    (tmp_path / 'ok.py').write_text('print("ok")\n')
    out, events, _ = launch(tmp_path, ['script', 'ok.py'])
    assert out.returncode == 0, out.stderr
    assert out.stdout == 'ok\n'
    assert kinds(events) == ['hello', 'watch', 'end']
    assert events[-1] == {'t': 'end', 'how': 'end'}


def test_without_a_key_nothing_is_sent_and_the_program_still_runs(tmp_path):
    (tmp_path / 'ok.py').write_text('print("ok")\n')
    out, events, raw = launch(tmp_path, ['script', 'ok.py'], key=None)
    assert out.returncode == 0 and out.stdout == 'ok\n'
    assert raw == [] and events == []


def test_how_a_program_ended(tmp_path):
    (tmp_path / 'exit3.py').write_text('import sys\nprint("a")\nsys.exit(3)\n')
    (tmp_path / 'early.py').write_text(
        'import sys\ndef f():\n    sys.exit(0)\nf()\nprint("never")\n'
    )
    (tmp_path / 'boom.py').write_text('raise ValueError("bad")\n')
    (tmp_path / 'hard.py').write_text('import os\nos._exit(0)\n')
    out, events, _ = launch(tmp_path, ['script', 'exit3.py'])
    assert out.returncode == 3
    end = events[-1]
    assert (end['how'], end['code'], end['direct'], end['atEnd']) == ('exit', 3, True, True)
    _, events, _ = launch(tmp_path, ['script', 'early.py'])
    assert (events[-1]['direct'], events[-1]['atEnd']) == (False, False)
    out, events, _ = launch(tmp_path, ['script', 'boom.py'])
    assert out.returncode == 1 and 'ValueError: bad' in out.stderr
    assert 'tracefix_verify_main' not in out.stderr  # the traceback starts at the program's frames
    assert events[-1] == {'t': 'end', 'how': 'exception', 'type': 'ValueError'}
    out, events, _ = launch(tmp_path, ['script', 'hard.py'])
    assert out.returncode == 0
    assert 'end' not in kinds(events)


def test_watched_lines_say_once_that_they_ran_and_once_that_an_exception_passed(tmp_path):
    (tmp_path / 'w.py').write_text(
        'def check(v):\n'
        '    assert v == 1, v\n'
        '\n'
        'for v in (1, 2, 1, 2):\n'
        '    try:\n'
        '        check(v)\n'
        '    except AssertionError:\n'
        '        pass\n'
        'x = (1 +\n'
        '     2)\n'
    )
    watch = [
        {'id': 0, 'file': str(tmp_path / 'w.py'), 'line': 6},
        {'id': 1, 'file': str(tmp_path / 'w.py'), 'line': 2},
        {'id': 2, 'file': str(tmp_path / 'w.py'), 'line': 10},
    ]
    out, events, _ = launch(tmp_path, ['script', 'w.py'], cfg={'watch': watch})
    assert out.returncode == 0, out.stderr
    assert events[1] == {
        't': 'watch',
        'lines': [
            {'id': 0, 'isAssert': False},
            {'id': 1, 'isAssert': True},
            {'id': 2, 'isAssert': False},
        ],
    }
    ran = [e['id'] for e in events if e['t'] == 'ran']
    raised = [(e['id'], e['exception']) for e in events if e['t'] == 'raised']
    assert sorted(ran) == [0, 1, 2]  # line 10 is part of the statement starting on line 9
    assert sorted(raised) == [(0, 'AssertionError'), (1, 'AssertionError')]


def test_pytest_run_sends_collection_reports_finish_and_exit(tmp_path):
    (tmp_path / 'test_a.py').write_text(
        'import pytest, sys\n'
        '\n'
        'def test_pass():\n'
        '    assert "tracefix_verify_pytest" not in sys.modules\n'
        '    main = sys.modules["__main__"]\n'
        '    assert not [n for n in vars(main) if "send" in n or n == "_key" and vars(main)[n]]\n'
        '\n'
        'def test_fail():\n'
        '    assert 1 == 2\n'
        '\n'
        '@pytest.mark.skip(reason="later")\n'
        'def test_skip():\n'
        '    pass\n'
    )
    out, events, _ = launch(tmp_path, ['pytest', 'test_a.py', '-q', '-p', 'no:cacheprovider'])
    assert out.returncode == 1, out.stdout + out.stderr
    assert kinds(events)[0] == 'hello'
    collected = [i for e in events if e['t'] == 'collected' for i in e['ids']]
    assert collected == ['test_a.py::test_pass', 'test_a.py::test_fail', 'test_a.py::test_skip']
    reports = {
        (e['nodeid'].split('::')[1], e['when']): e['outcome'] for e in events if e['t'] == 'report'
    }
    assert reports[('test_pass', 'call')] == 'passed'
    assert reports[('test_fail', 'call')] == 'failed'
    assert reports[('test_skip', 'setup')] == 'skipped'
    assert kinds(events)[-2:] == ['finish', 'exit']
    assert events[-2]['exitstatus'] == 1 and events[-1]['code'] == 1


def test_pytest_exit_and_deselection_are_reported(tmp_path):
    (tmp_path / 'test_b.py').write_text(
        'import pytest\n'
        '\n'
        'def test_one():\n'
        '    pytest.exit("stop here", returncode=0)\n'
        '\n'
        'def test_two():\n'
        '    pass\n'
    )
    _, events, _ = launch(
        tmp_path, ['pytest', 'test_b.py', '-k', 'one', '-q', '-p', 'no:cacheprovider']
    )
    assert [i for e in events if e['t'] == 'deselected' for i in e['ids']] == [
        'test_b.py::test_two'
    ]
    stop = [e for e in events if e['t'] == 'interrupted']
    assert stop and stop[0]['type'] == 'Exit' and stop[0]['returncode'] == 0


def test_project_code_on_pythonpath_runs_only_after_the_key_is_in_hand(tmp_path):
    lib = tmp_path / 'lib'
    lib.mkdir()
    steal = (
        'import os\ntry:\n    k = os.read(4, 1024)\nexcept OSError:\n    k = b""\n'
        'print("%s read", len(k), "bytes", flush=True)\n'
    )
    (lib / 'sitecustomize.py').write_text(steal % 'sitecustomize')
    (lib / 'json.py').write_text(steal % 'json' + 'from _json import *\n')
    (lib / 'hmac.py').write_text(steal % 'hmac')
    (tmp_path / 'p.py').write_text(
        'import sys\nprint("site ran first:", "sitecustomize" in sys.modules)\n'
    )
    out, events, _ = launch(tmp_path, ['script', 'p.py'], cfg={'pythonPath': [str(lib)]})
    assert out.returncode == 0, out.stderr
    assert 'sitecustomize read 0 bytes' in out.stdout
    assert 'json read' not in out.stdout and 'hmac read' not in out.stdout
    assert 'site ran first: True' in out.stdout
    assert kinds(events)[-1] == 'end'


def test_pythonpath_and_the_script_folder_are_where_a_plain_run_has_them(tmp_path):
    lib = tmp_path / 'lib'
    lib.mkdir()
    (lib / 'helper_mod.py').write_text('X = 1\n')
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / 'p.py').write_text(
        'import os, sys, helper_mod\n'
        'print(sys.path[0] == os.path.dirname(os.path.abspath(__file__)))\n'
        'print(os.environ.get("PYTHONPATH"))\n'
        'print(any("site-packages" in p or "dist-packages" in p for p in sys.path))\n'
    )
    out, _, _ = launch(tmp_path, ['script', 'sub/p.py'], cfg={'pythonPath': [str(lib)]})
    first, given, site = out.stdout.split('\n')[:3]
    assert (first, given.split(os.pathsep)[0], site) == ('True', str(lib), 'True'), out.stderr


def test_the_interpreter_starts_as_usual_so_spawned_children_do_too(tmp_path):
    (tmp_path / 'm.py').write_text(
        'import multiprocessing as mp, sys\n'
        'def child(q):\n'
        '    import pytest\n'
        '    q.put(pytest.__name__)\n'
        'if __name__ == "__main__":\n'
        '    print("no_site", sys.flags.no_site)\n'
        '    ctx = mp.get_context("spawn")\n'
        '    q = ctx.Queue()\n'
        '    p = ctx.Process(target=child, args=(q,))\n'
        '    p.start()\n'
        '    print("child imported", q.get(timeout=30))\n'
        '    p.join()\n'
    )
    out, events, _ = launch(tmp_path, ['script', 'm.py'])
    assert out.returncode == 0, out.stderr
    assert 'no_site 0' in out.stdout and 'child imported pytest' in out.stdout
    assert kinds(events)[-1] == 'end'


def test_statement_lines_spans_a_multi_line_statement_and_knows_an_assert():
    import ast

    tree = ast.parse('x = 1\nassert (x ==\n        1), "m"\nif x:\n    pass\n')
    assert channel.statement_lines(tree, 3) == ({2, 3}, True)
    assert channel.statement_lines(tree, 4) == ({4}, False)
    assert channel.statement_lines(tree, 1) == ({1}, False)


@pytest.mark.parametrize('bad', [b'', None])
def test_open_channel_without_a_key_is_a_no_op(bad):
    send = channel.open_channel(bad, fd=999)
    assert send({'t': 'x'}) is None
