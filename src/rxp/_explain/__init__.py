"""A parsed pattern in plain English (``rxp explain``): the words for leaves (``_words``,
``_sets``), the sentences for nodes (``_sentences``), the rows people read (``_tree``), all
assembled by ``_explain.explain`` into the values of ``_model``; then rendered as text
(``_render``) or as the versioned JSON document (``_document``, over ``_annotate``).
"""
