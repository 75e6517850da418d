"""How numbers are written and read, once for the whole workbook.

- :mod:`.format` rounding (half up, GB/T 15835), percent conversion, display
- :mod:`.parse` numbers as people type them into forms and spreadsheets
"""
