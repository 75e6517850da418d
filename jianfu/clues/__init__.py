"""问题线索: anonymous reports of burden problems, triaged by the office to the end.

``model`` (categories, statuses, caps), ``schema`` (own tables, own version),
``codes`` (查询码 and 监督员 codes: random, stored as digests), ``store``
(submit, look up, triage, merge, reply), ``triage`` (allowed status changes),
``counts`` (by category, unit, month; the draft's evidence), ``export`` (.xlsx),
``notice`` (the 通报 draft), ``page`` (the public /report HTML), ``ratelimit``.
"""
