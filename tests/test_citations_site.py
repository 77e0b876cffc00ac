"""Citations in the built site: notes linked to the bibliography, to the notes they repeat and to the
readings; "Cite this" (citeproc-js, Chicago/MLA/APA) and the Zotero meta tags; the Bibliography pages'
"cited in" lists; the downloads; the build report's counts."""
from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup

from scripts.citations.bibtex import Bibliography

ROOT = Path(__file__).resolve().parent.parent


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def resolve(page: str, href: str) -> str:
    """A relative href on ``page`` -> site path + fragment ('bibliography/viola.html#key')."""
    path, _, frag = href.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    return f"{target}#{frag}" if frag else target


def note_links(site: Path, page: str, note_id: str) -> list[str]:
    note = soup(site, page).find(id=note_id)
    assert note is not None, f"{page}: no note {note_id}"
    return [resolve(page, a["href"]) for a in note.select("a.cite-link")]


# ---- cross-links between readings ----------------------------------------------------------------
@pytest.mark.parametrize("page,note", [("readings/hatch/index.html", "note-63"), ("readings/goldman/index.html", "fn:15")])
def test_articles_citing_best_sons_link_to_the_viola_reading(built_site: Path, page: str, note: str) -> None:
    """Hatch n. 63 and Goldman n. 15 cite Viola's book: the citation links to the reading in this site."""
    assert "readings/viola/index.html" in note_links(built_site, page, note)
    a = soup(built_site, page).find(id=note).select_one("a.cite-reading")
    assert a.get_text() == "Viola"


def test_review_header_links_to_viola_reading_and_kuromiya_entry(built_site: Path) -> None:
    page = "readings/bw-review/index.html"
    facts = soup(built_site, page).select_one("details.source-facts")
    targets = {a.get_text(): resolve(page, a["href"]) for a in facts.select("a.cite-link")}
    assert targets["The Best Sons of the Fatherland: Workers in the Vanguard of Soviet Collectivization"] == "readings/viola/index.html"
    kuromiya = targets["Stalin’s Industrial Revolution: Politics and Workers, 1928-1932"]
    assert kuromiya == "bibliography/cited-works.html#kuromiya1988stalins"
    assert soup(built_site, "bibliography/cited-works.html").find(id="kuromiya1988stalins") is not None


def test_siegelbaum_suny_cites_kuromiya_entry(built_site: Path) -> None:
    """The work cited in two readings (the review's header, S&S n. 26) is one entry linked from both."""
    assert "bibliography/cited-works.html#kuromiya1988stalins" in note_links(built_site, "readings/siegelbaum-suny/index.html", "fn:26")


