"""One stylesheet per page (issue 19): assets/stylesheets/site.css with its @imports written in by the
build (scripts/site/stylesheet.py), read from the real build and the real sources (the Zensical build:
tests/test_zensical.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.site.stylesheet import SITE_CSS, StylesheetError, combined, imports
from tests.conftest import ROOT

_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


def _ours(html: str) -> list[str]:
    """The stylesheets of ours a page links (Material's own are under assets/stylesheets/ too, with a hash)."""
    return [h for h in _LINK.findall(html) if "/assets/" in "/" + h and not re.search(r"\.[0-9a-f]{8}\.min\.css$", h)]


def _rule_lines(css: str) -> list[str]:
    """The non-empty lines of a stylesheet outside its comments, to find each source inside site.css."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [line.strip() for line in css.split("\n") if line.strip() and "url(" not in line]


def test_imports_are_written_in_order_with_their_urls_and_media(tmp_path: Path) -> None:
    (tmp_path / "assets/stylesheets").mkdir(parents=True)
    (tmp_path / "assets/fonts/face").mkdir(parents=True)
    (tmp_path / "assets/fonts/face/face.css").write_text(
        "@font-face { src: url(./files/f.woff2) format('woff2'); }\n.x { background: url(data:image/png;base64,AA) }")
    (tmp_path / "assets/stylesheets/a.css").write_text(".a { color: red }")
    (tmp_path / "assets/stylesheets/b.css").write_text("@media print { .b { color: black } }")
    (tmp_path / SITE_CSS).write_text('/* @import "nothing.css"; */\n@import "../fonts/face/face.css";\n'
                                     '@import "a.css" screen;\n@import url(b.css);\n')
    css = combined(tmp_path)
    assert css.index("@font-face") < css.index(".a {") < css.index(".b {")
    assert 'url("../fonts/face/files/f.woff2")' in css and "url(data:image/png;base64,AA)" in css
    assert re.search(r"@media screen \{\s*\.a \{ color: red \}\s*\}", css)
    assert "@media print { .b { color: black } }" in css and "@import" not in css.split("*/", 1)[1]


def test_a_missing_import_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "assets/stylesheets").mkdir(parents=True)
    (tmp_path / SITE_CSS).write_text('/* one */\n@import "a.css";\n@import "gone.css";\n')
    (tmp_path / "assets/stylesheets/a.css").write_text(".a{}")
    with pytest.raises(StylesheetError) as err:
        combined(tmp_path)
    assert err.value.line == 3 and "assets/stylesheets/gone.css" in str(err.value)


def test_every_page_links_one_stylesheet_of_ours(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 30
    for page in pages:
        ours = _ours(page.read_text(encoding="utf-8"))
        assert [h.rsplit("/", 1)[-1] for h in ours] == ["site.css"], (page, ours)


def test_the_built_stylesheet_holds_every_source_in_order(generated_docs: Path, built_site: Path) -> None:
    """In docs/ (as the build writes it) every source in order; in the site (minified after MkDocs by
    scripts/site/trim_assets.py) no @import, no comment but licences, and every url() a file."""
    css = (generated_docs / SITE_CSS).read_text(encoding="utf-8")
    assert "@import" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    at = 0
    for _line, href, _media in imports(ROOT / SITE_CSS):
        source = (ROOT / SITE_CSS).parent / href
        lines = _rule_lines(source.read_text(encoding="utf-8"))
        assert lines, source
        found = css.find(lines[0], at)
        assert found >= 0, f"{href} missing or out of order in site.css"
        at = found
    assert css.count("@media print") >= 5, "print.css and the print blocks of the others"
    site_css = (built_site / SITE_CSS).read_text(encoding="utf-8")
    assert "@import" not in site_css and not re.search(r"/\*(?!!)", site_css), "site.css is not minified"
    assert "@media print" in site_css and len(site_css) < len(css)
    urls = re.findall(r"url\(\s*[\"']?([^\"')\s]+)", site_css)
    fonts = [u for u in urls if u.endswith(".woff2")]
    assert len(fonts) >= 12, urls
    for url in urls:
        if not url.startswith("data:"):
            assert (built_site / SITE_CSS).parent.joinpath(url).resolve().is_file(), url
