"""``rxp test``'s core: a pattern run over sample text (``_report.find_matches``: every match,
position and group), and the report shown marked up, as tables or as JSON (``_render``).
"""
