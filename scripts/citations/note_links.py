"""Stage (after render): link the citations in the notes to the bibliography, to other notes and to
the readings themselves.

Viola's notes cite a work in full once ("V. M. Selunskaiia, *Rabochie-dvadsatipiatitsiachniki*
(Moscow: MGU, 1964), p. 43") and then in short form ("Selunskaiia, *Rabochie-…*, p. 75"). A citation
is linked only when it identifies one bibliography entry without doubt, in the manner of eyecite's
resolver: the author's surname (spelling variants of a transliteration allowed) must name an author
of the entry, and the cited (short) title must be the beginning of, or a run of words in, the entry's
title; when two entries remain, the year printed after a full citation decides, else the citation is
left unlinked as ambiguous. "Ibid." links to the note it repeats (the one before); "see n. 42 above"
and "See chap. 1, n. 19" link to that note. Only the surname (or "Ibid.", or "n. 42") becomes the
link (raw HTML ``<a class="cite-link">``), so glossary markup inside titles is never nested in a link and no word of the note changes.

The articles' notes (no italics; "Viola, Lynne, The Best Sons of the Fatherland …") are matched the
other way round: an entry is cited where its author's surname is followed, within the same citation,
by the first words of its title. A citation of one of the five readings links to that reading.

Every decision is counted for the build report: notes scanned, citations linked, and citations left
unlinked with the reason.
"""
from __future__ import annotations

import difflib
import functools
import html
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from scripts.citations.bibtex import Bibliography, Entry
from scripts.glossary import cited_marks
from scripts.core.links import GLOSSARY_PAGE, relative
from scripts.core.model import Page

BIB_PAGES = {"readings": "bibliography/index.md", "viola-bibliography": "bibliography/viola.md",
             "cited-works": "bibliography/cited-works.md"}
ARTICLES = {"the", "a", "an"}
FOOTNOTE = re.compile(r"^\[\^(\d+)\]: (.*)$", re.M)
HATCH_NOTE = re.compile(r'^<div class="note-entry" id="note-(\d+)" markdown>\n\n\*\*\d+\.\*\* (.*)$', re.M)
TITLE = r'(?P<title>\*[^*]+\*|"[^"]+"|“[^”]+”)'
GIVEN = r"(?:(?:[A-Z][a-z]?\.|[A-Z][a-z]{1,2}\.)\s?)+|[A-Z][a-z]+(?: [A-Z][a-z]?\.)*"
FAMILY = r"[A-Z][\w'’-]*[a-z][\w'’-]*"
FULL = re.compile(rf"(?:^|(?<=[\s(]))(?P<given>{GIVEN}) (?P<family>{FAMILY})(?P<co>(?:,? and (?:{GIVEN}) {FAMILY})*)"
                  rf"(?:, eds?\.)?(?: et al\.)?, {TITLE}")
SHORT = re.compile(rf"(?:^|(?<=[\s(]))(?P<family>{FAMILY})(?: and {FAMILY})?(?: et al\.)?, {TITLE}")
IBID = re.compile(r"\bIbid\.?|\bibid\.?")
CROSS_CHAP = re.compile(r"\bchap\. (?P<chap>\d+), nn?\. ?(?P<note>\d+)")
CROSS_NOTE = re.compile(r"\b(?:see|See) (?:also )?nn?\. (?P<note>\d+)(?: above| below)?|\bn\. (?P<note2>\d+) (?:above|below)")


def fold(text: str) -> str:
    """Lower case, no diacritics, letters and digits only: 'Sel'skokhoziaistvennaia' -> 'selskokhoziaistvennaia'."""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    return "".join(ch for ch in text.lower() if ch.isalnum() and ch.isascii())


def title_letters(title: str) -> str:
    words = re.sub(r"<[^>]+>|[*\"“”]", " ", title).split()
    while words and words[0].lower() in ARTICLES:
        words = words[1:]
    return fold("".join(words))


def strip_markup(md: str) -> tuple[str, list[int], set[int]]:
    """Markdown/HTML of a note -> its plain text (tags dropped, escapes and entities undone), for each
    plain character its index in ``md``, and the plain positions where a tag lay before the character."""
    plain, index, cuts = [], [], set()
    i = 0
    while i < len(md):
        ch = md[i]
        if ch == "<":
            j = md.find(">", i)
            i = (j if j >= 0 else len(md) - 1) + 1
            cuts.add(len(plain))
            continue
        if ch == "\\" and i + 1 < len(md):
            i += 1
            ch = md[i]
        elif ch == "&":
            m = re.match(r"&(#\d+|#x[0-9a-f]+|\w+);", md[i:])
            if m:
                plain.append(html.unescape(m.group(0)))
                index.append(i)
                i += len(m.group(0))
                continue
        plain.append(ch)
        index.append(i)
        i += 1
    return "".join(plain), index, cuts


