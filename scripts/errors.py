"""Errors a person can act on: every build failure names the file, the line and what to do."""
from __future__ import annotations


class BuildError(Exception):
    """Bad input that stops the build. Printed as ``file:line: message`` plus a hint, no traceback."""

    def __init__(self, path: str, line: int | None, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: error: {self.message}"
        if self.hint:
            text += f"\n  what to do: {self.hint}"
        return text
