// What counts as the user's code: the files under the recording's root, except in these folders
// (installed packages, virtual environments, caches, build output). One list, used by the recorder
// helper (it decides at run time, per code object that runs).
export const EXCLUDED_DIRS: readonly string[] = [
  'site-packages',
  'dist-packages',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'build',
  'dist',
];
