"""Zero broken internal links and anchors in the built site (online and offline builds).

A small checker over the built HTML with the standard library's html.parser: it collects every
element id (and <a name>) per page, and every internal reference (a/link/area href, img/script/
iframe/source src); each reference must name a file inside the site and, if it has a
#fragment, an id on the target page. Root-relative ("/x") links count as broken, because
they break when the bundle is opened from file:// (except in 404.html, which a web server shows
at any URL, so MkDocs writes it with links from the site root). External http(s)/mailto links are not
followed (the privacy tests check that pages REQUEST nothing outside the site).
"""
from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


from tests.conftest import site_pages

LINK_ATTRS = {"a": "href", "link": "href", "area": "href", "img": "src", "script": "src",
              "iframe": "src", "source": "src", "video": "src", "audio": "src"}
#: Files `./site.sh build` puts beside the pages after mkdocs (scripts/build.py add_offline_zip):
#: the offline bundle that "Download for offline use" links. A bare `mkdocs build` (as here)
#: does not make them, and the bundle does not contain itself.
PLACED_BY_THE_SITE_BUILD = {"revolution-from-above-offline.zip"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data", "javascript"}


class _PageParser(HTMLParser):
    """Collects the ids a page defines and the references it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        attr = LINK_ATTRS.get(tag)
        if attr and values.get(attr) is not None:
            self.refs.append(values[attr])
        if tag in {"img", "source"} and values.get("srcset"):
            self.refs.extend(part.split()[0] for part in values["srcset"].split(",") if part.strip())


@dataclass(frozen=True)
class Broken:
    page: str
    ref: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.ref!r} — {self.reason}"


def parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def check_site(site: Path) -> list[Broken]:
    """Every broken internal reference in the site at `site`."""
    pages = {p: parse(p) for p in site_pages(site)}
    broken: list[Broken] = []
    for page, parsed in pages.items():
        name = page.relative_to(site).as_posix()
        for ref in parsed.refs:
            parts = urlsplit(ref)
            if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
                continue
            if parts.scheme:
                broken.append(Broken(name, ref, f"unexpected scheme {parts.scheme}:"))
                continue
            base = page.parent
            if parts.path.startswith("/"):
                if name != "404.html":
                    broken.append(Broken(name, ref, "root-relative link (breaks under file://)"))
                    continue
                base = site  # the server's 404 page is shown at any URL, so it links from "/"
            path = unquote(parts.path).lstrip("/")
            target = (base / path).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            try:
                target.relative_to(site.resolve())
            except ValueError:
                broken.append(Broken(name, ref, "points outside the site"))
                continue
            if not target.exists() and target.name not in PLACED_BY_THE_SITE_BUILD:
                broken.append(Broken(name, ref, "target file does not exist"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if fragment not in ids:
                    broken.append(Broken(name, ref, f"no id {fragment!r} on "
                                         f"{target.relative_to(site.resolve()).as_posix()}"))
    return broken


def _report(broken: list[Broken]) -> str:
    shown = "\n".join(str(b) for b in broken[:60])
    more = f"\n… and {len(broken) - 60} more" if len(broken) > 60 else ""
    return f"{len(broken)} broken internal links:\n{shown}{more}"


def test_online_site_has_no_broken_internal_links(built_site: Path) -> None:
    assert len(site_pages(built_site)) > 10
    broken = check_site(built_site)
    assert not broken, _report(broken)


def test_offline_bundle_has_no_broken_internal_links(offline_site: Path) -> None:
    broken = check_site(offline_site)
    assert not broken, _report(broken)


def test_checker_finds_missing_files_anchors_and_root_links(tmp_path: Path) -> None:
    """The checker itself can fail: a tiny site with one of each kind of breakage."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text('<p id="here">b</p>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="sub/b.html#here">ok</a> <a href="sub/b.html#gone">bad anchor</a>'
        '<a href="missing.html">bad file</a> <a href="/sub/b.html">root</a>'
        '<a href="#top">bad self</a> <a href="https://example.org/">external</a>'
        '<img src="img/x.png" alt="">', encoding="utf-8")
    found = {(b.ref, b.reason.split(" ")[0]) for b in check_site(tmp_path)}
    assert found == {("sub/b.html#gone", "no"), ("missing.html", "target"),
                     ("/sub/b.html", "root-relative"), ("#top", "no"), ("img/x.png", "target")}
