"""自评 self-assessment: questionnaires, scoring, sessions and submissions, dashboard aggregates.

Nothing is imported here on purpose: the participant page imports
``questionnaire``, ``scoring`` and ``store`` (SQLAlchemy and yaml only) and must
not pay for ``aggregate``/``export`` (pandas, openpyxl) through this package.
"""
