"""Writing a file whole.

A file that another process may read while it is being written (a test worker sharing citeproc's
results, a second build reading the parse cache, a build stopped half way) is written under a
temporary name beside it and then renamed over it: a reader sees the old file or the new one, never
part of one. One helper for every cache the build keeps (scripts/citations/csl.py,
scripts/pipeline.py)."""
from __future__ import annotations

import os
from pathlib import Path


def write_whole(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole: a temporary name in the same folder, then a
    rename (atomic on one file system). The temporary name carries the process id, so two processes
    writing the same file at once do not write into each other's."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
