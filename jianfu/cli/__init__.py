"""Command line `jianfu`: a thin layer over the core for headless use.

:mod:`.commands` holds the parser and the small commands; a command with more to it
has its own module (:mod:`.draft`).
"""

from .commands import main

__all__ = ["main"]
