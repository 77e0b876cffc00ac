"""Reading a source file: checks that it can be read faithfully, and carries the editorial log.

A source is read as UTF-8 text and split into lines (1-based line numbers, as ``sed -n Np`` counts).
Unreadable input stops the build with an actionable error; input that can still be shown faithfully
(CRLF line endings) is normalised with a warning in the build report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scripts.core.datafile import guess_encoding
from scripts.core.errors import BuildError
from scripts.core.model import Edit


@dataclass
class SourceText:
    """The lines of one source file plus the log of every change the pipeline makes to them."""

    path: str
    lines: list[str]
    edits: list[Edit] = field(default_factory=list)
    #: The data/ folder of the build that reads this source (``Paths.data``), for the rules that need
    #: a data file (the glued-words list); by default the data/ beside the source's sources/ folder.
    data: str = ""

    @property
    def data_dir(self) -> Path:
        return Path(self.data) if self.data else Path(self.path).resolve().parent.parent / "data"

    def line(self, n: int) -> str:
        """Line ``n`` (1-based)."""
        return self.lines[n - 1]

    def log(self, kind: str, rule: str, line: int, before: str = "", after: str = "", note: str = "") -> None:
        self.edits.append(Edit(kind, rule, line, before, after, note))

    def error(self, line: int | None, message: str, hint: str = "") -> BuildError:
        """Build (not raise) an error pointing at this file; ``raise src.error(...)``."""
        return BuildError(self.path, line, message, hint)


def read_source(path: Path, data: Path | None = None) -> SourceText:
    """Read ``path`` as a source text, or stop with a message saying what is wrong and what to do."""
    if not path.exists():
        raise BuildError(path, None, "source file not found",
                         "check the 'file' field of its entry in sources/sources.yml, or add the file to sources/")
    raw = path.read_bytes()
    if not raw.strip():
        raise BuildError(path, 1, "source file is empty",
                         "restore the text from its original (see 'original' in sources/sources.yml)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        encoding = guess_encoding(raw)
        iconv = "UTF-16" if encoding.startswith("UTF-16") else "WINDOWS-1252"
        raise BuildError(path, line, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}; "
                         f"it looks like {encoding})",
                         f"convert the file to UTF-8, e.g. `iconv -f {iconv} -t UTF-8`, and check the characters on "
                         "that line (then update its sha256 in sources/sources.yml)") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BuildError(path, line, f"the file contains {text.count(chr(0))} NUL byte(s), which are not text",
                         "the file is damaged: get a clean copy of the original (a NUL byte would reach the pages)")
    src = SourceText(str(path), [], data=str(data) if data else "")
    if "\r" in text:
        crlf = text.count("\r\n")
        cr = text.count("\r") - crlf
        kinds = []
        if crlf:
            kinds.append(f"Windows (CRLF) line endings on {crlf} lines")
        if cr:
            kinds.append(f"old Mac (CR-only) line endings on {cr} lines")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        src.log("warning", "normalise_line_endings", 1,
                note=f"the file has {' and '.join(kinds)}; read as plain LF. "
                     "Convert it with `dos2unix` (`mac2unix` for CR-only) to silence this warning.")
    if text.startswith("\ufeff"):
        text = text[1:]
        src.log("removal", "strip_byte_order_mark", 1, before="\ufeff", note="byte-order mark at the start of the file")
    src.lines = text.split("\n")
    return src
