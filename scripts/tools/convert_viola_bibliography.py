"""One-off converter: Viola's printed Bibliography (sections IV–VIII) -> bib/viola-bibliography.bib.

Run once, by hand::

    python -m scripts.tools.convert_viola_bibliography > bib/viola-bibliography.bib

Its output is committed and then reviewed and corrected by hand like any data file; the build reads
the .bib file, never this script. It reads the Bibliography part as the Viola parser produces it
(broken bullet italics repaired, the split Bakst entry rejoined, corrections applied), so every
value is the book's own text. Sections I–III (archival fonds, newspapers, journals) are not
bibliographic entries and stay as the structured lists on the reading's Bibliography page.

What it does to each printed entry, and nothing more:

- the repeated-author placeholder (``- .`` / ``_____.``) takes the author of the entry above;
- ``Author. *Title*. … Place: Publisher, Year.`` -> ``@book``; ``Author. "Title." *Journal*, vol.
  N, no. M (Year).`` -> ``@article``; ``Author. "Title." [In] *Book*[, edited by X]. … Place:
  Publisher, Year.`` -> ``@incollection``; ``"Title." Diss. University, Year.`` -> ``@phdthesis``;
- whatever of the entry it cannot place in a field is kept verbatim in ``note`` (``2 vols.``,
  ``Translated by …``, ``vyp. 15, no. 2``), so nothing is dropped;
- ``langid`` is ``english`` when the title reads as English, else ``russian`` (so citation styles
  do not title-case transliterated Russian); ``keywords`` names the Bibliography section.

Spellings are the book's (``Selunskaiia``, ``Ivnikskii``): variants are matched by the note linker,
not "fixed" here.
"""
from __future__ import annotations

import re
import sys
import unicodedata

from scripts.core.model import EntryList, Heading
from scripts.paths import Paths
from scripts.pipeline import parse_text
from scripts.sources.manifest import load_manifest

SECTIONS = {
    "IV": "Viola bibliography IV: collections of laws, published documents, statistics",
    "V": "Viola bibliography V: pamphlets, contemporary works, speeches, memoirs, handbooks, literary works",
    "VI": "Viola bibliography VI: secondary sources on the 25,000ers",
    "VII": "Viola bibliography VII: selected secondary sources in Russian",
    "VIII": "Viola bibliography VIII: selected secondary sources in English",
}
ENGLISH = re.compile(r"\b(the|of|and|in|on|a|to|is|from|as|its|at|be|what|was|for)\b", re.I)
STOP = {"the", "a", "an", "of", "on", "in", "o", "v", "k", "i", "iz", "na", "po", "za", "and", "s"}
YEAR_END = re.compile(r", (?P<year>\d{4}(?:[–-]\d{2,4})?|n\.d\.)\.?(?=\s|$)")
PLACE = re.compile(r"(?:^|(?<=\. ))(?P<place>[A-Z][\w'’-]*(?: [A-Za-z][\w'’-]*)*(?:, [A-Z][a-z]*\.(?: ?[A-Z]\.)*)?)$")


def ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isascii() and (ch.isalnum()))


def split_authors(text: str) -> tuple[list[str], str]:
    """'Danilov, V. P.; Kim, M. P.; and Tropkin, N. V., eds.' -> (['Danilov, V. P.', …], 'editor')."""
    role = "author"
    text = text.strip().rstrip(".").strip()
    m = re.search(r",? (eds?)\.?$", text)
    if m:
        role = "editor"
        text = text[: m.start()]
    others = False
    if text.endswith(", et al"):
        others, text = True, text[: -len(", et al")]
    if ";" in text:
        parts = [p.strip() for p in re.split(r";\s*(?:and\s+)?", text)]
    else:
        # "Belonosov, I. I., and Ivnikskii, N. A." : split on ", and "
        parts = [p.strip() for p in re.split(r",? and ", text)]
    names = []
    for p in parts:
        p = p.strip().rstrip(",")
        if p and not p.endswith(".") and re.search(r"\b[A-Z][a-z]?$", p):
            p += "."          # initials lose their final period where the sentence ends ("Mirabo Iu.")
        if p != "others" and "," not in p and re.match(r"^[\w'’-]+ (?:[A-Z][a-z]?\. ?)+$", p):
            p = re.sub(r" ", ", ", p, count=1)    # "Mirabo Iu." (no comma in print) -> "Mirabo, Iu."
        names.append(p)
    if others:
        names.append("others")
    return names, role


def bib_escape(value: str) -> str:
    """Markdown italics -> \\emph{}; BibTeX-special characters protected; braces balanced."""
    value = re.sub(r"\*([^*]+)\*", r"\\emph{\1}", value)
    value = value.replace("&", r"\&").replace("%", r"\%").replace("#", r"\#")
    return value


def english(title: str) -> bool:
    return len(ENGLISH.findall(title)) >= 1 and not re.search(r"\b(v|i|na|po|za|iz)\b", title)


