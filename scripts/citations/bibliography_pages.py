"""Stage (after render): the site's Bibliography section, rendered from bib/*.bib.

Three pages: the five readings (with the whole collection as .bib and .ris downloads), Viola's
Bibliography (sections IV–VIII, grouped as she grouped them), and the works the articles cite. Every
entry is Chicago notes-bibliography as citeproc-js writes it (scripts/citations/csl.py), has its key as anchor,
and lists the notes that cite it, with their number: the list is the record of the links that
scripts/citations/note_links.py actually made, so the counts are the links.
"""
from __future__ import annotations

import re
from collections import defaultdict

from scripts.citations import csl
from scripts.citations.bibtex import Bibliography
from scripts.citations.cite_this import ris_for
from scripts.citations.note_links import BIB_PAGES, Link
from scripts.core.escape import html_text
from scripts.core.model import Page
from scripts.core.links import relative

SECTION_TITLES = {
    "IV": "IV. Collections of laws; published documents; statistics",
    "V": "V. Political pamphlets and contemporary works; speeches; memoirs and eyewitness accounts; handbooks and course programs; literary works",
    "VI": "VI. Secondary sources on the 25,000ers",
    "VII": "VII. Selected secondary sources in Russian",
    "VIII": "VIII. Selected secondary sources in English",
}
COLLECTION = "bibliography/revolution-from-above"


def note_label(link: Link, titles: dict[str, str]) -> str:
    """'Viola, ch. 2, n. 5', 'Hatch, n. 63', 'B.W. review, header', as HTML text: the "Cited in" list
    is a raw HTML block, and an essay's title is what its editor typed."""
    who = html_text(titles.get(link.page, link.page))
    number = link.note.split(":")[-1].split("-")[-1]
    if link.note == "header":
        return f"{who}, header"
    return f"{who}, n. {number}" if link.note else who


def groups_for(bib: Bibliography) -> dict[str, list[str]]:
    """The lists citeproc-js sorts: the readings, each of Viola's sections, the articles' works."""
    out: dict[str, list[str]] = defaultdict(list)
    for e in bib.entries.values():
        if e.group == "viola-bibliography":
            m = re.match(r"Viola bibliography (\w+):", e.display("keywords"))
            out[f"viola-{m.group(1) if m else 'other'}"].append(e.key)
        else:
            out[e.group].append(e.key)
    return dict(out)


def entry_html(key: str, formatted: str, page: str, cited: list[Link], titles: dict[str, str],
               reading_pages: dict[str, str]) -> str:
    body = csl.html_to_markdown(formatted)
    extra = ""
    if key in reading_pages:
        extra = f' <a class="bib-reading" href="{relative(page, reading_pages[key])}">Read it in this edition</a>.'
    if cited:
        def href(l: Link) -> str:
            anchor = "" if l.note in ("", "header") else "#" + l.note
            return relative(page, l.page) + anchor
        items = ", ".join(f'<a href="{href(l)}">{note_label(l, titles)}</a>' for l in cited)
        noun = "note" if len(cited) == 1 else "notes"
        extra += (f' <span class="cited-in" data-count="{len(cited)}">Cited in {len(cited)} {noun}: {items}.</span>')
    return f'<p class="bib-entry" id="{key}">{body}{extra}</p>\n'


def render(bib: Bibliography, formatted: dict[str, list], links: list[Link], titles: dict[str, str],
           reading_pages: dict[str, str]) -> tuple[list[Page], dict[str, str]]:
    """The Bibliography pages and the collection downloads (docs-relative path -> text)."""
    cited: dict[str, list[Link]] = defaultdict(list)
    for l in links:
        if l.kind in ("entry", "reading"):
            cited[l.target].append(l)

    def entries(group: str, page: str) -> list[str]:
        return [entry_html(k, html, page, cited.get(k, []), titles, reading_pages) for k, html in formatted[group]]

    n_all = len(bib.entries)
    idx = BIB_PAGES["readings"]
    index = ["---", 'title: "Bibliography"', "---", "", "# Bibliography", "",
             f"Every work the readings cite that this edition records: {n_all} entries, kept as BibTeX in the "
             "project's `bib/` folder and formatted here in Chicago notes-bibliography style. Each entry lists "
             "the notes that cite it; the notes link back here.", "",
             f'<p class="bib-downloads">The whole collection for a reference manager: '
             f'<a href="{relative(idx, COLLECTION + ".md")[:-5]}.bib" download>BibTeX (.bib)</a> · '
             f'<a href="{relative(idx, COLLECTION + ".md")[:-5]}.ris" download>RIS (.ris)</a></p>', "",
             "- [Viola's Bibliography](viola.md): the works listed at the end of *The Best Sons of the Fatherland*",
             "- [Works cited by the articles](cited-works.md): works the four articles cite, and works cited by two or more readings",
             "", "## The five readings", ""]
    index += entries("readings", idx)
    pages = [Page(idx, "Bibliography", "\n".join(index) + "\n", nav_title="The five readings")]

    vp = BIB_PAGES["viola-bibliography"]
    viola = ["---", 'title: "Viola\'s Bibliography"', "---", "", "# Viola's Bibliography", "",
             f'<p class="reading-source">From <em>The Best Sons of the Fatherland</em> by Lynne Viola · '
             f'<a href="{relative(vp, "readings/viola/bibliography.md")}">the Bibliography as printed</a></p>', "",
             "Sections IV–VIII of the book's Bibliography as structured entries, in the book's groups. Its "
             "sections I–III (archival fonds, newspapers, journals) are lists of holdings and titles, not works: "
             f'they are on the [Bibliography page of the reading]({relative(vp, "readings/viola/bibliography.md")[:-5]}.md). '
             "Spellings are the book's.", ""]
    for sec, title in SECTION_TITLES.items():
        if f"viola-{sec}" in formatted:
            viola += [f"## {title}", ""] + entries(f"viola-{sec}", vp) + [""]
    pages.append(Page(vp, "Viola's Bibliography", "\n".join(viola) + "\n", nav_title="Viola's Bibliography"))

    cp = BIB_PAGES["cited-works"]
    cw = ["---", 'title: "Works cited by the articles"', "---", "", "# Works cited by the articles", "",
          "Works the four articles cite in their notes, and works cited by two or more of the readings, as far "
          "as the notes give author, title and year. Works that are also in Viola's Bibliography are listed "
          "[there](viola.md).", ""]
    cw += entries("cited-works", cp)
    pages.append(Page(cp, "Works cited by the articles", "\n".join(cw) + "\n", nav_title="Works cited by the articles"))

    collection_bib = "\n".join(f"% ---- {p.name}\n\n" + p.read_text(encoding="utf-8") for p in bib.files)
    collection_ris = "\n".join(ris_for(csl.csl_item(e)) for e in bib.entries.values())
    return pages, {COLLECTION + ".bib": collection_bib, COLLECTION + ".ris": collection_ris}
