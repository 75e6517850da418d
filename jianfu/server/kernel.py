"""Whether the code runs inside a Jupyter kernel (a Voila page, nbval) or in plain Python.

Inside a kernel, widget handlers run on the kernel's event loop, so pages draw
charts in a thread and defer saves to the loop; in plain Python (tests, the
command line) the same work runs synchronously. IPython is never imported here:
a kernel has always imported it already, so its absence answers the question.
"""

from __future__ import annotations

import sys


def in_kernel() -> bool:
    """True in a Jupyter/Voila kernel, False in plain Python (tests, CLI)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
