"""Stage (after render): "Cite this" on every reading, chapter and essay page, and the data behind it.

For each citable page it builds one CSL-JSON item that names the original work (the book, the book
chapter, the article) and gives this edition's URL as where it was read, has citeproc-js format it
(scripts/citations/csl.py) in Chicago notes-bibliography (note and bibliography forms), MLA and APA, and adds
to the page:

- a collapsible "Cite this" box with the four forms, copy buttons and the page's BibTeX and RIS files
  (written to ``docs/cite/``), plus one Chicago line shown only in print;
- templates for "cite this paragraph" (the same forms with a paragraph or page locator, formatted by
  the processor with a placeholder number that assets/javascripts/cite.js replaces);
- ``citation_*`` front matter that overrides/main.html turns into the meta tags Zotero reads.

The edition's URL is ``site_url`` in mkdocs.yml when it is set; without it the citation carries the
page's path in the site (in every form and the print line), which cite.js turns into the address the
page is read at when it is served, and marks "(this edition, offline copy)" when it is opened from
the offline bundle.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from scripts.citations import csl
from scripts.citations.bibtex import Bibliography, Entry
from scripts.core.model import Page, Reading
from scripts.core.links import html_url, relative
from scripts.citations.essay_keys import essay_entry
from scripts.sources.pagination import page_label, part_range

PLACEHOLDER = "999999"        # the locator number cite.js replaces (a paragraph or printed page)
FORMS = (("chicago-note", "Chicago (note)"), ("chicago-bib", "Chicago (bibliography)"),
         ("mla", "MLA"), ("apa", "APA"))
RIS_TYPES = {"book": "BOOK", "chapter": "CHAP", "article-journal": "JOUR", "thesis": "THES",
             "manuscript": "UNPB", "document": "GEN", "webpage": "ELEC"}


@dataclass
class Citable:
    """One citable page: its CSL item and what it is (for the button label and the meta tags)."""

    page: Page
    entry: Entry                  # the reading's (or essay's) bibliography entry
    item: dict                    # CSL-JSON, URL = this edition's page
    kind: str                     # "book", "chapter", "article", "essay"
    forms: dict[str, str] = field(default_factory=dict)           # form -> HTML
    paragraph: dict[str, str] = field(default_factory=dict)       # form -> HTML with PLACEHOLDER (paragraph)
    page_forms: dict[str, str] = field(default_factory=dict)      # form -> HTML with PLACEHOLDER (printed page)

    @property
    def slug(self) -> str:
        slug = self.page.path[:-3].replace("readings/", "")
        return slug[: -len("/index")].replace("/", "-") if slug.endswith("/index") else slug.replace("/", "-")


def site_url(mkdocs_yml: Path) -> str:
    """``site_url`` from mkdocs.yml ('' when unset): the base of the edition's stable URLs."""
    m = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", mkdocs_yml.read_text(encoding="utf-8"), re.M)
    return (m.group(1).rstrip("/") + "/") if m else ""


def page_url(base: str, page_path: str) -> str:
    return base + html_url(page_path)


def plan(docs: list[Reading], pages_by_doc: dict[str, list[Page]], bib: Bibliography, base: str) -> list[Citable]:
    """The citable pages of every reading: landing pages cite the work, part pages its chapter."""
    out = []
    for doc, entry, _cite in docs:
        book = bib.entries[entry["bibkey"]]
        pages = pages_by_doc[doc.id]
        parts = {p.path: part for p, part in zip(pages[1:], doc.parts)} if len(pages) > 1 else {}
        for page in pages:
            if page.path.endswith("/about.md"):
                continue
            url = page_url(base, page.path)
            book_item = csl.csl_item(book, item_id=f"{book.key}@{page.path}", url=url)
            if book_item.get("publisher-place"):
                book_item["publisher-place"] = csl.first_place(book_item["publisher-place"])
            if page.path in parts:
                title = re.sub(r"\*([^*]+)\*", r"<i>\1</i>", parts[page.path].title)
                item = chapter_item(book, page, title, url)
                printed = part_range(doc, parts[page.path].slug)
                if printed and printed[1]:           # the chapter's printed pages: "90–120"
                    item["page"] = page_label(*printed)
                out.append(Citable(page, book, item, "chapter"))
            else:
                kind = "book" if book.type == "book" else "article"
                out.append(Citable(page, book, book_item, kind))
    return out