@dataclass
class Link:
    """One link made in a note: from (page, note anchor) to a bibliography entry, a note or a reading."""

    page: str
    note: str                 # "fn:12", "note-63"
    kind: str                 # "entry", "ibid", "note", "reading"
    target: str               # entry key, or "page#anchor"
    text: str


@dataclass
class Stats:
    notes: Counter = field(default_factory=Counter)
    linked: Counter = field(default_factory=Counter)
    unlinked: Counter = field(default_factory=Counter)
    samples: dict = field(default_factory=lambda: defaultdict(list))


class Index:
    """The bibliography's entries indexed by folded surname of each author or editor."""

    def __init__(self, bib: Bibliography) -> None:
        self.bib = bib
        self.by_name: dict[str, list[Entry]] = defaultdict(list)
        self.untitled_authors: list[Entry] = []
        for e in bib.entries.values():
            names = e.names("author") + e.names("editor")
            if not names:
                self.untitled_authors.append(e)
            for n in names:
                key = fold(n.get("family") or n.get("literal", ""))
                if key and e not in self.by_name[key]:
                    self.by_name[key].append(e)

    def surname(self, family: str) -> list[Entry]:
        """Entries by an author of that surname, with the transliteration variants the notes use
        for the same person (Ivinskii, Ivnikskii, Ivnitiskii for Ivnitskii; Isbakh for Isbach)."""
        key = fold(family)
        names = [key] if key in self.by_name else []
        if len(key) >= 5:
            names += [c for c in _close_names(key, self.names) if c[0] == key[0] and c not in names]
        return [e for c in names for e in self.by_name[c]]

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(self.by_name)


@functools.lru_cache(maxsize=4096)
def _close_names(key: str, names: tuple[str, ...]) -> list[str]:
    """Surnames spelled nearly like ``key`` (difflib, slow: cached for the build and while serving)."""
    return difflib.get_close_matches(key, names, n=5, cutoff=0.8)


def _words(title: str) -> list[str]:
    words = [fold(w) for w in re.sub(r"<[^>]+>|[*\"“”]", " ", title).split()]
    words = [w for w in words if w]
    while words and words[0] in ARTICLES:
        words = words[1:]
    return words


def _similar(a: str, b: str) -> bool:
    return a == b or (len(a) >= 6 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)


def title_matches(cited: str, entry: Entry) -> int:
    """How well a cited (short) title names an entry's title, compared letter by letter without
    spaces or punctuation and allowing a few spelling variants of a transliteration:
    3 = the cited words are the entry title's first words; 2 = its letters begin the title;
    1 = they are a run inside it (Selunskaiia, *Oktiabr'*); 0 = no match."""
    return _title_score(cited, entry.display("title"))


@functools.lru_cache(maxsize=16384)
def _title_score(cited: str, title: str) -> int:
    want, have = title_letters(cited), title_letters(title)
    if not want or not have:
        return 0
    if re.fullmatch(r"[A-Z]{2,6}", re.sub(r"[*\"“”]", "", cited)):          # PSS = Polnoe sobranie sochinenii
        initials = "".join(w[0] for w in re.sub(r"<[^>]+>", "", title).split() if w[0].isalpha())
        return 3 if initials.lower().startswith(want) else 0
    cw, hw = _words(cited), _words(title)
    if cw and len(cw) <= len(hw) and all(_similar(a, b) for a, b in zip(cw, hw)):
        return 3
    prefix = have[: len(want)]
    if _similar(want, prefix):
        return 2
    if len(want) >= 5 and want in have:
        return 1
    if len(want) >= 10:
        m = difflib.SequenceMatcher(None, want, have).find_longest_match(0, len(want), 0, len(have))
        if m.size >= 0.85 * len(want):
            return 1
    return 0


QUOTED_TYPES = {"article", "incollection", "inbook", "phdthesis", "unpublished"}


