# Where the interpreter's own code and installed libraries live: never the user's code, whatever the
# recording's root (a script in the home folder traced with a pyenv, conda or uv Python has the
# standard library under the root). Computed as debugpy's "just my code" computes its library roots
# (pydevd_filtering._get_default_library_roots), plus the interpreter's prefixes, debugpy wherever
# it was loaded from, Tracefix's own install folder and the editors' extension folders.
import contextlib
import os
import site
import sys
import sysconfig

_EDITOR_EXTENSIONS = (
    '.vscode',
    '.vscode-insiders',
    '.vscode-server',
    '.vscode-server-insiders',
    '.vscode-oss',
    '.cursor',
    '.cursor-server',
    '.windsurf',
)


def library_roots(root, extra=()):
    """Absolute folders (real paths, no trailing separator) whose files are not user code. A folder
    that holds the root itself is left out: the user chose to record there."""
    found = []
    for name in ('stdlib', 'platstdlib', 'purelib', 'platlib'):
        with contextlib.suppress(Exception):
            found.append(sysconfig.get_path(name))
    for mod in ('os', 'threading'):
        m = sys.modules.get(mod)
        if getattr(m, '__file__', None):
            found.append(os.path.dirname(m.__file__))
    for getter in ('getusersitepackages', 'getsitepackages'):
        try:
            paths = getattr(site, getter)()
            found.extend([paths] if isinstance(paths, str) else paths)
        except Exception:
            pass
    for p in sys.path:
        if p and os.path.basename(p) in ('site-packages', 'dist-packages', 'pip-global'):
            found.append(p)
    for name in ('prefix', 'base_prefix', 'exec_prefix', 'base_exec_prefix'):
        found.append(getattr(sys, name, None))
    debugpy = sys.modules.get('debugpy')
    if getattr(debugpy, '__file__', None):
        found.append(os.path.dirname(debugpy.__file__))
    pydevd = sys.modules.get('pydevd')
    if getattr(pydevd, '__file__', None):
        found.append(os.path.dirname(pydevd.__file__))
    home = os.path.expanduser('~')
    found.extend(os.path.join(home, d, 'extensions') for d in _EDITOR_EXTENSIONS)
    found.extend(extra)
    out = set()
    root = os.path.realpath(root)
    for p in found:
        if not p:
            continue
        for q in (os.path.abspath(p), os.path.realpath(p)):
            q = q.rstrip(os.sep)
            if q and root != q and not root.startswith(q + os.sep):
                out.add(q)
    return tuple(sorted(out))


def inside(path, roots):
    """Whether `path` (absolute) lies in one of `roots`."""
    for r in roots:
        if path.startswith(r) and (len(path) == len(r) or path[len(r)] == os.sep):
            return True
    return False
