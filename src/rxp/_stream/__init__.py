"""``rxp stream``'s engine, split as ripgrep splits it: sources yield blocks of lines
(``_source``); a matcher finds spans (``_matcher``, ``_literals``, ``_lower``, ``_hits``,
``_scan``); backends schedule that work (``_backends``); sinks print (``_sinks``).
``_engine`` drives a run and ``_api`` is the Python front door (``rxp.scan``)."""