# ---- Viola's short forms, Ibid., cross-references -------------------------------------------------
# Chosen by hand from the real notes and checked against the book's Bibliography: the short form,
# and the entry it names (spelling variants of the surname and title as printed).
SHORT_FORMS = [
    ("chapter-1", 2, "danilov1970dinamika"),            # Danilov, "Dinamika," pp. 245–46.
    ("chapter-1", 4, "yaney1982urge"),                  # Yaney, *The Urge to Mobilize*, p. 496.
    ("chapter-1", 11, "selunskaiia1978rabochii"),       # Selunskaiia, *Oktiabr'*, pp. 203–5.
    ("chapter-1", 15, "morozov1957sozdanie"),           # Morozov, *Sozdanie*, p. 150. (not L. F. Morozov's book)
    ("chapter-1", 24, "gimpelson1973voennyi"),          # Gimpel'son, "Voennyi kommunizm," pp. 68–80.
    ("chapter-1", 35, "danilov1957sozdanie"),           # Danilov, *Sozdanie*, pp. 99–100. (not Danilov's articles)
    ("chapter-1", 42, "rigby1968communist"),            # Rigby, *Communist Party*, p. 134.
    ("chapter-1", 51, "danilov1956sotsialno"),          # Danilov, "Sotsial'no-ekonomicheskie otnosheniia," p. 118.
    ("chapter-2", 9, "ivnitskii1964istoriia"),          # Ivinskii [sic], "Istoriia podgotovki postanovleniia TsK VKP (b),"
    ("chapter-2", 12, "selunskaiia1964rabochie"),       # Selunskaiia, *Rabochie-…* (the 1964 book, not the 1954 article)
    ("chapter-2", 56, "katskagan1930proletariet"),      # Kats-Kagan, *25,000 proletariiev*, p. 14.
    ("chapter-2", 92, "rusakov1972poslantsy"),          # Rusakov, "Poslantsy," p. 119.
    ("chapter-3", 11, "rigby1968communist"),            # Rigby, *Communist Party*, p. 187.
    ("chapter-3", 40, "katskagan1930proletariet"),      # Kats-Kagan, *25,000 proletariiev*, p. 13.
    ("chapter-4", 25, "ivnitskii1972klassovaia"),       # Ivnitiskii [sic], *Klassovaia bor'ba*, p. 180.
    ("chapter-4", 53, "karevskii1967likvidatsiia"),     # Karevskii, "Likvidatsiia," p. 98.
    ("chapter-4", 63, "selunskaiia1954rabochie"),       # Selunskaiia, "Rabochie-…" in quotes: the 1954 article
    ("chapter-4", 86, "sharova1963kollektivizatsiia"),  # Sharova, *Kollektivizatsiia*, p. 145.
    ("chapter-5", 124, "kukushkin1968selskie"),         # Kukushkin, *Sel'skie sovety*, pp. 253-54, 258.
    ("chapter-5", 125, "fitzpatrick1979education"),     # Fitzpatrick, *Education and Social Mobility*, pt. 2.
    ("chapter-6", 15, "belbei1930ili"),                 # Belbei, *Za ili protiv*, pp. 5–6, 14–16.
    ("chapter-6", 16, "tiushev1967novye"),              # Tiushev, "Novye dannye," p. 86.
    ("chapter-6", 53, "davies1980soviet"),              # Davies, *The Soviet Collective Farm*, p. 140. (not *Socialist Offensive*)
    ("chapter-7", 3, "larkina1960podgotovka"),          # Lar'kina, *Podgotovka*, 106–8. (not Borisov's *Podgotovka*)
    ("chapter-7", 85, "sultanova1964leningradskie"),    # Sultanova, "Leningradskie kommunisty," p. 106.
    ("chapter-7", 91, "isbakh1931tysiach"),             # Isbakh, *1 iz 25 tysiach*, pp. 53-54. (not *One of the 25,000*)
]


@pytest.mark.parametrize("chapter,note,key", SHORT_FORMS, ids=[f"{c}-n{n}" for c, n, _ in SHORT_FORMS])
def test_short_form_links_to_its_entry(built_site: Path, chapter: str, note: int, key: str) -> None:
    page = f"readings/viola/{chapter}.html"
    assert f"bibliography/viola.html#{key}" in note_links(built_site, page, f"fn:{note}")
    assert soup(built_site, "bibliography/viola.html").find(id=key) is not None


def test_short_form_sample_spans_the_chapters() -> None:
    assert len(SHORT_FORMS) >= 20 and len({c for c, _, _ in SHORT_FORMS}) == 7


@pytest.mark.parametrize("chapter,note", [("chapter-1", 27), ("chapter-1", 28), ("chapter-1", 29), ("chapter-1", 30)])
def test_ibid_links_to_the_note_it_repeats(built_site: Path, chapter: str, note: int) -> None:
    """Lenin's PSS in ch. 1 n. 26, then "*Ibid.*, pp. …" four times: each links to the note before."""
    page = f"readings/viola/{chapter}.html"
    li = soup(built_site, page).find(id=f"fn:{note}")
    ibid = li.select_one("a.cite-ibid")
    assert ibid.get_text() == "Ibid." and resolve(page, ibid["href"]) == f"{page}#fn:{note - 1}"
    assert soup(built_site, page).find(id=f"fn:{note - 1}") is not None


