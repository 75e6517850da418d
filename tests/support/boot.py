"""Loaded first of all pytest plugins (``-p tests.support.boot`` in pyproject.toml):
nbval imports nbformat, and with it jsonschema, before any conftest runs."""

from jianfu.startup import skip_iri_grammar

skip_iri_grammar()
