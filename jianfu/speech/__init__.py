"""Speech drafting: genres, the draft model, the composer, checks, storage and export.

Modules: genres (skeleton files), model (the draft and its edits), numbering
(一、（一）1.（1） and 一是), render (numbered blocks, text, Markdown, length),
figures (the engine's figures at the draft's precision), compose (the first
draft), checks, drafts (the database), script (Traditional Chinese), docx
(Word in GB/T 9704 layout), export (files by suffix).
"""
