import os
import sysconfig

from pydevd_tracefix_roots import inside, library_roots


def test_the_interpreter_and_installed_libraries_are_library_roots(tmp_path):
    roots = library_roots(str(tmp_path))
    assert inside(os.path.realpath(sysconfig.get_path('stdlib')) + os.sep + 'textwrap.py', roots)
    assert inside(os.path.realpath(os.path.dirname(os.__file__)), roots)
    assert not inside(str(tmp_path / 'main.py'), roots)


def test_a_folder_that_holds_the_root_is_never_a_library_root(tmp_path):
    lib = tmp_path / 'lib'
    project = lib / 'project'
    project.mkdir(parents=True)
    roots = library_roots(str(project), extra=[str(lib), str(tmp_path / 'other')])
    assert not inside(str(project / 'main.py'), roots)
    assert inside(str(tmp_path / 'other' / 'x.py'), roots)
    # the editors' extension folders, wherever the home folder is
    assert inside(
        os.path.realpath(os.path.expanduser('~/.vscode/extensions')) + '/ms-python/x.py', roots
    )


def test_inside_matches_whole_folder_names():
    assert inside('/a/b/c.py', ('/a/b',))
    assert not inside('/a/bc/d.py', ('/a/b',))