def plan_essays(pages: list[Page], content: Path, base: str, site_name: str) -> list[Citable]:
    """Each essay (content/essays/*.md) cited as a page of this edition (scripts/citations/essay_keys.py)."""
    out = []
    for page in pages:
        if not page.path.startswith("essays/"):
            continue
        entry = essay_entry(page, content)
        item = csl.csl_item(entry, item_id=f"{entry.key}@{page.path}", url=page_url(base, page.path))
        item.update({"type": "webpage", "container-title": site_name})
        item.pop("publisher", None)
        out.append(Citable(page, entry, item, "essay"))
    return out


def site_name(mkdocs_yml: Path) -> str:
    m = re.search(r"^site_name:\s*(.+)$", mkdocs_yml.read_text(encoding="utf-8"), re.M)
    return m.group(1).strip().strip("'\"") if m else ""


def chapter_item(book: Entry, page: Page, title: str, url: str) -> dict:
    """A part of a book as a CSL ``chapter`` of it (title from the parsed part, the rest from the book)."""
    base = csl.csl_item(book, url=url)
    item = {k: v for k, v in base.items() if k not in ("title", "title-short", "type", "id", "note")}
    item.update({"id": f"{book.key}@{page.path}", "type": "chapter", "title": title,
                 "container-title": base["title"]})
    if item.get("publisher-place"):
        item["publisher-place"] = csl.first_place(item["publisher-place"])
    return item


def format_all(citables: list[Citable], bib: Bibliography, groups: dict[str, list[str]], cache_dir: Path,
               extra_notes: list[dict] = (), documents: list[dict] = ()) -> dict:
    """Every citation of the build, formatted by citeproc-js (each cached on its own,
    ``csl.run_cached``): page forms, paragraph templates, the bibliography, ``extra_notes`` (the
    essays' ``@key`` citations) and ``documents`` (each essay's passage citations in order, see
    scripts/course/essay_pages.py)."""
    items = [csl.csl_item(e) for e in bib.entries.values()]
    entries, notes = [], list(extra_notes)
    for c in citables:
        chicago = "chicago" if c.kind == "essay" else csl.WITH_PLACE    # a reading: with its place of publication
        items.append(c.item)
        for variant, label in (("para", "paragraph"), ("page", "page")):
            t = dict(c.item, id=f"{c.item['id']}#{variant}")
            if t.get("URL"):
                t["URL"] = t["URL"] + f"#p{PLACEHOLDER}"      # the paragraph's own link, in both variants
            items.append(t)
            notes.append({"id": f"{t['id']}|chicago-note", "style": chicago, "item": t["id"],
                          "locator": PLACEHOLDER, "label": label})
            for style in ("mla", "apa"):
                notes.append({"id": f"{t['id']}|{style}-intext", "style": style, "item": t["id"],
                              "locator": PLACEHOLDER, "label": label})
                entries.append({"id": f"{t['id']}|{style}", "style": style, "item": t["id"]})
            entries.append({"id": f"{t['id']}|chicago-bib", "style": chicago, "item": t["id"]})
        notes.append({"id": f"{c.item['id']}|chicago-note", "style": chicago, "item": c.item["id"]})
        for style, form in ((chicago, "chicago-bib"), ("mla", "mla"), ("apa", "apa")):
            entries.append({"id": f"{c.item['id']}|{form}", "style": style, "item": c.item["id"]})
    bibliographies = [{"id": g, "style": "chicago", "items": keys} for g, keys in groups.items()]
    result = csl.run_cached(items, bibliographies, entries, notes, cache_dir, documents)
    for c in citables:
        got = {**result["entries"], **result["notes"]}
        i = c.item["id"]
        c.forms = {f: csl.html_to_markdown(got[f"{i}|{f}"]) for f, _ in FORMS}
        for variant, target in (("para", c.paragraph), ("page", c.page_forms)):
            t = f"{i}#{variant}"
            for f in ("chicago-note", "chicago-bib", "mla", "mla-intext", "apa", "apa-intext"):
                target[f] = csl.html_to_markdown(got[f"{t}|{f}"])
    return result


