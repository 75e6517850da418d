"""How people write text: one module per rule, used where text enters and where it is written.

- :mod:`.characters` which characters text and names may hold (invisible, unholdable)
- :mod:`.formula` the spreadsheet formula guard (added by writers, taken off by readers)
- :mod:`.names` cell text, names as stored, when two spellings are one name
- :mod:`.periods` period labels (时期) and how they sort
- :mod:`.files` safe file names
- :mod:`.width` how wide text shows in a fixed-width grid (Excel, a terminal, a 公文 line)
"""
