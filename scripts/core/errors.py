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

    def relative_to(self, root) -> str:
        """The message with the file named relative to the project ``root`` (no build-machine paths)."""
        from pathlib import Path
        try:
            shown = Path(self.path).resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            shown = self.path
        return self._format(shown)

    def __str__(self) -> str:
        return self._format(self.path)

    def _format(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        text = f"{where}: error: {self.message}"
        if self.hint:
            text += f"\n  what to do: {self.hint}"
        return text
