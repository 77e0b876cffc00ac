"""Pack one course (courses/<id>.yml) for a classroom: an offline bundle of just its texts and a
printable course reader, next to a printable syllabus.

    ./site.sh course courses/collectivization.yml
    python -m scripts.site.course_pack courses/collectivization.yml [--no-pipeline]

writes, in dist/:

- ``<id>-offline.zip`` — the syllabus as the home page, the readings, chapters and essays the course
  lists, the glossary (its "used in" lists limited to those texts) and nothing else. The bundle is a
  MkDocs build of a docs folder holding only those pages, so its navigation and search know only
  them; a link to a page that is not in the pack is shown as plain text marked "not in this course
  pack", never as a broken link (MkDocs' strict build checks it).
- ``<id>-reader.pdf`` — the course reader: a title page, a contents list with page numbers, then each
  item in syllabus order with its reading guide, its text, its notes (numbered, at the end of the
  item), a running head and its rights line. Drawn by WeasyPrint from the bundle's own pages:
  WeasyPrint implements CSS paged media (running heads, ``target-counter`` page numbers in the
  contents), which Chromium's print-to-PDF does not.
- ``<id>-syllabus.pdf`` — the syllabus alone, for printing.
- ``<id>.pack.json`` — what the pack was made from: the next site build links the files from the
  course's syllabus page (copied to courses/packs/, with their sizes) while the course is unchanged.
- ``<id>.epub`` — the course's readings as an EPUB 3, made from the course as this pack reads it, as
  the site build makes its ``downloads/course-<id>.epub`` (scripts/formats/stage.py: the same job,
  EPUBCheck and cache); a course of essays only has none.
- ``<id>.imscc`` — the course as an IMS Common Cartridge 1.3 for the LMS (scripts/site/course_cartridge.py):
  one module per week of web links to the assigned paragraphs on the edition's address (``site_url`` in
  mkdocs.yml or ``--site-url``; without one the pack stops, unless ``--no-cartridge``).

Everything is made in a scratch folder first; dist/ receives the files only when all of them exist, so
a failed pack leaves nothing half-written there.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

from scripts.core.errors import BuildError
from scripts.core.escape import html_text, yaml_value
from scripts.course.syllabi import course_fingerprint
from scripts.site.course_cartridge import check_site_url, write_cartridge
from scripts.site.publish_folder import site_url_of
from scripts.site.mkdocs_run import render_site
from scripts.site.offline_bundle import BundleError, check_no_unpkg, make_zip

from scripts.paths import ROOT, Paths
from scripts.site.publish import Interrupted, interruptible
NOT_IN_PACK = "not in this course pack"

MD_LINK = re.compile(r"(?<!!)\[((?:[^\[\]\\]|\\.)*)\]\(([^)\s]+)\)")
HTML_LINK = re.compile(r"<a\b([^>]*?)\bhref=\"([^\"]+)\"([^>]*)>(.*?)</a>", re.S)
NAV_RE = re.compile(r"(# BEGIN GENERATED NAV[^\n]*\n).*?(# END GENERATED NAV)", re.S)


class CoursePackError(Exception):
    """A problem a person can act on."""


def link_target(page: str, href: str) -> str | None:
    """The docs page a relative link on ``page`` points to (``readings/viola/chapter-4.md``), or None."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href):
        return None
    path = href.split("#", 1)[0]
    if not path.endswith((".md", ".html")):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return target[:-5] + ".md" if target.endswith(".html") else target


def unlink_outside(markdown: str, page: str, kept: set[str]) -> tuple[str, int]:
    """Turn links to pages outside the pack into plain text marked as such; returns (text, count)."""
    count = 0

    def outside(target: str | None) -> bool:
        return target is not None and target not in kept

    def unlink(text_group: int):
        """A replacement for one link syntax: the link's text (group ``text_group``) marked as not in
        the pack when its target (group 2) is outside it."""
        def replace(m: re.Match) -> str:
            nonlocal count
            if not outside(link_target(page, m.group(2))):
                return m.group(0)
            count += 1
            return f'<span class="outside-pack" title="{NOT_IN_PACK}">{m.group(text_group)} ({NOT_IN_PACK})</span>'
        return replace

    return HTML_LINK.sub(unlink(4), MD_LINK.sub(unlink(1), markdown)), count