def test_every_ibid_points_to_the_previous_note(built_site: Path) -> None:
    n = 0
    for page in sorted((built_site / "readings" / "viola").glob("*.html")):
        for a in soup(built_site, page.relative_to(built_site).as_posix()).select("a.cite-ibid"):
            li = a.find_parent("li")
            assert a["href"] == f"#fn:{int(li['id'].split(':')[1]) - 1}"
            n += 1
    assert n >= 34      # the seed counts "Ibid" 34 times in the Notes


def test_chapter_note_cross_reference_links_to_that_note(built_site: Path) -> None:
    """"See chap. 2, n. 13" (several chapters) links to note 13 of chapter 2, which exists."""
    page = "readings/viola/chapter-3.html"
    links = [resolve(page, a["href"]) for a in soup(built_site, page).select("a.cite-note")]
    assert "readings/viola/chapter-2.html#fn:13" in links
    assert soup(built_site, "readings/viola/chapter-2.html").find(id="fn:13") is not None


def test_linked_share_and_report_counts(generated_docs: Path, build_dir: Path) -> None:
    """The build report gives the counts; the share of linked citations (of those naming an author
    in the bibliography) stays at or above what the linker reaches (96%)."""
    data = json.loads((build_dir / "citations.json").read_text(encoding="utf-8"))
    assert data["viola_linked_share"] >= 0.95
    assert data["notes"]["viola"] == 747
    report = (build_dir / "report.md").read_text(encoding="utf-8")
    section = report[report.index("## Citations in the notes"):]
    row = re.search(r"^\| viola \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", section, re.M)
    assert int(row.group(1)) == 747 and int(row.group(2)) == data["linked"]["viola:entry"]
    assert int(row.group(4)) == data["linked"]["viola:ibid"]
    for key, n in data["unlinked"].items():
        text_id, reason = key.split(":", 1)
        assert f"- {text_id}: {reason} × {n}" in section
    counted = Counter(l["kind"] for l in data["links"] if l["page"].startswith("readings/viola/"))
    assert counted["entry"] == data["linked"]["viola:entry"]


# ---- "Cite this" and the meta tags -----------------------------------------------------------------
# the chapter with its printed pages and the place of publication (issue 18: a citation a student can paste)
CHAPTER_4_NOTE = ("Lynne Viola, “The Drive to Collectivize Soviet Agriculture: Winter 1930,” in The Best Sons of the "
                  "Fatherland: Workers in the Vanguard of Soviet Collectivization (New York: Oxford University Press, "
                  "1987), 90–120, readings/viola/chapter-4.html.")
CHAPTER_4_BIB = ("Viola, Lynne. “The Drive to Collectivize Soviet Agriculture: Winter 1930.” In The Best Sons of the "
                 "Fatherland: Workers in the Vanguard of Soviet Collectivization, 90–120. New York: Oxford University "
                 "Press, 1987. readings/viola/chapter-4.html.")
ARTICLE_NOTE = ("Lewis Siegelbaum and Ronald Grigor Suny, “Making the Command Economy: Western Historians on Soviet "
                "Industrialization,” International Labor and Working-Class History, no. 43 (Spring 1993): 65–76, "
                "readings/siegelbaum-suny/index.html.")
ARTICLE_BIB = ("Siegelbaum, Lewis, and Ronald Grigor Suny. “Making the Command Economy: Western Historians on Soviet "
               "Industrialization.” International Labor and Working-Class History, no. 43 (Spring 1993): 65–76. "
               "readings/siegelbaum-suny/index.html.")


def text_of(s: BeautifulSoup, ident: str) -> str:
    return " ".join(s.find(id=ident).get_text().split())


