"""The 发言稿 page: app.py wires the panels (setup, editor, export, library) together."""

from .app import DraftApp
from .autosave import Debouncer
from .shared import PAGE_RULE

__all__ = ["PAGE_RULE", "Debouncer", "DraftApp"]
