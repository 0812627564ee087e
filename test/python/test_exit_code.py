# The exit status the helper sends in its end record ('E') must be the one the process really ends
# with: Tracefix takes it when it arrives before debugpy's `exited` event.
import enum

import pydevd_tracefix_install as install


class ExitCode(enum.IntEnum):  # as pytest's `pytest.ExitCode`, what `python -m pytest` exits with
    OK = 0
    TESTS_FAILED = 1
    INTERRUPTED = 2


def test_an_int_enum_exit_code_is_its_value():
    assert install.exit_code_of(SystemExit(ExitCode.OK)) == 0
    assert install.exit_code_of(SystemExit(ExitCode.TESTS_FAILED)) == 1
    assert install.exit_code_of(SystemExit(ExitCode.INTERRUPTED)) == 2


def test_none_ints_messages_and_other_exceptions():
    assert install.exit_code_of(SystemExit()) == 0
    assert install.exit_code_of(SystemExit(None)) == 0
    assert install.exit_code_of(SystemExit(3)) == 3
    assert install.exit_code_of(SystemExit(True)) == 1
    assert install.exit_code_of(SystemExit(256 + 7)) == 7
    assert install.exit_code_of(SystemExit(-1)) == 255
    assert install.exit_code_of(SystemExit('bad usage')) == 1
    assert install.exit_code_of(KeyboardInterrupt()) == 1
    assert install.exit_code_of(ValueError('x')) == 1
