"""Essays (content/essays/*.md): citing a bibliography entry as ``@key``, and citing the essay itself.

An essay's footnote may cite any entry of bib/*.bib by its key, with an optional page locator:
``[^3]: @danilov1970dinamika, 245.`` or ``@kuromiya1988stalins, pp. 12–14``. The build replaces the
key by the Chicago note citeproc-js writes for it (a full note each time), linked to the entry on the
Bibliography page, whose "cited in" list then names the essay's note. A key is recognised only with
its year (``surname1987word``), so the passage shorthand ``@viola/chapter-2#p14`` of another stage
and e-mail addresses are left alone. A key that is not in the bibliography stops the build at its line.

An essay is cited as what it is, an essay in this edition: its title, its ``author``/``authors`` and
``date`` from the front matter when they are given (nothing is supplied when they are not), the site
as container and the page's URL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scripts.core.front_matter import front_matter_of

from scripts.citations.bibtex import Bibliography, Entry
from scripts.core.errors import BuildError
from scripts.core.model import Page

CITE = re.compile(r"(?<![\w@/])@(?P<key>[a-z][a-z0-9_-]*\d{4}[a-z0-9_-]*)(?![\w/#@])"
                  r"(?:,\s*(?:(?P<label>pp?)\.\s*)?(?P<locator>\d+(?:[–-]\d+)?)(?![\w]))?")
FOOTNOTE = re.compile(r"^\[\^([^\]]+)\]:")


@dataclass
class EssayCite:
    page: Page
    line: int               # 1-based line in the essay file
    start: int              # offset in page.markdown
    end: int
    key: str
    locator: str
    note: str               # "fn:3", or "" in the essay's text

    @property
    def job(self) -> str:
        return f"essay|{self.page.path}|{self.start}"


def collect(pages: list[Page], bib: Bibliography, content: Path) -> list[EssayCite]:
    """Every ``@key`` in the essays, checked against the bibliography."""
    out = []
    for page in pages:
        if not page.path.startswith("essays/"):
            continue
        offset, fenced = 0, False
        for n, line in enumerate(page.markdown.split("\n"), 1):
            if line.startswith("```"):
                fenced = not fenced
            fn = FOOTNOTE.match(line)
            if not fenced:
                for m in CITE.finditer(line):
                    key = m.group("key")
                    if key not in bib.entries:
                        source = content / page.path      # the essay as written (the page was rewritten)
                        where = source_line(source, m.group(0)) or n
                        raise BuildError(source, where, f"'@{key}' is not a key in the bibliography",
                                         "use the key of an entry in bib/*.bib (each entry on the Bibliography "
                                         "page has its key as anchor), or add the entry")
                    out.append(EssayCite(page, n, offset + m.start(), offset + m.end(), key,
                                         m.group("locator") or "", f"fn:{fn.group(1)}" if fn else ""))
            offset += len(line) + 1
    return out


def source_line(path: Path, needle: str) -> int | None:
    """The line of the essay file on which ``needle`` first appears (for error messages)."""
    if not path.is_file():
        return None
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return n
    return None


def note_jobs(cites: list[EssayCite]) -> list[dict]:
    jobs = []
    for c in cites:
        job = {"id": c.job, "style": "chicago", "item": c.key}
        if c.locator:
            job.update(locator=c.locator, label="page")
        jobs.append(job)
    return jobs


def apply(cites: list[EssayCite], notes: dict[str, str], target_url) -> list[tuple[EssayCite, str]]:
    """Replace each ``@key`` by its formatted, linked citation (from the end of each page)."""
    done = []
    for c in sorted(cites, key=lambda c: (c.page.path, -c.start)):
        html = notes[c.job].rstrip(".")
        link = f'<a class="cite-link cite-entry" href="{target_url(c.page.path, c.key)}">{html}</a>'
        c.page.markdown = c.page.markdown[: c.start] + link + c.page.markdown[c.end:]
        done.append((c, link))
    return done


def essay_entry(page: Page, content: Path) -> Entry:
    """The essay as a bibliography entry (front matter facts only; values BibTeX-escaped)."""
    meta = {}
    source = content / page.path
    text = source.read_text(encoding="utf-8") if source.is_file() else page.markdown
    if text.startswith("---\n"):                # the essay's own front matter (author, date), read once
        meta = front_matter_of(source, text)
    fields = {"title": _escape(page.title)}
    authors = meta.get("authors") or meta.get("author")
    if authors:
        names = authors if isinstance(authors, list) else [authors]
        fields["author"] = " and ".join(_escape(str(a)) for a in names)
    if meta.get("date"):
        fields["year"] = str(meta["date"])[:4]
    fields["howpublished"] = "Revolution from Above — an annotated reader"
    slug = Path(page.path).stem
    return Entry(f"essay-{slug}", "misc", fields, content / page.path, 1, "", "essays")


def _escape(text: str) -> str:
    return re.sub(r"([&%#])", r"\\\1", text)