def _url_spans(text: str, item: dict, page: Page) -> str:
    """Mark the edition URL in a formatted citation so cite.js can show the address the page is read at."""
    url = item.get("URL", "")
    if not url or url.startswith(("http://", "https://")):
        return text
    site_root = posixpath.relpath(".", posixpath.dirname(page.path) or ".")
    pattern = re.escape(url).replace(PLACEHOLDER, r"(\d+)") if PLACEHOLDER in url else re.escape(url)

    def span(m: re.Match) -> str:
        return f'<span class="cite-url" data-path="{html.escape(m.group(0))}" data-root="{site_root}">{m.group(0)}</span>'
    return re.sub(pattern, span, text)


def cite_box(c: Citable) -> str:
    """The "Cite this" box (HTML inside the Markdown page)."""
    what = {"book": "book", "chapter": "chapter", "article": "article", "essay": "essay"}[c.kind]
    summary = "Cite this chapter" if c.kind == "chapter" else f"Cite this {'essay' if c.kind == 'essay' else 'text'}"
    rows = []
    for form, label in FORMS:
        ident = f"cite-{form}"
        rows.append(f'<div class="cite-form"><p class="cite-label" id="{ident}-label">{label}</p>'
                    f'<p class="cite-text" id="{ident}">{_url_spans(c.forms[form], c.item, c.page)}</p>'
                    f'<button type="button" class="md-button cite-copy" data-copy="{ident}" '
                    f'aria-describedby="{ident}-label">Copy</button></div>')
    bibfile = relative(c.page.path, f"cite/{c.slug}.md")[:-5]
    templates = []
    for variant, forms in (("paragraph", c.paragraph), ("page", c.page_forms)):
        parts = "".join(f'<p data-form="{f}">{_url_spans(v, c.item, c.page)}</p>' for f, v in forms.items())
        templates.append(f'<template class="cite-template" data-locator="{variant}">{parts}</template>')
    return "\n".join([
        f'<details class="cite-this" id="cite-this" data-placeholder="{PLACEHOLDER}" data-search-exclude>',
        f"<summary>{summary}</summary>",
        '<div class="cite-forms">',
        *rows,
        f'<p class="cite-downloads">Download this {what}\'s reference: '
        f'<a href="{bibfile}.bib" download>BibTeX (.bib)</a> · <a href="{bibfile}.ris" download>RIS (.ris, for Zotero, EndNote)</a></p>',
        "</div>",
        *templates,
        "</details>",
        f'<p class="cite-print" data-search-exclude>Cite as: {_url_spans(c.forms["chicago-bib"], c.item, c.page)}</p>',
        "",
    ])


def meta_tags(c: Citable) -> dict:
    """The ``citation_*`` tags Zotero's Embedded Metadata translator reads, from the .bib entry."""
    e, item = c.entry, c.item
    tags: dict = {"citation_title": csl.html_to_text(item["title"])}
    names = e.names("author")
    if names:
        tags["citation_author"] = [n.get("literal") or ", ".join(x for x in (n.get("family"), n.get("given")) if x)
                                   for n in names]
    year = e.display("year")
    if year:
        tags["citation_publication_date"] = year
    if c.kind == "chapter":
        tags["citation_inbook_title"] = csl.html_to_text(item["container-title"])
    elif e.type == "article":
        tags["citation_journal_title"] = e.display("journal")
    for bib, tag in (("publisher", "citation_publisher"), ("isbn", "citation_isbn"), ("volume", "citation_volume"),
                     ("number", "citation_issue"), ("doi", "citation_doi")):
        if e.display(bib) and not (c.kind == "article" and bib == "publisher"):
            tags[tag] = e.display(bib)
    if e.display("pages") and c.kind == "article":
        first, _, last = e.display("pages").partition("–")
        tags["citation_firstpage"] = first
        if last:
            tags["citation_lastpage"] = last
    lang = item.get("language")
    if lang:
        tags["citation_language"] = lang
    if item.get("URL", "").startswith(("http://", "https://")):
        tags["citation_public_url"] = item["URL"]
    return tags


