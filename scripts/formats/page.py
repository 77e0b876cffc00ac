"""The download page's sizes and build dates, written in once the files exist.

The lists themselves are generated with the pages (scripts/core/downloads.py: ``table_html``); a
file's size is known only once it is made, so each size and date cell (``span.fmt-size`` /
``span.fmt-built`` with ``data-file``) is filled here, in the built download page of the site and of
the offline bundle, after MkDocs. A built page without the lists is left as it is.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path


def human_size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def fill_sizes(page: Path, files: dict[str, tuple[int, str]]) -> int:
    """Fill the cells of ``page`` from ``files`` (name -> (bytes, ISO date)); returns how many."""
    if not page.is_file():
        return 0
    text = page.read_text(encoding="utf-8")
    count = 0

    def cell(m: re.Match) -> str:
        nonlocal count
        name = html.unescape(m.group(2))
        if name not in files:
            return m.group(0)
        count += 1
        size, built = files[name]
        value = human_size(size) if m.group(1) == "size" else dt.date.fromisoformat(built).strftime("%d %B %Y").lstrip("0")
        return f'<span class="fmt-{m.group(1)}" data-file="{m.group(2)}">{html.escape(value)}</span>'
    text = re.sub(r'<span class="fmt-(size|built)" data-file="([^"]+)">[^<]*</span>', cell, text)
    page.write_text(text, encoding="utf-8")
    return count


def listing_files(listing: list[dict]) -> dict[str, tuple[int, str]]:
    return {item["file"]: (item["bytes"], item["built"]) for item in listing}
