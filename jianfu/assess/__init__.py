"""自评 self-assessment: questionnaires, scoring, sessions and submissions, dashboard aggregates.

Nothing is imported here on purpose: the participant page imports
``questionnaire``, ``scoring`` and ``store`` (SQLAlchemy, yaml and the data-file
layer's cache reader, never pydantic) and must
not pay for ``aggregate``/``export`` (pandas, openpyxl) through this package.
"""
