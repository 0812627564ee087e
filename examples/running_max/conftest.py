# Lets the tests import running_max from this folder.
