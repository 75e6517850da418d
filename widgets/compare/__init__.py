"""The 对比 page: app.py (controls, views), results.py (what is shown), group.py,
markup.py (HTML pieces), chart_view.py (charts drawn one at a time)."""

from .app import CompareApp
from .results import export_filename
from .shared import SAID_UNITS, TABLE_ROWS, wants_present

__all__ = ["SAID_UNITS", "TABLE_ROWS", "CompareApp", "export_filename", "wants_present"]
