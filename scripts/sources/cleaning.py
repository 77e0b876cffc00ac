"""Shared, named text-repair rules for the article parsers.

Every rule here fixes one kind of conversion damage found in the article sources (measured in
/work/shared/reference/seed-articles.md), and logs every single change through ``src.log``:

* ``remove_line``          – a whole chrome line (site labels, loading-time lines, JSTOR cover).
* ``remove_text``          – a piece of chrome inside a line (the author's e-mail address).
* ``strip_link_text``      – Cambridge Core's "Google Scholar" / "CrossRef" link labels in the notes.
* ``restore_range_dash``   – page ranges that lost their dash right before such a link ("313314").
* ``flag_lost_parenthesis``– citations whose closing ")" was lost before the pages (flag only).
* ``split_glued_words``    – words glued together where print line-ends were deleted (data list).
* ``join_text``            – rejoin a paragraph split by a page break (or a lead-in line).
* ``split_markers``        – turn note markers in running text into ``NoteRef`` segments.

Rules take the working text of ONE source line and return the repaired text; the caller keeps the
line number, so the log always points at the source line.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from scripts.core.datafile import load_yaml
from scripts.core.model import Damage, Inline, NoteRef
from scripts.sources.read import SourceText
from scripts.sources.schemas import GluedWordsFile

# --------------------------------------------------------------------------------------------
# Removals


def remove_line(src: SourceText, n: int, rule: str, note: str) -> None:
    """Drop source line ``n`` (chrome) from the edition, logging it verbatim.

    Example (Hatch l.1): ``Hostname: page-component-77c89778f8-vpsfw Total loading time: 0 …`` is
    the web page's server trace, not part of the article.
    """
    src.log("removal", rule, n, before=src.line(n), note=note)


def remove_text(src: SourceText, n: int, text: str, piece: str, rule: str, note: str) -> str:
    """Remove the literal ``piece`` from ``text`` (source line ``n``), logging it verbatim.

    Example (Goldman l.9): ``…, United States, e-mail: goldman@andrew.cmu.edu`` loses
    ``, e-mail: goldman@andrew.cmu.edu`` – the edition does not republish a personal address.
    Raises a BuildError if ``piece`` is not in the text (the source changed).
    """
    if piece not in text:
        raise src.error(n, f"expected {piece!r} on this line ({rule})", "the source changed: check the line and the parser")
    src.log("removal", rule, n, before=piece, note=note)
    return text.replace(piece, "", 1)


# --------------------------------------------------------------------------------------------
# Link text

LINK_TEXT = re.compile(r"\s*(?:CrossRefGoogle Scholar|Google Scholar|CrossRef)")


def strip_link_text(src: SourceText, n: int, text: str) -> str:
    """Remove Cambridge Core's reference-link labels, which the page copy turned into words.

    On the publisher's page every resolvable reference is followed by buttons labelled "Google
    Scholar" and "CrossRef"; the copied text keeps their labels, sometimes glued:
    ``… (Oxford, 1965)Google Scholar.`` -> ``… (Oxford, 1965).`` and
    ``… 280297.CrossRefGoogle Scholar`` -> ``… 280297.`` (Hatch l.36, before the dash repair).
    Whitespace in front of the label goes with it. Each label is logged as a removal.
    """
    def drop(m: re.Match) -> str:
        src.log("removal", "strip_link_text", n, before=m.group(0),
                note="reference-link label of the publisher's web page, not part of the note")
        return ""
    return LINK_TEXT.sub(drop, text)


# --------------------------------------------------------------------------------------------
# Lost-dash page ranges

LOST_RANGE = re.compile(r"(?<![\d,–-])(\d{4,8})(?![\d–-])(?=\s*\)?\.?\s*(?:CrossRef|Google))")
PAGE_ONE_MAX = 300


def range_readings(token: str) -> list[tuple[str, str]]:
    """All plausible ways to read a digit run as a page range ``a–b``.

    A reading splits the run into a first page ``a`` and a last page ``b`` (no leading zero,
    ``a < b``) and is plausible when it is *balanced* (``b`` has as many digits as ``a`` or one
    more: 313–314, 97–115), or when it runs *from page 1* to at most page 300 (1–135: a whole part
    cited from its start). Unbalanced readings such as 5–254 or 31–3314 are not plausible citations.
    """
    out = []
    for i in range(1, len(token)):
        a, b = token[:i], token[i:]
        if b.startswith("0") or int(a) >= int(b):
            continue
        balanced = len(b) in (len(a), len(a) + 1)
        from_one = a == "1" and int(b) <= PAGE_ONE_MAX
        if balanced or from_one:
            out.append((a, b))
    return out


def restore_range_dash(src: SourceText, n: int, text: str) -> str:
    """Put back the en dash of page ranges that lost it right before a reference link.

    The publisher linked the page range together with the reference, and the copied link span lost
    its dash: ``(New York: Vintage, 1971, 313314 Google Scholar`` (Hatch l.30) -> ``313–314``.
    Unlinked ranges keep their dash (``106–7``, ``48–52``), which is why only digit runs directly
    before ``Google Scholar``/``CrossRef`` are considered. A four-digit run that looks like a year
    (1800–2030) and is not after ``p.``/``pp.`` is a publication year whose ``)`` was lost, not a
    range (``1987 Google Scholar``), and is left alone.

    The dash is restored only where exactly one reading is plausible (see ``range_readings``).
    Otherwise nothing is changed and the run is logged as ``damage`` with its possible readings:
    ``1135`` (Hatch l.54) may be 11–35 or 1–135; ``1237`` (l.152) may be 12–37 or 1–237.
    Must run before ``strip_link_text`` (it needs the link label to find the range).
    """
    def fix(m: re.Match) -> str:
        tok = m.group(1)
        before = text[: m.start()]
        if len(tok) == 4 and 1800 <= int(tok) <= 2030 and not re.search(r"\bpp?\.\s*$", before):
            return tok
        readings = range_readings(tok)
        if len(readings) == 1:
            a, b = readings[0]
            src.log("correction", "restore_range_dash", n, before=tok, after=f"{a}–{b}",
                    note="page range lost its dash before a reference link")
            return f"{a}–{b}"
        options = " or ".join(f"{a}–{b}" for a, b in readings) or "no reading"
        src.log("damage", "restore_range_dash", n, before=tok,
                note=f"page range lost its dash; ambiguous ({options}), left as printed")
        return tok
    return LOST_RANGE.sub(fix, text)


# --------------------------------------------------------------------------------------------
# Lost closing parenthesis (flag only)


def flag_lost_parenthesis(src: SourceText, n: int, text: str) -> None:
    """Flag citations whose closing ``)`` was lost before the pages; change nothing.

    In the Hatch notes the publisher's link span swallowed the ``)`` together with the range dash:
    ``(New York: Vintage, 1971, 313314 Google Scholar`` should read ``… 1971), 313–314``. Where the
    ``)`` belongs is certain only to a reader with the book, so the edition prints what the source
    has and logs ``damage``. The check: in the stretch of text before a link label (since the
    previous label), more ``(``/``[`` are opened than closed.
    """
    start = 0
    for m in LINK_TEXT.finditer(text):
        stretch = text[start: m.start()]
        if stretch.count("(") > stretch.count(")"):
            tail = stretch[-40:].strip()
            src.log("damage", "flag_lost_parenthesis", n, before=tail,
                    note="the closing parenthesis of this citation seems lost before the pages; left as printed")
        start = m.end()


# --------------------------------------------------------------------------------------------
# Glued words (data list)


def load_glued_words(src: SourceText, key: str, path: Path | None = None) -> list[dict]:
    """Read the glued-word list for text ``key`` from data/glued_words.yml of the build reading ``src``,
    validated against its schema (``scripts.sources.schemas.GluedWordsFile``: errors name that file and line)."""
    path = path or src.data_dir / "glued_words.yml"
    if not path.exists():
        return []
    data = load_yaml(path, GluedWordsFile).root
    return [e.model_dump() for e in data.get(key, [])]


def split_glued_words(src: SourceText, n: int, text: str, entries: Iterable[dict]) -> str:
    """Split the words that the loss of print line-ends glued together, from a data list.

    ``Party-Worker Relationsand the ‘Vanguard Problem`` (Hatch l.36) -> ``Relations and``;
    ``12 December1922`` (l.50) -> ``December 1922``; ``1927.The`` (l.112) -> ``1927. The``.
    Which tokens are glues is a matter of judgement (names and Russian transliterations look
    similar), so the list is data (data/glued_words.yml), checked by hand; a token is only split
    where it stands alone (not inside a longer word). A listed token that is not on its line stops
    the build: the source or the list changed.
    """
    for e in entries:
        if int(e["line"]) != n or e.get("doubtful"):  # doubtful: reviewed, left as printed
            continue
        glued, split = e["glued"], e["split"]
        rx = re.compile(r"(?<![\w’'])" + re.escape(glued) + r"(?![\w])")
        hits = list(rx.finditer(text))
        if not hits:
            raise src.error(n, f"glued word {glued!r} listed in data/glued_words.yml is not on this line",
                            "correct the entry's line or token, or remove it")
        for _ in hits:
            src.log("correction", "split_glued_words", n, before=glued, after=split,
                    note=f"print line-end lost ({e.get('kind', 'word')} glue)")
        text = rx.sub(lambda m: split, text)
    return text


# --------------------------------------------------------------------------------------------
# Joins and markers


def join_text(src: SourceText, first: str, second: str, line_first: int, line_second: int,
              rule: str, note: str) -> str:
    """Rejoin two halves of one paragraph with a single space, logging the join.

    Example (Siegelbaum & Suny l.59/61): ``… between fascism and communism and the`` +
    ``radical difference between …`` – the printed page ended mid-sentence.
    """
    src.log("join", rule, line_first, before=first[-40:], after=second[:40],
            note=f"{note} (continues on line {line_second})")
    return first.rstrip() + " " + second.lstrip()


def split_markers(text: str, marker: re.Pattern) -> list[Inline]:
    """Split ``text`` at note markers (group 1 = the note number) into str and NoteRef segments."""
    out: list[Inline] = []
    pos = 0
    for m in marker.finditer(text):
        if m.start() > pos:
            out.append(text[pos: m.start()])
        out.append(NoteRef(m.group(1)))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def check_note_sequence(src: SourceText, numbers: list[tuple[int, str]], what: str = "note") -> None:
    """Stop the build unless the notes are numbered 1, 2, 3 … once each, in order.

    ``numbers`` is a list of (source line, label). A duplicate, a gap or a note out of order means
    the note list was damaged, and linking markers to notes would silently go wrong.
    """
    seen: dict[str, int] = {}
    for i, (line, label) in enumerate(numbers, 1):
        if label in seen:
            raise src.error(line, f"{what} {label} appears twice (first on line {seen[label]})",
                            "check the note numbering in the source; correct it with an entry in the text's corrections file (data/corrections/ID.yml, ID being the text's id in sources/sources.yml)")
        seen[label] = line
        if label != str(i):
            raise src.error(line, f"{what} {label} is out of order: expected {what} {i}",
                            "check the note numbering in the source; correct it with an entry in the text's corrections file (data/corrections/ID.yml, ID being the text's id in sources/sources.yml)")


def check_refs(src: SourceText, refs: list[tuple[int, str]], labels: set[str], every_note_referenced: bool = True) -> None:
    """Every marker must have a note, each note a marker (when the text has markers)."""
    for line, label in refs:
        if label not in labels:
            raise src.error(line, f"note marker {label} has no note", "check the marker and the note list in the source")
    seen: dict[str, int] = {}
    for line, label in refs:
        if label in seen:
            raise src.error(line, f"note marker {label} appears twice (first on line {seen[label]})",
                            "check the markers in the source")
        seen[label] = line
    if every_note_referenced:
        missing = sorted(labels - set(seen), key=lambda s: int(s) if s.isdigit() else 0)
        if missing:
            raise src.error(None, f"note(s) {', '.join(missing)} are never referenced in the text",
                            "check the markers in the source")


def nonblank(src: SourceText, first: int, last: int) -> list[int]:
    """Line numbers of the non-blank lines in [first, last]."""
    return [n for n in range(first, min(last, len(src.lines)) + 1) if src.line(n).strip()]


# --------------------------------------------------------------------------------------------
# Named chrome rules: each removes whole lines of one kind and logs them verbatim (rule = its name)


def strip_page_trace(src: SourceText, n: int) -> None:
    """Remove the web server trace copied with a Cambridge Core page.

    ``Hostname: page-component-77c89778f8-vpsfw Total loading time: 0 Render date: 2024-07-20T00:35:02.809Z …``
    (Hatch l.1, Goldman l.1) is a debugging line of the publisher's site, not part of the article.
    """
    remove_line(src, n, "strip_page_trace", "web server trace (host name, loading time) of the copied page")


def strip_site_label(src: SourceText, n: int, note: str = "") -> None:
    """Remove a label of the publisher's page layout (``Extract``, ``Abstract``, ``References``,
    ``Type``, ``Copyright``, ``Affiliation:``, ``## NOTES``).

    The edition prints its own headings ("Extract", "Notes") and shows the labelled values in
    "About this text", so the labels themselves are dropped. Example: Hatch l.26 ``References``.
    """
    remove_line(src, n, "strip_site_label", note or f"site label {src.line(n).strip()!r}")


def take_labelled_value(src: SourceText, front: list[int], i: int, key: str, metadata: dict[str, str]) -> int:
    """A publisher's label line (``Type``, ``Copyright``, ``Published online by…``) followed by its
    value: the label is dropped (:func:`strip_site_label`) and the next line kept as ``metadata[key]``
    for "About this text". ``front[i]`` is the label's line; returns the index of the value's line."""
    strip_site_label(src, front[i])
    metadata[key] = src.line(front[i + 1]).strip()
    return i + 1


def check_front_matter(src: SourceText, title, authors, abstract, missing_abstract: tuple[int | None, str, str]) -> None:
    """Stop if an article's front matter gave no title, author or abstract (the page layout changed):
    the edition would otherwise print a reading without its heading or the text it has rights to show."""
    if not title or not authors:
        raise src.error(1, "no title or author line found", "the file should start with the title and the author")
    if not abstract:
        raise src.error(*missing_abstract)


def move_to_metadata(src: SourceText, n: int, key: str) -> None:
    """Take a front-matter line out of the running text and keep its content as metadata.

    Title, byline, online date, masthead, reviewed books, licence statement and the JSTOR cover
    fields are facts about the text, shown in "About this text" rather than in the reading.
    Example: B.W. l.7 ``by Hiroaki Kuromiya`` -> metadata "reviewed book 1: author".
    """
    remove_line(src, n, "move_to_metadata", f"kept as {key!r} (title, authors or About this text)")


CAMBRIDGE_ONLINE = re.compile(r"^Published online by Cambridge University Press:\s*(.+)$")


def take_online_date(src: SourceText, n: int, line: str, metadata: dict[str, str]) -> bool:
    """Move a Cambridge Core ``Published online by Cambridge University Press: <date>`` line into
    the metadata ("published online"); return False if ``line`` is not such a line.

    Hatch l.5 and Goldman l.5 (with a no-break space before the date, normalised here).
    """
    m = CAMBRIDGE_ONLINE.match(line)
    if not m:
        return False
    metadata["published online"] = m.group(1).replace("\xa0", " ").strip()
    move_to_metadata(src, n, "published online")
    return True


def strip_paywall_chrome(src: SourceText, n: int) -> None:
    """Remove the paywall buttons of a Cambridge Core page.

    Hatch l.22 ``Access options`` and l.24 ``Get access to the full version of this content …``.
    """
    remove_line(src, n, "strip_paywall_chrome", "paywall buttons of the publisher's page")


def strip_web_buttons(src: SourceText, n: int) -> None:
    """Remove button text of the publisher's page: Goldman l.10 ``Rights & Permissions [Opens in a new window]``."""
    remove_line(src, n, "strip_web_buttons", "button of the publisher's web page")


def strip_licence_badge(src: SourceText, n: int) -> None:
    """Remove the licence badge's label and image alt text.

    Goldman l.18–19 ``Creative Commons`` / ``Creative Common License - CCCreative Common License - BY``:
    the licence itself is kept (metadata "licence" and the reading's rights line).
    """
    remove_line(src, n, "strip_licence_badge", "licence badge label / image alt text of the web page")


def strip_jstor_cover(src: SourceText, n: int, note: str) -> None:
    """Remove JSTOR's cover page: separators, the JSTOR notice and terms of use.

    Siegelbaum & Suny l.3–29, e.g. ``Your use of the JSTOR archive indicates your acceptance of the
    Terms & Conditions of Use …``. Its bibliographic fields (Source, Stable URL …) are kept as metadata.
    """
    remove_line(src, n, "strip_jstor_cover", note)


def strip_running_footer(src: SourceText, n: int) -> None:
    """Remove the printed page's running footer, which the PDF conversion put inside a paragraph.

    Siegelbaum & Suny l.47/49/51: ``*International Labor and Working-Class History*`` /
    ``No. 43, Spring 1993, pp. 65–76`` / ``© 1993 …`` between ``“In the`` and ``USSR, in our view,”``.
    """
    remove_line(src, n, "strip_running_footer", "running footer of the printed page, inside a split paragraph")


def strip_figure_trailer(src: SourceText, n: int) -> None:
    """Remove the duplicate figure list after the notes of a Cambridge Core full text.

    Goldman l.238–248: ``Figure 0`` / ``Figure 1. … women's labor.Courtesy of philatelist …`` – the
    captions again, with labels off by one and the credit glued on. The inline figures keep them.
    """
    remove_line(src, n, "strip_figure_trailer",
                "duplicate of the inline figure captions (labels off by one, caption and credit glued)")


def strip_author_asterisk(src: SourceText, n: int, name: str, note: str) -> str:
    """Take the asterisk off an author's name (``John B. Hatch*`` -> ``John B. Hatch``), logging it.

    On the page the asterisk links to an author note (Hatch: the unnumbered acknowledgement,
    kept as Note "*"); in the authors list it would be read as part of the name.
    """
    if not name.endswith("*"):
        return name
    src.log("removal", "strip_author_asterisk", n, before="*", note=note)
    return name[:-1].rstrip()


def drop_email_address(src: SourceText, n: int, text: str) -> str:
    """Remove a personal e-mail address from an affiliation line.

    Goldman l.9 ``…, United States, e-mail: goldman@andrew.cmu.edu`` -> ``…, United States``: the
    edition does not republish personal addresses.
    """
    m = re.search(r",?\s*e-mail:\s*\S+@\S+", text)
    if not m:
        return text
    return remove_text(src, n, text, m.group(0), "drop_email_address",
                       "the author's e-mail address is not republished in the edition")


def rejoin_page_break(src: SourceText, first: str, second: str, line_first: int, line_second: int, note: str) -> str:
    """Rejoin a paragraph that a printed page break split in two.

    Siegelbaum & Suny l.59/61: ``… between fascism and communism and the`` + ``radical difference
    between …``. The first half stops without terminal punctuation and the second starts in lower
    case (or after the running footer).
    """
    return join_text(src, first, second, line_first, line_second, "rejoin_page_break", note)


def join_lead_in_line(src: SourceText, first: str, second: str, line_first: int, line_second: int, note: str) -> str:
    """Join a lead-in line set on its own line (no blank line) to the paragraph it begins.

    B.W. l.20/21: ``The Best Sons of the Fatherland by`` + ``L. Viola is the history …``. Joined as
    plain text (the title's lost italics are not restored).
    """
    return join_text(src, first, second, line_first, line_second, "join_lead_in_line", note)


def flag_lost_text(src: SourceText, n: int, text: str, description: str) -> Damage:
    """Flag a paragraph that stops mid-sentence where the rest is lost; return the Damage block.

    B.W. l.45 ends ``… the mass movements that would be required to build`` and l.47 starts a new
    topic: this is lost text, not a page break, so nothing is joined and nothing is invented.
    """
    src.log("damage", "flag_lost_text", n, before=text[-60:],
            note="the paragraph stops mid-sentence and the next paragraph starts a new topic: text is lost in the source")
    return Damage(description, line=n)
