"""The question core: what a question is and how each type reads, writes, shows and grades it.

Plain Python below the models: it imports nothing of Django or of the rest of the project, so
the GIFT and Aiken readers, the GIFT writer and grading run and are tested without a
database. ``data`` holds the question itself, ``kinds/`` one module per question type,
``registry`` the lookup by type, ``gift_reader``/``gift_writer``/``gift_syntax`` and ``aiken``
the file formats, and ``source`` the input decoding both readers share.
"""