def limit_used_in(glossary_md: str, kept: set[str]) -> str:
    """Keep only the "Used in" links to pages of the pack (the page's links are relative to the root)."""
    def line(m: re.Match) -> str:
        items = re.findall(r"\[((?:[^\[\]\\]|\\.)*)\]\(([^)\s]+)\) \((\d+)\)", m.group(1))
        keep = [f"[{t}]({u}) ({n})" for t, u, n in items if link_target("glossary.md", u) in kept]
        return "Used in: " + (", ".join(keep) if keep else "none of the texts in this course pack.")
    return re.sub(r"^Used in: (.*)$", line, glossary_md, flags=re.M)


def course_config(mkdocs_yml: str, course: dict, docs_dir: Path, titles: dict[str, str]) -> str:
    """The site's mkdocs.yml with the course's docs folder, name and navigation."""
    # MkDocs and Material print the site name, the footer's extra value and nav titles as HTML
    name = yaml_value(html_text(f"{course['title']} — Revolution from Above"))
    text = re.sub(r"^docs_dir: .*$", lambda m: f"docs_dir: {json.dumps(str(docs_dir))}", mkdocs_yml, flags=re.M)
    text = re.sub(r"^site_name: .*$", lambda m: f"site_name: {name}", text, flags=re.M)
    # the footer names the pack instead of linking the whole reader's download page, which is not in it
    text = re.sub(r"^extra:\n", lambda m: "extra:\n  course_pack: " + yaml_value(html_text(course["title"]))
                  + "\n", text, count=1, flags=re.M)
    nav = ["nav:", "  - " + json.dumps("Syllabus") + ": index.md"]
    nav += [f"  - {yaml_value(html_text(titles[p]))}: {p}" for p in course["pages"]]
    nav.append("  - Glossary: glossary.md")
    return NAV_RE.sub(lambda m: m.group(1) + "\n".join(nav) + "\n" + m.group(2), text)


def run_pipeline() -> None:
    proc = subprocess.run([sys.executable, "-m", "scripts.build"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CoursePackError(proc.stderr.strip() or proc.stdout.strip())


def load_course_data(course_file: Path) -> dict:
    path = (Path.cwd() / course_file).resolve() if not course_file.is_absolute() else course_file.resolve()
    rel = os.path.relpath(path, ROOT)
    if not path.exists():
        raise CoursePackError(f"{rel}: error: the course file does not exist\n  what to do: give the path of a "
                              "file in courses/, e.g. courses/collectivization.yml")
    if path.parent != (ROOT / "courses").resolve() or path.suffix != ".yml":
        raise CoursePackError(f"{rel}: error: a course file must be a .yml file in courses/\n  what to do: move it "
                              "into courses/ (every course there also gets its syllabus page on the site)")
    data = ROOT / "build" / "courses" / f"{path.stem}.json"
    if not data.exists():
        raise CoursePackError(f"{rel}: error: the build has not read this course yet\n  what to do: run "
                              "./site.sh course without --no-pipeline")
    return json.loads(data.read_text(encoding="utf-8"))


def make_epub(course_id: str, target: Path) -> bool:
    """The course's EPUB at ``target`` by ``python -m scripts.formats.course_epub`` (a command: the
    formats stage comes after this one, see its docstring); False when the course assigns no printed
    reading. A failure stops the pack with the command's message."""
    cmd = [sys.executable, "-m", "scripts.formats.course_epub", course_id, str(target)]
    if edition_is_public():
        cmd.append("--public")
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode == 3:
        return False
    if proc.returncode != 0:
        raise CoursePackError(proc.stderr.strip() or f"the course's EPUB could not be made (exit {proc.returncode})")
    return True


def edition_is_public(root: Path = ROOT) -> bool:
    """Whether the last build (whose docs/ the pack is made from) was the public-web edition."""
    try:
        return bool(json.loads((root / "build" / "report.json").read_text(encoding="utf-8")).get("public"))
    except (OSError, ValueError):
        return False


def page_titles(course: dict) -> dict[str, str]:
    return {item["page"]: re.sub(r", ¶ [\d–]+$", "", item["title"]) for item in course["items"]}


def make_docs(course: dict, docs: Path, out: Path) -> int:
    """A docs folder with only the course's pages, the syllabus as index.md and the glossary."""
    kept = set(course["pages"]) | {"index.md", "glossary.md"}
    unlinked = 0
    for page in course["pages"] + ["glossary.md"]:
        src = docs / page
        if not src.exists():
            raise CoursePackError(f"docs/{page} is missing: run the build again")
        text = src.read_text(encoding="utf-8")
        if page == "glossary.md":
            text = limit_used_in(text, kept)
        # the site's EPUB/PDF links: the pack holds neither the files nor the download page
        text = re.sub(r'^<p class="format-links">.*</p>\n', "", text, flags=re.M)
        text, n = unlink_outside(text, page, kept)
        unlinked += n
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        (out / page).write_text(text, encoding="utf-8")
    home, n = unlink_outside(course["home_markdown"], "index.md", kept)
    (out / "index.md").write_text(home, encoding="utf-8")
    shutil.copytree(docs / "assets", out / "assets")
    if (docs / "cite").is_dir():                     # the pages' own BibTeX and RIS downloads ("Cite this")
        shutil.copytree(docs / "cite", out / "cite")
    return unlinked + n


def build_bundle_site(course: dict, work: Path) -> Path:
    """The course's offline site (Material's offline plugin + our search worker), in work/<name>."""
    docs = work / "docs"
    docs.mkdir()
    make_docs(course, ROOT / "docs", docs)
    # the config sits beside mkdocs.yml (git ignores .mkdocs-*.yml) so that its relative paths — the
    # theme's custom_dir, hooks — mean what they mean there
    fd, name = tempfile.mkstemp(prefix=".mkdocs-course-", suffix=".yml", dir=ROOT)
    config = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(course_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), course, docs, page_titles(course)))
    site = work / f"{course['id']}-course"
    try:
        code = render_site(Paths(ROOT), config, site, offline=True)
    finally:
        config.unlink(missing_ok=True)
    if code != 0:
        raise CoursePackError("the course's offline site did not build cleanly (the messages above say why)")
    check_no_unpkg(site)
    (site / "README.txt").write_text(bundle_readme(course), encoding="utf-8")
    return site


