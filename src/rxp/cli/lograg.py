"""`lograg FILE REGEX`: placeholder until issue 3 lands."""

from __future__ import annotations

import sys


def main() -> int:
    sys.stderr.write("lograg: error: not built yet\n")
    return 2
