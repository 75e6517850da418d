"""Command line `jianfu`: a thin layer over the core for headless use.

:mod:`.main` holds the parser and the small commands; a command with more to it
has its own module (:mod:`.draft`).
"""

from .main import main

__all__ = ["main"]