def key_for(names: list[str], title: str, year: str, used: set[str]) -> str:
    surname = ascii_fold(names[0].split(",")[0]).lower() if names else ""
    words = [ascii_fold(w).lower() for w in re.split(r"[\s\-–—/.,:;()\"“”‘*]+", title.replace("'", "").replace("’", ""))]
    words = [w for w in words if w and w not in STOP and not w.isdigit()]
    if not surname:
        surname = words[0] if words else "anon"
        words = words[1:]
    first = words[0] if words else "untitled"
    base = f"{surname}{(year or 'nd')[:4] if year[:4].isdigit() else 'nd'}{first}"[:40]
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}{chr(ord('a') + n - 1)}"
    used.add(key)
    return key


def parse_entry(text: str, last_author: str) -> dict:
    """One printed entry -> fields (values still in the book's own text)."""
    fields: dict[str, str] = {}
    body = text.strip()
    author_part = ""
    m = re.match(r"^(?:_____\.|———\.|\.)\s+", body)
    if m:
        author_part = last_author
        body = body[m.end():]
    elif not body.startswith(("*", '"', "“")):
        m = re.match(r"^(.+?\.)\s+(?=[*\"“])", body)
        if m:
            author_part = m.group(1)
            body = body[m.end():]
    fields["_author_text"] = author_part
    # title
    m = re.match(r'^(?:"(?P<q1>.+?)"|“(?P<q2>.+?)”)\s*(?P<rest>.*)$', body)
    if m:
        fields["_quoted"] = "1"
        title = (m.group("q1") or m.group("q2")).rstrip(",")
        # the period inside the closing quote is Chicago's punctuation, not the title's,
        # unless it ends an abbreviation ("… za 1917–29 gg.")
        if title.endswith(".") and not re.search(r"(?<=\s)(?:[a-z]{1,3}|[A-Z])\.$", title):
            title = title[:-1]
        fields["title"] = title
        rest = m.group("rest").lstrip(". ")
    else:
        m = re.match(r"^\*(?P<t>.+?)\*(?P<rest>.*)$", body)
        if not m:
            fields["title"] = body
            fields["_unparsed"] = body
            return fields
        title, rest = m.group("t"), m.group("rest")
        # an italic title continued by further italic spans: "*Kolkhoz "Krasnyi meliorator."* (*Kak kulak …*)"
        while re.match(r"^\.?\s*\(?\*[^*]+\*\)?", rest) and not re.match(r"^\.\s*\*[^*]+\*\.", rest):
            mm = re.match(r"^(\.?\s*\(?)\*([^*]+)\*(\)?)", rest)
            title += f"{mm.group(1)}*{mm.group(2)}*{mm.group(3)}"
            rest = rest[mm.end():]
        fields["title"] = title.rstrip(".").strip()
        rest = rest.lstrip(". ")
    fields["_rest"] = rest
    return fields


def classify(fields: dict) -> tuple[str, dict]:
    """Decide the entry type from what follows the title and fill the remaining fields."""
    rest = fields.pop("_rest", "")
    quoted = fields.pop("_quoted", "")
    out = dict(fields)
    if "_unparsed" in out:
        return "misc", out
    if quoted and rest.startswith("Diss. "):
        m = re.match(r"Diss\. (.+?), (\d{4})\.?$", rest)
        out.update(school=m.group(1), year=m.group(2))
        return "phdthesis", out
    if quoted:
        m = re.match(r"^(?:In )?\*(?P<cont>[^*]+)\*(?P<after>.*)$", rest)
        if not m:
            out["note"] = rest
            return "misc", out
        cont, after = m.group("cont").rstrip("."), m.group("after")
        if cont.endswith(","):          # "*Uch. zap. …,* vyp. 1 (1958)": the comma inside the italics
            cont, after = cont[:-1], "," + after
        art = re.match(r"^,\s*(?P<loc>[^()]*?)\s*\((?P<date>[^)]*?(?P<year>\d{4})[^)]*)\)\.?$", after)
        if art and not re.search(r"[:]", after):
            out["journal"] = cont
            out["year"] = art.group("year")
            date = art.group("date").replace(art.group("year"), "").strip()
            locs = [x.strip() for x in art.group("loc").split(",") if x.strip()]
            extra = []
            for loc in locs:
                lm = re.match(r"^(vol|no)\. (.+)$", loc)
                if lm and ("volume" if lm.group(1) == "vol" else "number") not in out:
                    out["volume" if lm.group(1) == "vol" else "number"] = lm.group(2)
                else:
                    extra.append(loc)
            if date:
                out["_date"] = date
            if extra:
                out["note"] = ", ".join(extra)
            return "article", out
        if after.strip() in ("", "."):
            out["journal"] = cont
            return "article", out
        out["booktitle"] = cont
        ed = re.match(r"^,\s*edited by (?P<ed>.+?[a-z]{2})\.\s+(?P<rest>.+)$", after)
        if ed:
            out["_editor_text"] = ed.group("ed")
            after = ed.group("rest")
        return "incollection", _publication(out, after.lstrip(". "))
    # italic title: a book
    kind = "book"
    jm = re.match(r"^,\s*(?P<loc>[^()]*?)\s*\((?P<year>\d{4})\)\.?$", rest)
    if jm:
        out["journal"] = "?"
    return kind, _publication(out, rest)