def bundle_readme(course: dict) -> str:
    return (f"{course['title']}\n{'=' * len(course['title'])}\n\n"
            "A course pack of Revolution from Above — an annotated reader.\n\n"
            "Open index.html in a web browser (double-click it). Everything works without a network:\n"
            "the syllabus, the texts, the glossary, the notes and search. Only the texts this course\n"
            "lists are included; links to other texts are shown as plain text.\n\n"
            f"Built {dt.date.today():%d %B %Y}.\n")


# ---- the printed course reader ----------------------------------------------------------------

READER_CSS = """
@page { size: A4; margin: 22mm 20mm 22mm 20mm;
        @top-left { content: string(course); font-size: 8pt; color: #444; }
        @top-right { content: string(item); font-size: 8pt; color: #444; }
        @bottom-center { content: counter(page); font-size: 9pt; } }
@page :first { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }
html { font-family: "DejaVu Serif", serif; font-size: 10.5pt; line-height: 1.45; color: #000; }
.title-page { string-set: course content(); page-break-after: always; padding-top: 60mm; }
.title-page h1 { font-size: 24pt; string-set: course content(); }
.contents { page-break-after: always; }
.contents a { color: #000; text-decoration: none; }
.contents li { list-style: none; margin: 0.3em 0; }
.contents a::after { content: leader(".") target-counter(attr(href), page); }
.item { page-break-before: always; }
.item > h1 { string-set: item content(); font-size: 17pt; }
a { color: #000; text-decoration: none; }
blockquote { margin: 0.6em 2em; }
sup { font-size: 7pt; }
.footnote { font-size: 9pt; border-top: 1px solid #000; margin-top: 2em; }
.footnote ol { padding-left: 2.5em; }
table { border-collapse: collapse; font-size: 8pt; }
td, th { border: 1px solid #999; padding: 2px 4px; }
img { max-width: 100%; }
.rights-note { border-top: 1px solid #000; font-size: 8.5pt; margin-top: 1.5em; padding-top: 0.5em; }
.reading-guide, details { border: 1px solid #999; padding: 0.4em 0.8em; margin: 1em 0; }
.outside-pack { font-style: italic; }
page-break.pb::before { content: "[p. " attr(data-page) "]"; font-size: 7.5pt; color: #444; padding: 0 0.2em; }
.pb-line { text-align: right; }
.partial-mark { font-size: 8.5pt; font-style: italic; margin: 0.2em 0; }
.headerlink, .md-source-file, .md-content__button, .footnote-backref { display: none; }
"""