def resolve(index: Index, family: str, title: str, year: str | None) -> tuple[Entry | None, str]:
    """One citation -> (entry, "") or (None, reason). Chicago's typography also decides: an
    italic title is a book's, a quoted one an article's, chapter's or dissertation's."""
    candidates = index.surname(family)
    if not candidates:
        return None, "author not in the bibliography"
    quoted = not title.startswith("*")
    typed = [e for e in candidates if (e.type in QUOTED_TYPES) == quoted]
    scored = [(title_matches(title, e), e) for e in (typed or candidates)]
    best = max(s for s, _ in scored)
    if best == 0 and len(typed) == 1:
        # the author's only work of that kind, under a variant spelling of its title
        want = title_letters(title)
        have = title_letters(typed[0].display("title"))[: len(want)]
        if len(want) >= 8 and difflib.SequenceMatcher(None, want, have).ratio() >= 0.75:
            return typed[0], ""
    if best == 0:
        return None, "title not in the bibliography"
    hits = [e for s, e in scored if s == best]
    if len(hits) > 1 and year:
        dated = [e for e in hits if e.display("year")[:4] == year]
        if len(dated) == 1:
            hits = dated
    if len(hits) > 1:
        return None, "ambiguous"
    return hits[0], ""


class NoteLinker:
    """Links the notes of the reading pages; records every link for "cited in" and the report."""

    def __init__(self, bib: Bibliography, reading_pages: dict[str, str]) -> None:
        self.bib = bib
        self.index = Index(bib)
        self.reading_pages = reading_pages          # bibkey of a reading -> its landing page
        self.links: list[Link] = []
        self.stats = Stats()

    def fork(self) -> "NoteLinker":
        """A linker on the same bibliography with no links or counts yet: one reading's share, kept
        apart so that it can be reused (see :meth:`absorb`)."""
        other = NoteLinker.__new__(NoteLinker)
        other.bib, other.index, other.reading_pages = self.bib, self.index, self.reading_pages
        other.links, other.stats = [], Stats()
        return other

    def absorb(self, part: "NoteLinker") -> None:
        """Add a forked linker's links and counts to this one, in order."""
        self.links += part.links
        self.stats.notes.update(part.stats.notes)
        self.stats.linked.update(part.stats.linked)
        self.stats.unlinked.update(part.stats.unlinked)
        for key, samples in part.stats.samples.items():
            self.stats.samples[key] += samples

    def target_url(self, page: str, key: str) -> str:
        if key in self.reading_pages:
            return relative(page, self.reading_pages[key])
        return relative(page, BIB_PAGES[self.bib.entries[key].group]) + "#" + key

    # -- Viola ---------------------------------------------------------------------------------
    def link_viola(self, pages: list[Page], text_id: str) -> None:
        chapter_pages = {re.sub(r"\D", "", p.path.rsplit("/", 1)[-1]): p.path for p in pages if "/chapter-" in p.path}
        for page in pages:
            page.markdown = FOOTNOTE.sub(lambda m: self._viola_note(page.path, m, chapter_pages, text_id), page.markdown)
            settle_page(page)

    def _viola_note(self, path: str, m: re.Match, chapter_pages: dict[str, str], text_id: str) -> str:
        number, md = int(m.group(1)), m.group(2)
        note = f"fn:{number}"
        self.stats.notes[text_id] += 1
        plain, index, cuts = strip_markup(md)
        spans: list[tuple[int, int, str, str, str, str]] = []   # plain start, end, url, title, kind, target
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        for cm in IBID.finditer(plain):
            if number > 1 and free(cm.start(), cm.end()):
                spans.append((cm.start(), cm.end(), f"#fn:{number - 1}", f"Note {number - 1}", "ibid", f"{path}#fn:{number - 1}"))
                taken.append((cm.start(), cm.end()))
        for cm in CROSS_CHAP.finditer(plain):
            target = chapter_pages.get(cm.group("chap"))
            if target:
                url = relative(path, target) + f"#fn:{cm.group('note')}"
                spans.append((cm.start(), cm.end(), url, f"Chapter {cm.group('chap')}, note {cm.group('note')}", "note",
                              f"{target}#fn:{cm.group('note')}"))
                taken.append((cm.start(), cm.end()))
        for cm in CROSS_NOTE.finditer(plain):
            n = cm.group("note") or cm.group("note2")
            a = cm.start("note") if cm.group("note") else cm.start("note2")
            a = plain.rfind("n", 0, a)
            if free(a, cm.end()):
                spans.append((a, cm.end(), f"#fn:{n}", f"Note {n}", "note", f"{path}#fn:{n}"))
                taken.append((a, cm.end()))
        found = []
        for regex in (FULL, SHORT):
            for cm in regex.finditer(plain):
                a, b = cm.start("family"), cm.end("family")
                if free(cm.start(), cm.end()):
                    found.append((cm, a, b, regex is SHORT))
                    taken.append((cm.start(), cm.end()))
        for cm, a, b, short in sorted(found, key=lambda x: x[1]):
            family, title = cm.group("family"), cm.group("title")
            after = plain[cm.end(): cm.end() + 80]
            year = re.match(r"\s*\([^)]*?(\d{4})\)", after)
            entry, reason = resolve(self.index, family, title, year.group(1) if year else None)
            if entry is None:
                self.stats.unlinked[(text_id, reason)] += 1
                if len(self.stats.samples[(text_id, reason)]) < 400:
                    self.stats.samples[(text_id, reason)].append(f"{path} n. {number}: {family}, {title}")
                continue
            # A short form ("Selunskaiia, Rabochie, p. 3") gets the full title as a tooltip; a full
            # citation prints the title right after the link, so repeating it in an attribute only
            # weighs the page (140 notes in a chapter: issue 11's page-weight target).
            title_attr = "Bibliography: " + re.sub(r"<[^>]+>", "", entry.display("title")) if short else ""
            spans.append((a, b, self.target_url(path, entry.key), title_attr, "entry", entry.key))
        return m.group(0)[: m.start(2) - m.start(0)] + self._apply(md, index, cuts, spans, path, note, text_id)

    def _apply(self, md: str, index: list[int], cuts: set[int], spans, path: str, note: str, text_id: str) -> str:
        """Wrap each span of plain text in a Markdown link, from the end so indices stay valid."""
        for a, b, url, title, kind, target in sorted(spans, key=lambda s: s[0], reverse=True):
            if any(c in cuts for c in range(a + 1, b)):
                self.stats.unlinked[(text_id, "citation crosses markup")] += 1
                continue
            start, end = index[a], index[b - 1] + 1
            text = md[start:end]
            # raw HTML, as the glossary's links: MkDocs checks Markdown links against its page list,
            # and the targets (footnote and bibliography ids) are not known to it
            title_attr = f' title="{html.escape(title)}"' if title else ""
            md = (md[:start] + f'<a class="cite-link cite-{kind}" href="{html.escape(url)}"{title_attr}>'
                  + text + "</a>" + md[end:])
            self.links.append(Link(path, note, kind, target, re.sub(r"\\(.)", r"\1", text)))
            self.stats.linked[(text_id, kind)] += 1
        return unnest_glossary_links(md)

    # -- the articles -----------------------------------------------------------------------------
    def link_article(self, page: Page, text_id: str) -> None:
        """Find, in each note of an article, the entries cited there (surname then title words)."""
        regex = HATCH_NOTE if 'class="note-entry"' in page.markdown else FOOTNOTE
        prefix = "note-" if regex is HATCH_NOTE else "fn:"

        def one(m: re.Match) -> str:
            md = m.group(2)
            note = f"{prefix}{m.group(1)}"
            self.stats.notes[text_id] += 1
            plain, index, cuts = strip_markup(md)
            spans = []
            for seg_start, seg in _segments(plain):
                for entry in self._article_hits(seg):
                    family = self._family_in(entry, seg)
                    if family is None:
                        continue
                    a = seg_start + family[0]
                    kind = "reading" if entry.key in self.reading_pages else "entry"
                    title = ("This edition: " if kind == "reading" else "Bibliography: ") + re.sub(r"<[^>]+>", "", entry.display("title"))
                    if all(a >= s[1] or a + family[1] <= s[0] for s in spans):
                        spans.append((a, a + family[1], self.target_url(page.path, entry.key), title, kind, entry.key))
            return m.group(0)[: m.start(2) - m.start(0)] + self._apply(md, index, cuts, spans, page.path, note, text_id)

        page.markdown = regex.sub(one, page.markdown)
        settle_page(page)

    def _article_hits(self, seg: str) -> list[Entry]:
        """Entries whose author's surname and then title stand in one citation of a note: the title's
        first 22 letters (a full citation), or its main title when that is at least 10 letters long (a
        short form such as Goldman's "Hagenloh, Stalin's Police, pp. 227–287", or a citation that the
        split at sentence ends cut after "Organizovannyi golod.")."""
        hits, short_only = [], {}
        letters = fold(seg)
        for name, entries in self.index.by_name.items():
            if len(name) < 3 or name not in letters:
                continue
            after = letters[letters.find(name):]
            for e in entries:
                title = e.display("title")
                t = title_letters(title)[:22]
                main = title_letters(re.split(r":\s|\.\s", title, maxsplit=1)[0])
                full = len(t) >= 10 and t in after
                if (full or (len(main) >= 10 and main in after)) and e not in hits:
                    hits.append(e)
                    if not full:
                        short_only[e.key] = main
        # a main title shared by two works (Kotkin's dissertation and book "Magnetic Mountain"): the one
        # cited in full wins over the one only its main title matches
        fulls = [e for e in hits if e.key not in short_only]
        hits = [e for e in hits if e.key not in short_only or not any(
            title_letters(re.split(r":\s|\.\s", o.display("title"), maxsplit=1)[0]) == short_only[e.key] for o in fulls)]
        # a title that is the beginning of a longer cited title (Filtzer's two "Soviet Workers and …") yields to it
        return [e for e in hits if not any(o is not e and title_letters(o.display("title")).startswith(
            title_letters(e.display("title"))) and title_letters(o.display("title"))[:40] in letters for o in hits)]

    @staticmethod
    def _family_in(entry: Entry, seg: str) -> tuple[int, int] | None:
        for n in entry.names("author") + entry.names("editor"):
            fam = n.get("family") or n.get("literal", "")
            m = re.search(rf"\b{re.escape(fam)}\b", seg)
            if m:
                return m.start(), len(fam)
        return None

    # -- headers: the 1998 review names the two books it reviews -----------------------------------
    def link_header(self, page: Page, text_id: str) -> None:
        """A reviewed book's title in the landing page's source facts links to the reading or entry."""
        def one(m: re.Match) -> str:
            title = m.group(2)
            for e in self.bib.entries.values():
                if fold(e.display("title")) == fold(title):
                    url = self.target_url(page.path, e.key)
                    kind = "reading" if e.key in self.reading_pages else "entry"
                    self.links.append(Link(page.path, "header", kind, e.key, title))
                    self.stats.linked[(text_id, kind)] += 1
                    return f'{m.group(1)}<a class="cite-link cite-{kind}" href="{url}">{title}</a></dd>'
            return m.group(0)
        page.markdown = re.sub(r"(<dt>Reviewed book \d+: title</dt><dd>)([^<]+)</dd>", one, page.markdown)


