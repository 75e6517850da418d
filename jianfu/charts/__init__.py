"""Altair chart builders (``builders``) and PNG/SVG export (``export``).

Nothing is imported here: pages that only export or only build pay for what they use.
"""
