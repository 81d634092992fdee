"""rxp: a regex workbench and grammar-based log parsing engine.

The public API lives here; the modules behind it are private (``rxp._parse``, ...).
Keep ``__all__`` sorted: ``tests/test_public_api.py`` checks the public surface.
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._errors import PatternError, RxpError

__all__ = [
    "PatternError",
    "RxpError",
    "__version__",
]
