"""Stand-in for the ``go test -json`` converter (another branch brings the real one, a port
of Go's ``cmd/internal/test2json``); same interface: ``Converter(emit, package)``,
``write(line)``, ``close()``. Each line becomes one ``output`` event; ``close`` adds the
package's ``pass`` or ``fail`` event."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["Converter"]


class Converter:
    def __init__(self, emit: Callable[[str], None], package: str) -> None:
        self._emit = emit
        self._package = package
        self._failed = False
        self._event({"Action": "start"})

    def _event(self, fields: dict[str, object]) -> None:
        now = datetime.now(UTC).isoformat()
        self._emit(json.dumps({"Time": now, **fields, "Package": self._package}) + "\n")

    def write(self, line: str) -> None:
        if line.startswith("FAIL"):
            self._failed = True
        self._event({"Action": "output", "Output": line})

    def close(self) -> None:
        self._event({"Action": "fail" if self._failed else "pass"})
