"""The facts ledger: every year, date and figure the edition states in its own voice has a source.

The edition's own prose is the essays, the reading guides, the timeline, the glossary's definitions
and the charts' captions. Every year (``1929``), date (``27 December 1929``, ``November 1929``) and
figure (``1.7 million``, ``30.3 percent``, ``25,000``) in it must be either

* inside a sentence that carries a citation: a note number (an essay's footnote) or a link to a
  passage of a reading; for a timeline event or a guide's date, the passage links of the item; for a
  glossary entry, the passages its "Sources" line links, when the token is in one of them, or the
  outside works that line names (a glossary entry is cited as a whole, by its Sources line); or
* covered by an entry of ``data/facts.yml``: the token as printed, where it stands and its source
  (a passage of a reading, ``@viola/chapter-2#p5``, which must contain the token; or a work of the
  bibliography by its BibTeX key with page(s), ``@davies1980socialist, 112``, or by its key alone for
  the work's own year of publication, ``@viola1987best`` for "1987").

What is not the edition's voice is left out: quotations (in quotation marks or block quotations),
the readings' own text, the essays' notes (the citations themselves), link texts of citations,
counts the build computes (words, minutes, "Used in" counts) and references (``ch. 4``, ``¶ 17``,
``p. 112``, ``n. 14``, ``Table 5``).

``python -m scripts.tools.facts_ledger [site/]`` lists every uncovered token with its sentence;
``tests/test_facts_ledger.py`` holds the list at zero.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from scripts.core.datafile import Strict, Text, load_yaml_located
from scripts.core.errors import BuildError
from scripts.core.passages import normalise
from scripts.paths import ROOT
from scripts.core.passages import load

LEDGER = ROOT / "data" / "facts.yml"
CITE = "\ue010"           # stands in the text where a citation was
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
TOKEN = re.compile(
    rf"(?:\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b"                       # 27 December 1929
    rf"|\b(?:{MONTHS}) \d{{4}}\b"                                      # November 1929
    r"|(?<![\w.,])\d(?:[\d,]*\d)?(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?"       # 1929, 1928–29, 25,000, 30.3, 3–5
    r"(?:\s?(?:percent|per cent|%|million|billion|thousand))?(?![\w]|[,.]\d)"
    r")")
REFERENCE = re.compile(r"(?:\bCC BY|\bch\.|\bchap\.|\bchapters?|¶|\bpp?\.|\bn\.|\bnn\.|\bnote|\bnotes|\btable|\bno\.|\bvol\.|"
                       r"\bpara\.|\bquestion|\bfigure|\bweek|\bpart|"
                       r"\b(?:fond|opis['’]?|delo|list)(?:\s*\([^)]*\))?|\bf\.|\bop\.|\bd\.|\bll?\.)\s*$", re.I)  # archive references
ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|(?:no|No|nos|p|pp|ch|chap|n|nn|vol|vols|ed|eds|e\.g|i\.e|cf|c|ca|St|Mr|Dr|para)\.",
                          re.UNICODE)
NAVIGATION = re.compile(r"^(?:Years|On the timeline|Jump to)\s*:")
QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"|‘[^‘’]*’(?!\w)")


class Fact(Strict):
    """One ledger entry: a token of the edition's own prose and its source."""

    token: Text
    where: Text          # essay:<id>, guide:<reading>[/<part>], timeline, glossary:<term id>, chart:<page>
    source: Text         # @reading/part#anchor, @bibkey, page(s), or @bibkey alone for the work's own year
    note: Text | None = None


class Ledger(Strict):
    facts: list[Fact] = []


@dataclass
class Token:
    token: str
    where: str
    sentence: str


def _is_citation(el: Tag) -> bool:
    if el.name == "sup" and el.select_one("a.footnote-ref"):
        return True
    if el.name == "a":                       # a link to a paragraph or note of a reading
        href = el.get("href", "")
        return bool(re.search(r"#(?:p\d+|fn:\d+|note-[\w-]+)$", href)) and "glossary" not in href \
            and "essays/" not in href and "timeline" not in href
    return False


def _text(block: Tag) -> str:
    """The block's words with every citation replaced by CITE and quotations dropped."""
    block = BeautifulSoup(str(block), "html.parser")
    for el in block.select("blockquote, q, .footnote, .headerlink, .ed-note, script, style, .guide-words"):
        el.decompose()
    for el in block.find_all(["sup", "a"]):
        if el.parent is not None and _is_citation(el):
            el.replace_with(NavigableString(CITE))
    text = " ".join(block.get_text(" ").split())
    return QUOTED.sub(" ", text)


