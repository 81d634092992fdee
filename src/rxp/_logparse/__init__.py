"""``rxp parse``'s core: structured records from log lines (see ``_api`` for the contract).

One module per format family (``_logfmt``, ``_json``, ``_syslog``, ``_journal``, ``_klog``,
``_cef``, ``_audit``, ``_nested``), the per-line picker (``_auto``), the pattern-driven
fallback (``_fallback``), and the record shape (``_records``).
"""

from __future__ import annotations

from ._api import FORMATS, Format, parse_line, parse_lines, parse_stream
from ._records import JSONValue, Record

__all__ = ["FORMATS", "Format", "JSONValue", "Record", "parse_line", "parse_lines", "parse_stream"]