def _publication(out: dict, rest: str) -> dict:
    """``… Place: Publisher, Year.`` at the end (or ``Place, Year.``); what precedes goes to ``note``."""
    m = YEAR_END.search(rest)
    if not m:
        out["note"] = rest.strip()
        return out
    pre, tail = rest[: m.start()], rest[m.end():].strip()
    before = pre
    colon = pre.rfind(": ")
    head = pre[:colon] if colon >= 0 else pre
    pm = PLACE.search(head)
    if pm:
        out["address"] = pm.group("place")
        before = head[: pm.start()]
        if colon >= 0:
            out["publisher"] = pre[colon + 2:].strip()
    elif colon >= 0:
        out["note"] = rest.strip()
        return out
    before = before.strip().rstrip(".").strip()
    out["year"] = m.group("year")
    notes = [x for x in (before, tail) if x]
    if notes:
        out["note"] = ". ".join(n.rstrip(".") for n in notes) + "."
    return out


def entries_from_parts(parts) -> list[tuple[str, str]]:
    """(section numeral, item text) for sections IV–VIII of the parsed Bibliography part."""
    out, section = [], None
    for block in parts:
        if isinstance(block, Heading):
            section = block.text.split(".", 1)[0].strip()
        elif isinstance(block, EntryList) and section in SECTIONS:
            out += [(section, item) for item in block.items]
    return out


def convert(items: list[tuple[str, str]], source_line: dict | None = None) -> str:
    used: set[str] = set()
    lines = [
        "% Lynne Viola, The Best Sons of the Fatherland (1987), Bibliography, sections IV–VIII,",
        "% converted by scripts/tools/convert_viola_bibliography.py from the book's own entries and then reviewed.",
        "% Every value is the book's text (its spellings, its abbreviations). Entries it prints without a",
        "% field are left without it: no place, publisher, page range or date has been added.",
        "% Section I (archival fonds), II (newspapers) and III (journals) are lists, not works: they stay",
        "% on the reading's Bibliography page (readings/viola/bibliography.html).",
        "",
    ]
    last_author = ""
    current = None
    for section, item in items:
        if section != current:
            current = section
            lines += [f"% ---- {SECTIONS[section]}", ""]
        fields = parse_entry(item, last_author)
        if fields.get("_author_text") and not item.startswith((". ", "_____.", "———.")):
            last_author = fields["_author_text"]
        elif not fields.get("_author_text"):
            last_author = ""
        kind, fields = classify(fields)
        names, role = split_authors(fields.pop("_author_text")) if fields.get("_author_text") else ([], "author")
        editor_text = fields.pop("_editor_text", "")
        date = fields.pop("_date", "")
        unparsed = fields.pop("_unparsed", "")
        year = fields.get("year", "")
        key = key_for(names, fields["title"], year, used)
        out = {}
        if names:
            out[role] = " and ".join(names)
        out["title"] = fields["title"]
        for f in ("journal", "booktitle", "volume", "number", "school", "address", "publisher"):
            if fields.get(f) and fields[f] != "?":
                out[f] = fields[f]
        if editor_text:
            out["editor"] = " and ".join(split_authors(editor_text)[0])
        if year and year != "n.d.":
            out["year"] = year
        if date:
            out["month"] = date
        if fields.get("note"):
            out["note"] = fields["note"]
        if year == "n.d.":
            out["note"] = (out.get("note", "") + " n.d.").strip()
        out["langid"] = "english" if english(re.sub(r"\*", "", fields["title"])) else "russian"
        out["keywords"] = SECTIONS[section]
        printed = item.replace("\n", " ")
        lines.append(f"% printed: {printed}")
        if unparsed:
            lines.append("% REVIEW: not recognised by the converter; fields set by hand")
        lines.append(f"@{kind}{{{key},")
        width = max(len(k) for k in out)
        for k, v in out.items():
            lines.append(f"  {k.ljust(width)} = {{{bib_escape(v)}}},")
        lines[-1] = lines[-1].rstrip(",")
        lines += ["}", ""]
    return "\n".join(lines)


def main() -> int:
    paths = Paths()
    entry = next(e for e in load_manifest(paths.manifest) if e["id"] == "viola")
    doc = parse_text(entry, paths)
    part = next(p for p in doc.parts if p.slug == "bibliography")
    sys.stdout.write(convert(entries_from_parts(part.blocks)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