@pytest.mark.parametrize("page,note,bib", [("readings/viola/chapter-4.html", CHAPTER_4_NOTE, CHAPTER_4_BIB),
                                           ("readings/siegelbaum-suny/index.html", ARTICLE_NOTE, ARTICLE_BIB)])
def test_cite_this_chicago_equals_hand_checked_string(built_site: Path, page: str, note: str, bib: str) -> None:
    """Checked by hand against CMOS 18 (14.9, 14.71; 14.170): names in full, title case, commas inside
    the quotation marks, the chapter "in" the book, no. + season for a journal with no volume."""
    s = soup(built_site, page)
    assert text_of(s, "cite-chicago-note") == note
    assert text_of(s, "cite-chicago-bib") == bib
    assert s.select_one("#cite-chicago-note i").get_text().startswith(("The Best Sons", "International Labor"))
    assert " ".join(s.select_one(".cite-print").get_text().split()) == "Cite as: " + bib


@pytest.mark.parametrize("page", ["readings/viola/index.html", "readings/viola/introduction.html",
                                  "readings/viola/chapter-1.html", "readings/viola/conclusion.html",
                                  "readings/hatch/index.html", "readings/bw-review/index.html",
                                  "readings/goldman/index.html", "readings/siegelbaum-suny/index.html"])
def test_every_reading_page_has_cite_this(built_site: Path, page: str) -> None:
    s = soup(built_site, page)
    box = s.select_one("details#cite-this")
    assert box is not None
    for form in ("chicago-note", "chicago-bib", "mla", "apa"):
        assert text_of(s, f"cite-{form}")
        assert box.select_one(f'button.cite-copy[data-copy="cite-{form}"]') is not None
    downloads = [resolve(page, a["href"]) for a in box.select(".cite-downloads a[download]")]
    assert [d.rsplit(".", 1)[1] for d in downloads] == ["bib", "ris"]
    for d in downloads:
        assert (built_site / d).exists(), d
    assert {t["data-locator"] for t in box.select("template.cite-template")} == {"paragraph", "page"}
    assert s.find("meta", attrs={"name": "citation_title"}) is not None


def test_chapter_meta_tags_match_its_bib_entry(built_site: Path) -> None:
    """Zotero's tags on chapter 4 carry what bib/readings.bib says of the book (read here with pybtex,
    an independent reader) and the chapter's title; as a book section (citation_inbook_title)."""
    pybtex_db = pytest.importorskip("pybtex.database")
    book = pybtex_db.parse_file(str(ROOT / "bib" / "readings.bib")).entries["viola1987best"]
    s = soup(built_site, "readings/viola/chapter-4.html")
    tags: dict[str, list[str]] = {}
    for m in s.find_all("meta", attrs={"name": re.compile("^citation_")}):
        tags.setdefault(m["name"], []).append(m["content"])
    assert tags["citation_title"] == ["The Drive to Collectivize Soviet Agriculture: Winter 1930"]
    assert tags["citation_inbook_title"] == [book.fields["title"]]
    assert tags["citation_author"] == [f"{p.last_names[0]}, {' '.join(p.first_names)}" for p in book.persons["author"]]
    assert tags["citation_publisher"] == [book.fields["publisher"]]
    assert tags["citation_isbn"] == [book.fields["isbn"]]
    assert tags["citation_publication_date"] == [book.fields["year"]]
    assert "citation_journal_title" not in tags


def test_article_meta_tags(built_site: Path) -> None:
    pybtex_db = pytest.importorskip("pybtex.database")
    e = pybtex_db.parse_file(str(ROOT / "bib" / "readings.bib")).entries["siegelbaum1993making"]
    s = soup(built_site, "readings/siegelbaum-suny/index.html")
    get = lambda n: [m["content"] for m in s.find_all("meta", attrs={"name": n})]
    assert get("citation_journal_title") == [e.fields["journal"]]
    assert get("citation_issue") == [e.fields["number"]]
    assert get("citation_firstpage") + get("citation_lastpage") == e.fields["pages"].split("--")
    assert get("citation_author") == ["Siegelbaum, Lewis", "Suny, Ronald Grigor"]
    assert not get("citation_volume")       # the source prints no volume


