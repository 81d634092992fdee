"""``rxp mine``: log templates from raw logs, each a regex with named groups.

``_tokens`` masks and reduces a message, ``_group`` groups fine clusters into templates
(Brain's method), ``_regex`` writes a template as a regex, ``_miner`` holds the state of a
run, ``_messages`` finds the message in a raw line (``format="auto"``), ``_state`` saves and
loads a miner, ``_pattern_file`` writes templates for ``rxp parse --patterns``, and
``mine_lines`` is the library's front door.
"""

from __future__ import annotations

from ._api import mine_lines
from ._model import Mining, Template

__all__ = ["Mining", "Template", "mine_lines"]