def clean_article(article, page_file: Path) -> None:
    """Make a bundle page's article printable: plain glossary words, open boxes, file URLs for images."""
    for a in article.select("a.headerlink, a.footnote-backref"):
        a.decompose()
    for a in article.find_all("a"):
        if a.find_parent(class_="footnote-ref") is None and "footnote-ref" not in (a.get("class") or []):
            a.unwrap()
    for a in article.select("a.footnote-ref"):
        a.unwrap()
    for details in article.find_all("details"):
        details.name = "div"
        details["class"] = (details.get("class") or []) + ["reading-guide"]
        summary = details.find("summary")
        if summary:
            summary.name = "p"
            summary["class"] = ["guide-title"]
    for img in article.find_all("img"):
        if img.get("src") and not re.match(r"^[a-z]+:", img["src"]):
            img["src"] = (page_file.parent / img["src"]).resolve().as_uri()


def keep_paragraphs(article, first: int, last: int) -> None:
    """Only ¶ first–last of a page (with the heading, the guide and the notes those paragraphs cite).

    A page that begins between two paragraphs has its marker as a block of its own (``div.pb-line``)
    before the paragraph that opens the page: it is kept or dropped with the next paragraph, not the
    one before, so that a range starting on that page shows its first page's marker, and one ending
    just before it does not show the marker of a page it does not print."""
    blocks = [c for c in article.children if getattr(c, "name", None)]
    def number(el) -> int | None:
        ids = [el.get("id", "")] + [d.get("id", "") for d in el.find_all(id=re.compile(r"^p\d+$"))]
        nums = [int(i[1:]) for i in ids if re.fullmatch(r"p\d+", i)]
        return min(nums) if nums else None
    inside = False
    cited: set[str] = set()
    markers: list = []                       # page markers waiting for the next paragraph
    for el in blocks:
        if el.name == "h1" or "reading-guide" in (el.get("class") or []) or "footnote" in (el.get("class") or []) \
                or "rights-note" in (el.get("class") or []):
            continue
        if "pb-line" in (el.get("class") or []):
            markers.append(el)
            continue
        n = number(el)
        if n is not None:
            inside = first <= n <= last
            for marker in markers:
                if not inside:
                    marker.decompose()
            markers = []
        if inside:
            cited |= {s.get("id", "").replace("fnref:", "fn:") for s in el.find_all("sup")}
        else:
            el.decompose()
    for marker in markers:                   # after the page's last paragraph: no paragraph of the range follows
        marker.decompose()
    for li in article.select(".footnote li"):
        if li.get("id") not in cited:
            li.decompose()


def item_extent(item: dict) -> str:
    """", pp. 112–125 (¶ 1–40)" for a printed-page range, ", ¶ 50–76" for a paragraph range, else ""."""
    if item.get("printed_pages"):
        return f", {item['printed_pages']} ({item['span']})"
    return f", {item['span']}" if item.get("span") else ""


def mark_partial(article, partial: dict[str, str], pages: str) -> None:
    """Before a paragraph that a page range includes whole although it runs beyond the range's pages,
    say so ("¶ 1 begins on p. 111, before pp. 112–125; printed whole")."""
    for anchor, where in partial.items():
        el = article.find(id=anchor)
        if el is None:
            continue
        note = BeautifulSoup(f'<p class="partial-mark">[¶ {html.escape(anchor[1:])} {html.escape(where)}: it runs beyond '
                             f"{html.escape(pages)} and is printed whole.]</p>", "html.parser")
        el.insert_before(note)


def reader_html(course: dict, site: Path) -> str:
    """The whole course reader as one HTML document for WeasyPrint."""
    parts = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{html.escape(course['title'])}</title>"
             f"<style>{READER_CSS}</style></head><body>",
             f'<section class="title-page"><h1>{html.escape(course["title"])}</h1>'
             f"<p>A course reader from <em>Revolution from Above — an annotated reader</em>.</p>"
             f"<p>Printed {dt.date.today():%d %B %Y}. The texts are reproduced for classroom study; each item "
             f"ends with its rights line.</p></section>",
             '<section class="contents"><h2>Contents</h2><ol>']
    for n, item in enumerate(course["items"], 1):
        parts.append(f'<li><a href="#item-{n}">{html.escape(item["title"] + item_extent(item))}</a></li>')
    parts.append("</ol></section>")
    for n, item in enumerate(course["items"], 1):
        page_file = site / (item["page"][:-3] + ".html")
        soup = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article")
        clean_article(article, page_file)
        if item["span"]:
            first, last = (int(x) for x in re.findall(r"\d+", item["span"])[:2]) if "–" in item["span"] else \
                (int(item["span"][2:]),) * 2
            keep_paragraphs(article, first, last)
            mark_partial(article, item.get("partial") or {}, item.get("printed_pages", ""))
        h1 = article.find("h1")
        title = html.escape(item["title"] + item_extent(item))
        if h1:
            h1.decompose()
        if item["page"].startswith("essays/") and not article.select(".rights-note"):
            article.append(BeautifulSoup('<aside class="rights-note"><p><strong>Rights:</strong> an essay written for '
                                         "this edition; the project's own prose.</p></aside>", "html.parser"))
        parts.append(f'<section class="item" id="item-{n}"><h1>{title}</h1>'
                     f'<p class="item-facts">{item["words"]:,} words, about {item["minutes"]} min of reading</p>'
                     f"{article.decode_contents()}</section>")
    parts.append("</body></html>")
    return "".join(parts)


