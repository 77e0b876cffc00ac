"""Stage: the book's back-of-book Index as a structured, linked page (Viola's *Best Sons*).

The parser gives the Index as flat entries (``EntryList``: text and level 0/1, wrapped lines already
joined, broken italics repaired). This stage:

* splits each entry into its name, its page references and its "See"/"See also" targets;
* repairs the sub-entries the conversion flattened into headwords, from the data file
  ``data/book_index/<id>.yml`` (each repair logged; order is never changed: the Index stays
  alphabetised as printed);
* links every page reference to the page marker of the printed page (``chapter-4.html#page-95``;
  a range "95–102" links to its first page and says so in its title), references into the Notes
  to the notes of the chapter printed on that page, and "See"/"See also" to the heading named;
* links headings that are glossary terms to their glossary entry;
* measures how often a linked page (or the page before or after it) mentions the heading's key
  word, per chapter, and lists the misses for a person to check (``build/report.md``).
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from scripts.core.datafile import Ref as DataRef, Strict, Text, load_yaml, schema_for
from scripts.core.errors import BuildError
from scripts.core.markdown_text import inline_html
from scripts.core.model import Document, EntryList
from scripts.sources.pagination import BODY_SLUGS as BODY_ORDER, Pagination, page_words

from scripts.core.markdown_text import escape_text
from scripts.core.links import GLOSSARY_PAGE, relative

SEE = re.compile(r"\.?\s*\*See( also)?\*\s*(.*)$")
REFS = re.compile(r"(,([\"”]?)\s*\d{1,3}(?:[–-]\d{1,3})?(?=,|\.|$)(?:,\s*\d{1,3}(?:[–-]\d{1,3})?(?=,|\.|$))*)\.?$")
REF = re.compile(r"(\d{1,3})(?:[–-](\d{1,3}))?")
STOP = {"and", "on", "in", "at", "of", "the", "to", "from", "a", "by", "with", "for", "under"}


class SubentryGroup(Strict):
    heading: DataRef
    entries: list[DataRef]
    reason: Text


@schema_for("data/book_index/*.yml")
class IndexRepairs(Strict):
    subentries: list[SubentryGroup] = []


@dataclass
class Ref:
    text: str            # as printed: "107–8"
    first: int
    last: int


@dataclass
class Entry:
    name: str            # as printed, with *italic*
    level: int
    refs: list[Ref]
    see: list[str]
    see_also: bool
    parent: "Entry | None" = None
    ident: str = ""
    children: list["Entry"] = field(default_factory=list)


def expand(first: str, second: str | None) -> tuple[int, int]:
    """ "107", "8" -> (107, 108): the book abbreviates the second number of a range."""
    a = int(first)
    if not second:
        return a, a
    b = int(second)
    if len(second) < len(first):
        b = int(first[: len(first) - len(second)] + second)
    return a, b


def parse_entry(text: str, level: int) -> Entry:
    """``Agriculture, 19, 22, 26, 216. *See also* Collective farms; collectivization`` -> Entry."""
    see: list[str] = []
    also = False
    m = SEE.search(text)
    if m:
        also = bool(m.group(1))
        see = [t.strip() for t in m.group(2).split(";") if t.strip()]
        text = text[:m.start()]
    refs: list[Ref] = []
    m = REFS.search(text)
    if m:
        for r in REF.finditer(m.group(1)):
            a, b = expand(r.group(1), r.group(2))
            refs.append(Ref(r.group(0), a, b))
        text = text[:m.start()] + m.group(2)  # '"Answer to …," 131': the closing quote stays with the name
    return Entry(text.strip().rstrip(","), level, refs, see, also)


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("*", "")).encode("ascii", "ignore").decode()
    return re.sub(r"[\"“”'’]", "", text).strip().lower()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", norm(text)).strip("-") or "entry"


def apply_repairs(doc: Document, entries: list[Entry], repairs: IndexRepairs, path: Path) -> None:
    """Make the listed flattened entries sub-entries of their heading (each repair logged)."""
    for group in repairs.subentries:
        heads = [i for i, e in enumerate(entries) if e.level == 0 and norm(e.name) == norm(group.heading)]
        if not heads:
            raise BuildError(path, None, f"the Index has no heading '{group.heading}'",
                             "check the heading's spelling against the Index page")
        i = heads[0]
        wanted = [norm(x) for x in group.entries]
        j = i + 1
        while j < len(entries) and (entries[j].level == 1 or norm(entries[j].name) in wanted):
            e = entries[j]
            if e.level == 0:
                e.level = 1
                doc.log("correction", "index_subentry_repair", 0, before=f"headword '{e.name}'",
                        after=f"sub-entry of '{group.heading}'", note=group.reason)
                wanted.remove(norm(e.name))
            j += 1
        if wanted:
            raise BuildError(path, None, f"'{wanted[0]}' does not follow the Index heading '{group.heading}'",
                             "list only entries printed right after the heading or its sub-entries")


def structure(doc: Document, items: list[str], levels: list[int], repairs: IndexRepairs, path: Path) -> list[Entry]:
    entries = [parse_entry(t, lv) for t, lv in zip(items, levels)]
    apply_repairs(doc, entries, repairs, path)
    parent: Entry | None = None
    seen: set[str] = set()
    for e in entries:
        if e.level == 0 or parent is None:
            e.level, parent = 0, e
            base = "ix-" + slug(e.name)
        else:
            e.parent = parent
            parent.children.append(e)
            base = f"ix-{slug(parent.name)}--{slug(e.name)}"
        ident, n = base, 2
        while ident in seen:
            ident, n = f"{base}-{n}", n + 1
        seen.add(ident)
        e.ident = ident
    return entries


def resolve(target: str, heads: list[Entry]) -> Entry | None:
    """The entry a "See also" target names: a heading ("collectivization" -> Collectivization) or
    "Stalin, I. V., *under* Stalin Revolution" -> the sub-entry Stalin revolution of Stalin, I. V."""
    t = norm(target)
    by_name = {norm(h.name): h for h in heads}
    for h in heads:  # "Worker-peasant alliance" names "Worker-peasant alliance (*smychka*)"
        by_name.setdefault(norm(re.sub(r"\s*\([^)]*\)$", "", h.name)), h)
    if " under " in t:
        head, sub = (s.strip(" ,") for s in t.split(" under ", 1))
        h = by_name.get(head)
        return next((c for c in h.children if norm(c.name) == sub), None) if h else None
    return by_name.get(t)


# ---- key words and the accuracy measure ---------------------------------------------------------
def stem(word: str) -> str:
    w = norm(word)
    if len(w) <= 5:
        return w
    return w[: min(8, len(w) - 1 if len(w) <= 7 else len(w) - 2)]


def key_word(name: str, freq: dict[str, int] | None = None) -> str:
    """The word an index heading is about: of the significant words of its name (before a comma or
    a parenthesis: "Andreev, A. A." -> andreev), the one least frequent in the book's text, so
    "New Economic Policy" is looked up as "economic" and "North Caucasus" as "caucasus"."""
    words = [w.strip(",-") for w in re.findall(r"[\w,-]+", norm(name).split(", ")[0].split("(")[0])]
    words = [w for w in words if len(w) >= 3 and w not in STOP]
    if not words:
        return ""
    if freq:
        known = [w for w in words if freq.get(stem(w), 0)]
        if known:
            return stem(min(known, key=lambda w: freq[stem(w)]))
    return stem(words[0])


def key_pattern(key: str) -> re.Pattern:
    """A key word at a word start, allowing the space the conversion put after a soft sign
    ("sel' sovet" for sel'sovet)."""
    return re.compile(r"(?<![a-z0-9])" + r"\s?".join(re.escape(c) for c in key))


@dataclass
class Accuracy:
    total: int = 0
    hits: int = 0
    by_part: dict[str, list[int]] = field(default_factory=dict)   # part slug -> [hits, total]
    misses: list[tuple[str, str, int, str]] = field(default_factory=list)  # entry, ref, page, key words

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 0.0


def measure(entries: list[Entry], pag: Pagination, words: dict[int, str], window: int = 1, shift: int = 0) -> Accuracy:
    """For each page reference in the body: does the page, or (``window`` 1) the page before or after
    it, contain the heading's key word (or, for a sub-entry, the sub-entry's own key word)?

    ``shift`` moves every reference by that many pages: the control that shows the measure can fail
    (a pagination off by one page would score like it)."""
    freq: dict[str, int] = {}
    for text in words.values():
        for w in text.split():
            for n in range(1, 9):
                freq[w[:n]] = freq.get(w[:n], 0) + 1
    acc = Accuracy()
    for e in entries:
        keys = {key_word(e.name, freq)} | ({key_word(e.parent.name, freq)} if e.parent else set())
        keys.discard("")
        for ref in e.refs:
            part = pag.part_of_page(ref.first)
            if part is None or not keys:
                continue
            first, last = ref.first + shift, ref.last + shift
            text = " ".join(words.get(p, "") for p in range(first - window, last + window + 1))
            hit = any(key_pattern(k).search(text) for k in keys)
            acc.total += 1
            acc.hits += hit
            tally = acc.by_part.setdefault(part.slug, [0, 0])
            tally[0] += hit
            tally[1] += 1
            if not hit:
                label = f"{e.parent.name} — {e.name}" if e.parent else e.name
                acc.misses.append((label.replace("*", ""), ref.text, ref.first, ", ".join(sorted(keys))))
    return acc


# ---- bibliography authors -------------------------------------------------------------------------
PERSON = re.compile(r"^([A-Z][\w'’-]+), ([A-Z])")


@dataclass
class AnchoredEntryList:
    """The book's Bibliography list, as rendered by render.py, with an anchor on the first entry
    of each author (``#bib-davies-r``) so that the Index can link to it."""

    items: list[str]
    levels: list[int]
    anchors: dict[int, str]

    def render_markdown(self, writer) -> str:
        out = []
        for i, (item, level) in enumerate(zip(self.items, self.levels or [0] * len(self.items))):
            mark = f'<span id="{self.anchors[i]}"></span>' if i in self.anchors else ""
            out.append("    " * level + "- " + mark + escape_text(item))
        return "\n".join(out) + "\n"


def anchor_bibliography(doc: Document) -> dict[tuple[str, str], str]:
    """Anchor the first Bibliography entry of each author; (surname, initial) -> bibliography URL."""
    part = next((p for p in doc.parts if p.slug == "bibliography"), None)
    if part is None:
        return {}
    found: dict[tuple[str, str], str] = {}
    for k, block in enumerate(part.blocks):
        if not isinstance(block, EntryList):
            continue
        anchors: dict[int, str] = {}
        for i, item in enumerate(block.items):
            m = PERSON.match(item)
            if m and (m.group(1), m.group(2)) not in found:
                ident = f"bib-{slug(m.group(1))}-{m.group(2).lower()}"
                anchors[i] = ident
                found[(m.group(1), m.group(2))] = f"bibliography.html#{ident}"
        part.blocks[k] = AnchoredEntryList(block.items, block.levels, anchors)
    return found


# ---- the page -------------------------------------------------------------------------------------
@dataclass
class IndexBlock:
    """The structured Index, rendered by ``render_markdown`` (a block of the index part)."""

    entries: list[Entry]
    pag: Pagination
    unresolved: list[str] = field(default_factory=list)
    authors: dict[tuple[str, str], str] = field(default_factory=dict)   # (surname, initial) -> URL

    def ref_link(self, ref: Ref) -> str:
        part = self.pag.part_of_page(ref.first)
        span = f"pages {ref.first}–{ref.last}" if ref.last != ref.first else f"page {ref.first}"
        if part is not None:
            where = f"; the link goes to page {ref.first}" if ref.last != ref.first else ""
            return (f'<a class="ix-page" href="{part.slug}.html#page-{ref.first}" '
                    f'title="{span.capitalize()}{where}">{html.escape(ref.text)}</a>')
        note = self.pag.notes.get(ref.first)
        if note:
            return (f'<a class="ix-page ix-notes" href="{note[0]}.html#fn:{note[1]}" '
                    f'title="{span.capitalize()}, in the Notes: the notes of this chapter (page inferred)">'
                    f"{html.escape(ref.text)}</a>")
        return f'<span class="ix-page ix-unlinked" title="{span.capitalize()}: not in this edition\'s page map">{html.escape(ref.text)}</span>'

    def line(self, e: Entry, writer, heads: list[Entry]) -> str:
        out = f'<span class="ix-name">{inline_html(e.name)}</span>'
        if e.refs:
            out += ", " + ", ".join(self.ref_link(r) for r in e.refs)
        if e.see:
            links = []
            for t in e.see:
                target = resolve(t, heads)
                if target is None:
                    self.unresolved.append(t)
                    links.append(inline_html(t))
                else:
                    links.append(f'<a class="ix-see" href="#{target.ident}">{inline_html(t)}</a>')
            out += (". " if e.refs else " ") + f"<em>See{' also' if e.see_also else ''}</em> " + "; ".join(links)
        m = PERSON.match(e.name) if e.level == 0 else None
        if m and (m.group(1), m.group(2)) in self.authors:
            out += (f' <a class="ix-bib" href="{self.authors[(m.group(1), m.group(2))]}" '
                    f'title="{html.escape(m.group(1))} in the Bibliography">bibliography</a>')
        term = self.glossary_term(e, writer)
        if term is not None:  # at the end, so the entry's printed words stay together
            out += (f' <a class="ix-glossary" href="{relative(writer.path, GLOSSARY_PAGE)}#{term.id}" '
                    f'title="Glossary: {html.escape(term.tooltip, quote=True)}">glossary</a>')
        return out

    @staticmethod
    def glossary_term(e: Entry, writer):
        annotator = getattr(writer.ctx, "annotator", None)
        if annotator is None:
            return None
        names = [e.name] + re.findall(r"\(([^)]*)\)", e.name)
        for n in names:
            bare = n.replace("*", "").split("(")[0].strip()
            term = annotator.term_for(bare) if bare else None
            if term is not None and term.applies_to(writer.path):
                return term
        return None

    def render_markdown(self, writer) -> str:
        heads = [e for e in self.entries if e.level == 0]
        out: list[str] = ['<p class="ix-intro">Page numbers are those of the printed book (1987). Each links to '
                          'the place where that page begins in this edition; a range links to its first page. '
                          'Page starts are certain where the source splits a paragraph, and inferred elsewhere '
                          '(see “About this text”).</p>', ""]
        letter = ""
        open_list = False
        for e in heads:
            first = norm(e.name)[:1].upper()
            if first.isalpha() and first > letter:
                if open_list:
                    out += ["</ul>", ""]
                letter = first
                out += [f"## {letter} {{: #ix-letter-{letter.lower()} }}", "", '<ul class="book-index">']
                open_list = True
            elif not open_list:
                out.append('<ul class="book-index">')
                open_list = True
            item = f'<li id="{e.ident}">{self.line(e, writer, heads)}'
            if e.children:
                item += '<ul>' + "".join(f'<li id="{c.ident}">{self.line(c, writer, heads)}</li>' for c in e.children) + "</ul>"
            out.append(item + "</li>")
        if open_list:
            out += ["</ul>", ""]
        return "\n".join(out) + "\n"


def structure_index(doc: Document, data_dir: Path) -> IndexBlock | None:
    """Replace a paginated book's flat Index with an IndexBlock and measure its accuracy."""
    pag = doc.pagination
    part = next((p for p in doc.parts if p.slug == "index"), None)
    if pag is None or part is None or not part.blocks or not isinstance(part.blocks[0], EntryList):
        return None
    path = data_dir / f"{doc.id}.yml"
    repairs = load_yaml(path, IndexRepairs) if path.exists() else IndexRepairs()
    flat = part.blocks[0]
    entries = structure(doc, flat.items, flat.levels or [0] * len(flat.items), repairs, path)
    block = IndexBlock(entries, pag, authors=anchor_bibliography(doc))
    heads = [e for e in entries if e.level == 0]
    for e in entries:
        for t in e.see:
            if resolve(t, heads) is None:
                doc.log("warning", "index_see_also", 0, before=t, note=f"'See also' target under '{e.name}' names no heading")
    words: dict[int, str] = {}
    for p in doc.parts:
        if p.slug in pag.parts:
            for page, ws in page_words(p).items():
                words[page] = norm(" ".join(ws))
    block.accuracy = measure(entries, pag, words)
    block.exact = measure(entries, pag, words, window=0)
    block.control = [measure(entries, pag, words, window=0, shift=d).rate for d in (-1, 1)]
    part.blocks = [block] + part.blocks[1:]
    doc.book_index = block
    doc.index_report = report_lines(block, pag)
    return block


def report_lines(block: IndexBlock, pag: Pagination) -> list[str]:
    acc: Accuracy = block.accuracy
    refs = [r for e in block.entries for r in e.refs]
    body = [r for r in refs if pag.part_of_page(r.first)]
    notes = [r for r in refs if not pag.part_of_page(r.first) and r.first in pag.notes]
    plain = [r for r in refs if not pag.part_of_page(r.first) and r.first not in pag.notes]
    lines = ["## viola: the Index", "",
             f"{len(block.entries)} entries ({sum(e.level == 0 for e in block.entries)} headings, "
             f"{sum(e.level == 1 for e in block.entries)} sub-entries), {len(refs)} page references: "
             f"{len(body)} linked to a page of the text, {len(notes)} linked to the notes of a chapter (pages "
             f"{min(pag.notes, default=0)}–{max(pag.notes, default=0)}), {len(plain)} left as plain text "
             f"(no page of this edition); {sum(len(e.see) for e in block.entries)} See/See also references; "
             f"{sum(1 for e in block.entries if e.level == 0 and PERSON.match(e.name) and (PERSON.match(e.name).group(1), PERSON.match(e.name).group(2)) in block.authors)} "
             "headings linked to their author's Bibliography entry.", "",
             f"**Accuracy:** {acc.hits} of {acc.total} references ({100 * acc.rate:.1f}%) link to a page that, "
             "with the page before or after it, mentions the heading's key word (of the significant words of the "
             "heading, or of the sub-entry, the one least frequent in the book).", "",
             f"On the linked page itself (no neighbours) {block.exact.hits} of {block.exact.total} "
             f"({100 * block.exact.rate:.1f}%) do. Control: moving every reference one page back or forward "
             f"drops that to {100 * block.control[0]:.1f}% / {100 * block.control[1]:.1f}%: evidence that the "
             "inferred page starts are right to the page, not only to the neighbourhood.", "",
             "| Part (of the linked page) | Hits | References | Hit rate | Hit rate on the page itself |",
             "|---|---|---|---|---|"]
    for slug in BODY_ORDER:
        if slug in acc.by_part:
            h, t = acc.by_part[slug]
            eh, et = block.exact.by_part[slug]
            lines.append(f"| {slug} | {h} | {t} | {100 * h / t:.1f}% | {100 * eh / et:.1f}% |")
    lines += ["", f"Misses to check by hand ({len(acc.misses)}): entry — reference — linked page — key words", ""]
    lines += [f"- {name} — {ref} — p. {page} — {keys}" for name, ref, page, keys in acc.misses]
    lines.append("")
    return lines