def sentences(text: str) -> list[tuple[str, bool]]:
    """(sentence, carries a citation). A citation after a sentence's full stop belongs to it."""
    text = re.sub(rf"([.!?][”’)]*)\s*(\(?\s*(?:{CITE}\s*[,;]?\s*)+\)?)", lambda m: CITE + m.group(1) + " ", text)
    parts, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[”’)]*\s+(?=[A-Z“‘(\d])", text):
        last = text[:m.start()].rsplit(None, 1)[-1].lstrip("(“‘[") if text[:m.start()].strip() else ""
        if ABBREVIATION.fullmatch(last):
            continue
        parts.append(text[start:m.end()])
        start = m.end()
    parts.append(text[start:])
    return [(p.strip(), CITE in p) for p in parts if p.strip()]


def tokens_of(sentence: str) -> list[str]:
    out = []
    if NAVIGATION.match(sentence):                               # lists of years to jump to: navigation
        return out
    for m in TOKEN.finditer(sentence):
        before = re.sub(r"(?:\d+[a-z]?\s*(?:,|and|or|–|-)\s*)+$", "", sentence[:m.start()])
        if REFERENCE.search(before):
            continue
        if re.match(r"\d[\d,]*ers?\b", sentence[m.start():]):     # "the 25,000ers": a name
            continue
        out.append(m.group(0))
    return out


def _passages() -> dict:
    return load()


def _chart_units(soup, where: str, out: list) -> None:
    """A chart's caption and trend: its figures are read from the reading's tables the figure prints
    (scripts/course/charts.py), so a token is sourced when its numbers are in the figure's data table."""
    for fig in soup.select("figure.edition-chart"):
        table = " ".join(t.get_text(" ") for t in fig.select("table"))
        for el in fig.select(".chart-source"):
            el.decompose()                                  # the reading's own source line
        for block in fig.select("figcaption, .chart-trend"):
            for sentence, _ in sentences(_text(block)):
                out.append((where, sentence, False, ["table:" + table]))
        fig.decompose()


def own_prose(site: Path) -> list[tuple[str, str, bool, list[str]]]:
    """(where, sentence, cited, sources of the item) for every sentence of the edition's own prose."""
    out: list[tuple[str, str, bool, list[str]]] = []

    def add(where: str, block: Tag) -> None:
        for sentence, cited in sentences(_text(block)):
            out.append((where, sentence.replace(CITE, ""), cited, []))

    for page in sorted((site / "essays").glob("*.html")):
        if page.name == "index.html":
            continue
        article = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("article")
        _chart_units(article, f"chart:essays/{page.stem}", out)
        for junk in article.select(".footnote, .cite-this, .cite-print, .rights-note, .chart-origin, h1"):
            junk.decompose()
        for block in article.select("p, li, td, th, h2, h3"):
            if block.find_parent(["blockquote"]) or block.find(["p", "li"]):
                continue
            add(f"essay:{page.stem}", block)
    for page in sorted((site / "readings").rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        rel = page.relative_to(site / "readings").with_suffix("").as_posix().removesuffix("/index")
        for guide in soup.select(".reading-guide"):
            for block in guide.select("p, li"):
                classes = set(block.get("class") or [])
                if classes & {"guide-facts", "guide-terms", "guide-essays"} or block.select_one(".guide-words"):
                    continue
                add(f"guide:{rel}", block)
        article = soup.select_one("article")
        if article is not None:
            _chart_units(article, f"chart:readings/{rel}", out)
    timeline = site / "timeline.html"
    if timeline.exists():
        article = BeautifulSoup(timeline.read_text("utf-8"), "html.parser").select_one("article")
        for li in article.select("li"):
            refs = li.select_one(".timeline-refs")
            cited = bool(refs and refs.select_one("a"))
            if refs:
                refs.decompose()
            for sentence, _ in sentences(_text(li)):
                out.append(("timeline", sentence, cited, []))
        for block in article.select("p"):
            add("timeline", block)
    glossary = site / "glossary.html"
    if glossary.exists():
        article = BeautifulSoup(glossary.read_text("utf-8"), "html.parser").select_one("article")
        for h2 in article.select("h2[id]"):
            term, blocks, cites = h2["id"], [], []
            for sib in h2.find_next_siblings():
                if sib.name in ("h2", "h1"):
                    break
                if sib.name != "p":
                    continue
                text = sib.get_text(" ").strip()
                if text.startswith("Sources:"):
                    cites = [a.get("href", "") for a in sib.select("a")]
                    # the outside works the entry names (plain text between the links): its citations too
                    plain = "".join(s for s in sib.strings if s.parent is sib)
                    cites += ["work:" + w.strip(" .;") for w in plain.removeprefix("Sources:").split(";")
                              if re.search(r"\(\d{4}\)|\b\d{4}\b", w)]
                elif not re.match(r"(Russian|Forms in the readings|Source|See also|Used in|Also written)\b", text):
                    blocks.append(sib)
            for block in blocks:
                for sentence, cited in sentences(_text(block)):
                    out.append((f"glossary:{term}", sentence.replace(CITE, ""), cited, cites))
    return out


def _in_cited(token: str, hrefs: list[str], passages: dict) -> bool:
    """The token is stated by one of the item's cited passages (or, for a chart, its data table)."""
    for href in hrefs:
        if href.startswith("table:"):
            if all(n in href for n in re.findall(r"\d+(?:\.\d+)?", token)) or _date_in_table(token, href):
                return True
            continue
        m = re.search(r"readings/(.+?)(?:/index)?\.html#(.+)$", href)
        if m and normalise(token) in normalise(passages.get(m.group(1), {}).get(m.group(2), "")):
            return True
    return False


_MON = {m: m[:3] for m in MONTHS.split("|")}


def _date_in_table(token: str, table: str) -> bool:
    """ "1 June 1929" is the table's column "1 Jun 1929"."""
    short = token
    for full, abbr in _MON.items():
        short = short.replace(full, abbr)
    return short in table


def load_ledger(path: Path = LEDGER) -> tuple[list[Fact], object]:
    if not path.exists():
        return [], None
    data, lines = load_yaml_located(path, Ledger)
    return data.facts, lines


def check_ledger(facts: list[Fact], lines, path: Path, passages: dict, bibkeys: set[str]) -> None:
    """Each entry's source exists and, for a passage, contains the token (else BuildError at the line)."""
    for i, fact in enumerate(facts):
        line = lines.of("facts", i, "source") if lines else None
        m = re.match(r"^@([a-z0-9-]+(?:/[a-z0-9-]+)?)#((?:p\d+|fn:\d+|note-[\w-]+))$", fact.source)
        if m:
            text = passages.get(m.group(1), {}).get(m.group(2))
            if text is None:
                raise BuildError(path, line, f"{fact.source} is not a passage of the readings",
                                 "check it with python -m scripts.core.passages show")
            if normalise(fact.token) not in normalise(text):
                raise BuildError(path, line, f"{fact.source} does not state {fact.token!r}",
                                 "cite the paragraph that states it, or a named work with its page")
            continue
        m = re.match(r"^@([A-Za-z0-9_:.\-]+)$", fact.source)
        if m and m.group(1) in bibkeys:                  # a work's own year of publication
            if bibkeys[m.group(1)] != fact.token:
                raise BuildError(path, line, f"{fact.source} was published in {bibkeys[m.group(1)] or '?'}, not {fact.token}",
                                 "a bibliography key alone sources only the work's own year; add the page for anything else")
            continue
        m = re.match(r"^@([A-Za-z0-9_:.\-]+),\s*(?:pp?\.\s*)?\d", fact.source)
        if not m or m.group(1) not in bibkeys:
            raise BuildError(path, line, f"the source {fact.source!r} is neither a passage nor a bibliography key with a page",
                             "write @reading/part#anchor, or @bibkey, page (the work must have a full entry in bib/*.bib, "
                             "e.g. bib/cited-works.bib)")


def uncovered(site: Path, facts: list[Fact], passages: dict) -> list[Token]:
    ledger = {(f.token, f.where) for f in facts}
    out = []
    for where, sentence, cited, cites in own_prose(site):
        if cited:
            continue
        for token in tokens_of(sentence):
            if (token, where) in ledger or (cites and _in_cited(token, cites, passages)):
                continue
            if where.startswith("glossary:") and any(c.startswith("work:") for c in cites):
                continue    # a glossary entry cites the outside works it names on its Sources line
            out.append(Token(token, where, sentence))
    return out


def used(site: Path, facts: list[Fact]) -> list[Fact]:
    """The entries whose token still stands where they say (the others are stale)."""
    present = {(t, where) for where, sentence, _, _ in own_prose(site) for t in tokens_of(sentence)}
    return [f for f in facts if (f.token, f.where) in present]


def bib_keys(root: Path = ROOT) -> dict[str, str]:
    """Every BibTeX key of bib/*.bib with the entry's year."""
    keys: dict[str, str] = {}
    for bib in (root / "bib").glob("*.bib"):
        for m in re.finditer(r"^@\w+\{([^,\s]+),(.*?)^\}", bib.read_text("utf-8"), re.M | re.S):
            year = re.search(r"^\s*year\s*=\s*\{?(\d{4})", m.group(2), re.M)
            keys[m.group(1)] = year.group(1) if year else ""
    return keys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    site = Path(argv[0]) if argv else ROOT / "site"
    facts, lines = load_ledger()
    passages = _passages()
    check_ledger(facts, lines, LEDGER, passages, bib_keys())
    missing = uncovered(site, facts, passages)
    for t in missing:
        print(f"{t.where}\t{t.token}\t{t.sentence[:160]}")
    live = {(f.token, f.where) for f in used(site, facts)}
    for f in facts:
        if (f.token, f.where) not in live:
            print(f"stale ledger entry (no longer printed there): {f.where} {f.token!r}", file=sys.stderr)
    print(f"{len(missing)} uncovered", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