def add_front_matter(markdown: str, tags: dict) -> str:
    """Insert ``citation:`` into the page's YAML front matter (values JSON-quoted: valid YAML)."""
    lines = ["citation:"]
    for key, value in tags.items():
        lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    if not markdown.startswith("---\n"):
        return "---\n" + "\n".join(lines) + "\n---\n\n" + markdown
    return "---\n" + "\n".join(lines) + "\n" + markdown[4:]


def insert_box(markdown: str, box: str) -> str:
    """Put the box after the page's heading block: after the reading-source line of a chapter, or
    before the landing page's "Cite this text" admonition (which the box replaces)."""
    m = re.search(r'^!!! quote "Cite this text"\n\n    .*\n\n', markdown, re.M)
    if m:
        return markdown[: m.start()] + box + "\n" + markdown[m.end():]
    m = re.search(r'^<p class="reading-source">.*\n\n', markdown, re.M)
    if m:
        return markdown[: m.end()] + box + "\n" + markdown[m.end():]
    m = re.search(r"^# .*\n\n", markdown, re.M)
    if m is None:
        return markdown.rstrip("\n") + "\n\n" + box
    return markdown[: m.end()] + box + "\n" + markdown[m.end():]


def bibtex_for(c: Citable) -> str:
    """The page's BibTeX entry: the reading's own raw fields; a chapter becomes @incollection of the book."""
    e = c.entry
    fields = dict(e.fields)
    key = e.key if c.kind != "chapter" else f"{e.key}-{c.slug.split('-', 1)[-1]}"
    kind = e.type
    if c.kind == "chapter":
        kind = "incollection"
        fields["booktitle"] = fields.pop("title")
        fields["title"] = _bib_escape(c.item["title"])
    if c.item.get("URL", "").startswith(("http://", "https://")):
        fields["url"] = c.item["URL"]
    order = ["author", "title", "booktitle", "journal", "volume", "number", "pages", "publisher", "address",
             "year", "month", "isbn", "url", "note", "langid"]
    keys = [k for k in order if k in fields] + sorted(k for k in fields if k not in order)
    width = max(len(k) for k in keys)
    body = ",\n".join(f"  {k.ljust(width)} = {{{fields[k]}}}" for k in keys)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _bib_escape(text: str) -> str:
    text = re.sub(r"<i>(.*?)</i>", r"\\emph{\1}", text)
    return re.sub(r"([&%#])", r"\\\1", text)


def ris_for(item: dict) -> str:
    """A CSL item as one RIS record (tagged plain text, the import format of Zotero and EndNote)."""
    text = csl.html_to_text
    lines = [f"TY  - {RIS_TYPES.get(item['type'], 'GEN')}"]
    for role, tag in (("author", "AU"), ("editor", "ED"), ("translator", "A4")):
        for n in item.get(role, []):
            lines.append(f"{tag}  - " + (n.get("literal") or ", ".join(x for x in (n.get("family"), n.get("given")) if x)))
    lines.append(f"TI  - {text(item['title'])}")
    for key, tag in (("container-title", "T2"), ("collection-title", "T3"), ("volume", "VL"), ("issue", "IS"),
                     ("publisher", "PB"), ("publisher-place", "CY"), ("ISBN", "SN"), ("DOI", "DO"),
                     ("language", "LA"), ("edition", "ET"), ("note", "N1"), ("archive", "AN")):
        if item.get(key):
            lines.append(f"{tag}  - {text(str(item[key]))}")
    if item.get("page"):
        first, _, last = item["page"].partition("–")
        lines.append(f"SP  - {first}")
        if last:
            lines.append(f"EP  - {last}")
    issued = item.get("issued", {}).get("date-parts")
    if issued:
        lines.append(f"PY  - {issued[0][0]}")
    if item.get("URL"):
        lines.append(f"UR  - {item['URL']}")
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def decorate(citables: list[Citable]) -> dict[str, str]:
    """Add front matter and box to each citable page; return the download files (docs-relative path -> text)."""
    files = {}
    for c in citables:
        c.page.markdown = add_front_matter(insert_box(c.page.markdown, cite_box(c)), meta_tags(c))
        files[f"cite/{c.slug}.bib"] = bibtex_for(c)
        files[f"cite/{c.slug}.ris"] = ris_for(c.item)
    return files


