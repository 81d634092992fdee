"""journald entries as bytes: ``-o export`` and ``-o json`` decoding and encoding (``_codec``),
the ``short*`` text forms journalctl prints (``_text``), and a seeded corpus of any size for
tests and benchmarks (``_generate``). Used by ``rxp stream --journal``, ``rxp parse`` and
``rxp bench gen-journal``.
"""