def syllabus_html(site: Path) -> str:
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    clean_article(article, site / "index.html")
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><style>{READER_CSS}"
            f".item{{page-break-before:auto}}</style></head><body><section class=item>{article.decode_contents()}"
            "</section></body></html>")


def write_pdf(document: str, target: Path) -> None:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=document, base_url=str(target.parent)).write_pdf(target)


def build_course_pack(course_file: Path, pipeline: bool = True, dist: Path | None = None,
                      site_url: str | None = None, cartridge: bool = True) -> dict[str, Path]:
    """Make the files of one course in ``dist`` (default dist/); returns their paths.

    ``site_url`` (default: mkdocs.yml's) is the edition's address the cartridge links to; it is
    checked before anything is built."""
    dist = dist or ROOT / "dist"
    if cartridge:
        site_url = check_site_url(site_url or site_url_of(ROOT / "mkdocs.yml"), Path("mkdocs.yml"))
    if pipeline:
        run_pipeline()
    course = load_course_data(course_file)
    dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="course.", dir=dist) as tmp:
        work = Path(tmp)
        site = build_bundle_site(course, work)
        names = {"bundle": f"{course['id']}-offline.zip", "reader": f"{course['id']}-reader.pdf",
                 "syllabus": f"{course['id']}-syllabus.pdf"}
        out = work / "out"
        out.mkdir()
        write_pdf(reader_html(course, site), out / names["reader"])
        write_pdf(syllabus_html(site), out / names["syllabus"])
        make_zip(site, out / names["bundle"])
        # the course's readings as an EPUB, made as the site build makes it (scripts/formats/stage.py)
        if make_epub(course["id"], out / f"{course['id']}.epub"):
            names["epub"] = f"{course['id']}.epub"
        if cartridge:
            names["cartridge"] = f"{course['id']}.imscc"
            write_cartridge(course, site_url, out / names["cartridge"])
        # what the next site build reads to link this pack from the syllabus page (scripts/course/syllabi.py)
        record = {"course": course_fingerprint(course), "files": list(names.values()), "made": dt.date.today().isoformat()}
        (out / f"{course['id']}.pack.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
        result = {}
        for key, name in names.items():
            (out / name).replace(dist / name)
            result[key] = dist / name
        (out / f"{course['id']}.pack.json").replace(dist / f"{course['id']}.pack.json")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Pack a course: syllabus, offline bundle and printed reader in dist/.")
    parser.add_argument("course", type=Path, help="a course file, e.g. courses/collectivization.yml")
    parser.add_argument("--no-pipeline", action="store_true", help="reuse docs/ from the last build")
    parser.add_argument("--site-url", help="the edition's web address the cartridge links to (default: mkdocs.yml's site_url)")
    parser.add_argument("--no-cartridge", action="store_true", help="skip the Common Cartridge (<id>.imscc)")
    args = parser.parse_args(argv)
    try:
        with interruptible():    # SIGTERM/Ctrl-C unwind: the scratch folder in dist/ is removed on the way out
            result = build_course_pack(args.course, pipeline=not args.no_pipeline, site_url=args.site_url,
                                       cartridge=not args.no_cartridge)
    except (CoursePackError, BundleError, BuildError) as err:
        print(err, file=sys.stderr)
        print("course pack stopped: nothing was written to dist/", file=sys.stderr)
        return 1
    except Interrupted as exc:
        print(f"course pack interrupted ({exc}): its scratch folder was removed; the pack files in dist/ "
              "are those of the last pack that finished", file=sys.stderr)
        return 128 + exc.signum
    for key, path in result.items():
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
