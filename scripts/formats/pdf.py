"""A PDF of one chapter or article, for printing and for phones that open nothing else.

Drawn by WeasyPrint (CSS paged media: running heads, page counters, which Chromium's print-to-PDF
lacks) from the part's XHTML (:mod:`scripts.formats.xhtml`, the same text, notes and page markers
as the EPUB), as a tagged PDF/UA-1 with the language set: a running head with the reading and the
part, the book's printed page numbers in the outer margin where each page begins, the paragraph
numbers (¶) in the inner margin, the notes after the text, and "Cite as" with the full address.
"""
from __future__ import annotations

import html
import logging
import re
from pathlib import Path

PDF_CSS = """
@page { size: A4; margin: 22mm 26mm 22mm 26mm;
        @top-left { content: string(reading); font-size: 8pt; color: #333; }
        @top-right { content: string(part); font-size: 8pt; color: #333; }
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; } }
html { font-family: "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.45; color: #000; }
.running { string-set: reading content(); font-size: 9pt; color: #333; margin: 0; }
h1 { string-set: part content(); font-size: 17pt; margin-top: 0.4em; }
h2 { font-size: 13pt; } h3 { font-size: 11pt; }
p[data-n] { position: relative; }
p[data-n]::before { content: "¶ " attr(data-n); position: absolute; left: -19mm; width: 15mm; text-align: right;
                    font-size: 7pt; color: #444; top: 0.2em; }
.pb { position: absolute; right: -24mm; width: 20mm; font-size: 7pt; color: #444; text-align: left; }
.pb::before { content: "p. " attr(data-page); }
.pb-line { position: relative; height: 0; }
a { color: #000; text-decoration: none; }
a.gl { text-decoration: underline dotted; }
sup { font-size: 7pt; line-height: 0; }
.notes { font-size: 9pt; border-top: 1px solid #000; margin-top: 2em; }
aside.note { margin: 0.3em 0; }
.note-number { font-weight: bold; }
.footnote-backref { display: none; }
blockquote { margin: 0.6em 2em; }
table { border-collapse: collapse; font-size: 7pt; width: 100%; table-layout: fixed; }
td, th { border: 1px solid #999; padding: 1px 2px; overflow-wrap: anywhere; hyphens: auto; }
.admonition { border: 1px solid #999; padding: 0.3em 0.8em; margin: 1em 0; }
.admonition-title { font-weight: bold; }
.cite-as { border-top: 1px solid #000; font-size: 8.5pt; margin-top: 1.5em; padding-top: 0.5em; }
"""


def pdf_html(reading_title: str, part_title: str, body: str, cite: str, rights: str) -> str:
    """The PDF's HTML: a running-head line, the part, its notes, then the rights and "Cite as"."""
    body = re.sub(r'<p([^>]*?) id="p(\d+)"', r'<p\1 id="p\2" data-n="\2"', body)
    return (f'<!DOCTYPE html><html lang="en" xml:lang="en"><head><meta charset="utf-8"/>'
            f"<title>{html.escape(part_title)}</title><style>{PDF_CSS}</style></head><body>"
            f'<p class="running">{html.escape(reading_title)}</p>{body}'
            f'<div class="cite-as"><p><strong>Rights:</strong> {html.escape(rights)}</p>'
            f"<p><strong>Cite as:</strong> {cite}</p></div></body></html>")


def write_pdf(document: str, target: Path) -> None:
    """Render with WeasyPrint as tagged PDF/UA-1 (structure tree, reading order, language)."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=document, base_url=str(target.parent)).write_pdf(target, pdf_variant="pdf/ua-1")