def test_page_downloads_parse(built_site: Path) -> None:
    pybtex_db = pytest.importorskip("pybtex.database")
    for bib in sorted((built_site / "cite").glob("*.bib")):
        text = bib.read_text(encoding="utf-8")
        assert not bibtexparser.parse_string(text).failed_blocks, bib.name
        assert len(pybtex_db.parse_string(text, "bibtex").entries) == 1, bib.name
    chapter = pybtex_db.parse_file(str(built_site / "cite" / "viola-chapter-4.bib")).entries
    (entry,) = chapter.values()
    assert entry.type == "incollection" and entry.fields["booktitle"].startswith("The Best Sons")
    ris = (built_site / "cite" / "viola-chapter-4.ris").read_text(encoding="utf-8")
    assert ris.startswith("TY  - CHAP\n") and "AU  - Viola, Lynne" in ris and ris.rstrip().endswith("ER  -")


def test_collection_downloads(built_site: Path) -> None:
    pybtex_db = pytest.importorskip("pybtex.database")
    bib = Bibliography(ROOT / "bib" / "readings.bib")
    page = "bibliography/index.html"
    hrefs = [resolve(page, a["href"]) for a in soup(built_site, page).select(".bib-downloads a[download]")]
    assert hrefs == ["bibliography/revolution-from-above.bib", "bibliography/revolution-from-above.ris"]
    data = pybtex_db.parse_file(str(built_site / hrefs[0]))
    assert set(data.entries) == set(bib.entries)
    ris = (built_site / hrefs[1]).read_text(encoding="utf-8")
    assert ris.count("ER  - ") == len(bib.entries)


# ---- the Bibliography pages -------------------------------------------------------------------------
BIB_PAGES = ["bibliography/index.html", "bibliography/viola.html", "bibliography/cited-works.html"]


def test_bibliography_has_every_entry_once_with_an_anchor(built_site: Path) -> None:
    bib = Bibliography(ROOT / "bib" / "readings.bib")
    ids = [p["id"] for page in BIB_PAGES for p in soup(built_site, page).select("p.bib-entry")]
    assert sorted(ids) == sorted(bib.entries)
    headings = [h.get_text() for h in soup(built_site, "bibliography/viola.html").select("h2")]
    assert [h.split(".")[0] for h in headings[:5]] == ["IV", "V", "VI", "VII", "VIII"]


def test_cited_in_counts_equal_the_links_made(built_site: Path) -> None:
    """For every entry, the count shown equals the number of note links to it in the reading pages
    and the essays' notes (counted here from the HTML), and each "cited in" link leads to a note that
    links back."""
    made: Counter = Counter()
    for page in sorted((built_site / "readings").rglob("*.html")) + sorted((built_site / "essays").glob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        for a in soup(built_site, rel).select("a.cite-entry, a.cite-reading"):
            target = resolve(rel, a["href"])
            key = target.split("#")[1] if "#" in target else {
                "readings/viola/index.html": "viola1987best"}.get(target, target)
            made[key] += 1
    shown: Counter = Counter()
    for page in BIB_PAGES:
        s = soup(built_site, page)
        for entry in s.select("p.bib-entry"):
            cited = entry.select_one(".cited-in")
            if cited is None:
                continue
            shown[entry["id"]] = int(cited["data-count"])
            assert len(cited.select("a")) == shown[entry["id"]]
            assert f"Cited in {shown[entry['id']]} note" in cited.get_text()
    assert shown == made
    assert shown["viola1987best"] >= 3         # Hatch n. 63, Goldman n. 15, the review's header
    assert sum(shown.values()) > 500
