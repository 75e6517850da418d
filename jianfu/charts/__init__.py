"""Charts of the comparison, drawn from the engine's output with altair.

- :mod:`.figures` which charts a selection has, their titles and file names (no altair)
- :mod:`.bars`, :mod:`.lines` the chart kinds; :mod:`.pages` splits any of them into pages
- :mod:`.shaping` what a chart draws from the engine's tables; :mod:`.style` how it looks
- :mod:`.sizes` screen, projector, slide and Word sizes; :mod:`.images` PNG/SVG export
- altair is imported the fast way (:func:`jianfu.startup.skip_iri_grammar`) on first use

Nothing is imported here: pages that only export or only build pay for what they use.
"""
