"""One parser per source format. Each module exposes ``parse(src: SourceText, entry: dict) -> Document``.

``src`` holds the source lines (after data corrections from data/corrections.yml) and the editorial
log; ``entry`` is the text's manifest entry (sources/sources.yml). A parser removes chrome, rejoins
split paragraphs and links notes, logging every change through ``src.log(...)``; it raises
``src.error(line, message, hint)`` for input it cannot show faithfully.

To add a format: write a module here and add it to PARSERS.
"""
from __future__ import annotations

import importlib
from typing import Callable

PARSERS: dict[str, str] = {
    "viola_book": "scripts.sources.parsers.viola_book",                # OCR'd book, Unicode superscript markers
    "cambridge_extract": "scripts.sources.parsers.cambridge_extract",  # Cambridge Core landing page: extract + references
    "jstor_markdown": "scripts.sources.parsers.jstor_markdown",        # JSTOR PDF->Markdown, <sup>N</sup> markers
    "awtw_review": "scripts.sources.parsers.awtw_review",              # magazine web page, digits glued to words
    "cambridge_fulltext": "scripts.sources.parsers.cambridge_fulltext",  # Cambridge Core open-access full text, "Footnote N"
}


def get_parser(name: str) -> Callable | None:
    """The parse function registered under ``name``, or None if there is no such parser."""
    module = PARSERS.get(name)
    if module is None:
        return None
    return importlib.import_module(module).parse
