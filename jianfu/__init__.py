"""基层减负工作簿 core: pure Python, no UI imports.

Data flows one way: files/forms -> validated tidy DataFrame (unit, period,
indicator, value) -> store -> compare -> charts / sentences -> speech -> export.
"""

__version__ = "0.1.0"