def _segments(plain: str):
    """A note's citations: pieces split at ';' and at sentence ends (not after an initial: "E. H.
    Carr"), each with its offset in the note. Parentheses are not trusted: Hatch's source lost
    thirteen closing ones."""
    start = 0
    for i, ch in enumerate(plain):
        if i + 1 < len(plain) and plain[i + 1] == " " and (
                ch == ";" or (ch == "." and i + 2 < len(plain) and plain[i + 2].isupper()
                              and not re.search(r"(?:^|[\s.])[A-Z]$", plain[max(0, i - 2):i]))):
            yield start, plain[start:i + 1]
            start = i + 2
    if start < len(plain):
        yield start, plain[start:]


def report_lines(stats: Stats, links: list[Link]) -> list[str]:
    """The build report's section on note citations."""
    lines = ["## Citations in the notes", "",
             "| Text | notes scanned | linked to an entry | linked to a reading | Ibid. linked | note cross-references linked |",
             "|---|---|---|---|---|---|"]
    for text_id, notes in sorted(stats.notes.items()):
        l = stats.linked
        lines.append(f"| {text_id} | {notes} | {l[(text_id, 'entry')]} | {l[(text_id, 'reading')]} | "
                     f"{l[(text_id, 'ibid')]} | {l[(text_id, 'note')]} |")
    lines += ["", "Citations left unlinked, with the reason:", ""]
    for (text_id, reason), n in sorted(stats.unlinked.items()):
        lines.append(f"- {text_id}: {reason} × {n}")
    lines.append("")
    for (text_id, reason), samples in sorted(stats.samples.items()):
        lines += [f"### Unlinked in {text_id}: {reason}", ""] + [f"- {s}" for s in samples] + [""]
    return lines


def linked_share(stats: Stats, text_id: str = "viola") -> float:
    """Linked citations / citations naming an author in the bibliography (the test holds this)."""
    linked = stats.linked[(text_id, "entry")]
    named = linked + stats.unlinked[(text_id, "title not in the bibliography")] + stats.unlinked[(text_id, "ambiguous")] \
        + stats.unlinked[(text_id, "citation crosses markup")]
    return linked / named if named else 0.0


def unnest_glossary_links(md: str) -> str:
    """A link may not hold another: where a cited surname is also a glossary entry (a person of the
    who's who), the citation link wins and the glossary mark becomes ``span.gl-cited``
    (scripts/glossary/cited_marks.py, which also gives the section its link back: see :func:`settle_page`)."""
    return cited_marks.unnest(md)


def settle_page(page: Page) -> None:
    """After a page's notes are linked: where a section's first glossary mark became
    ``span.gl-cited``, its next occurrence outside a citation becomes the glossary link."""
    page.markdown = cited_marks.promote(page.markdown, relative(page.path, GLOSSARY_PAGE))
