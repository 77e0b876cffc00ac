"""The escaping rule at the boundary (scripts/core/escape.py), the sanitizer of hand-written pages
(scripts/site/sanitize.py) and the warning for invisible characters, in-process (no build)."""
from __future__ import annotations

from pathlib import Path

import pytest

from scripts.core import escape
from scripts.core.datafile import Strict, Text, free_text_fields, parse_yaml, validate
from scripts.site.sanitize import sanitize_html

PAYLOAD = '<b id="pw">B</b> <script>alert("s")</script> [jl](javascript:alert("j"))'


def test_html_contexts_leave_no_tag_and_no_open_attribute() -> None:
    assert "<" not in escape.html_text(PAYLOAD) and "<" not in escape.html_attr(PAYLOAD)
    assert '"' not in escape.html_attr(PAYLOAD)


def test_markdown_inline_forms_no_link_tag_or_attribute_list() -> None:
    import markdown
    html = markdown.markdown(escape.md_inline(PAYLOAD + " {: onclick=x }"), extensions=["attr_list"])
    assert "<script" not in html and "<b" not in html and "href" not in html and "<p onclick" not in html
    assert "&lt;script&gt;" in html and "{: onclick=x }" in html     # shown as typed
    assert escape.md_inline("*em*") == "*em*"                          # emphasis: the one syntax kept


@pytest.mark.parametrize("target", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:x", "vbscript:x",
                                    "data:text/html,<script>", "file:///etc/passwd"])
def test_unsafe_link_targets_are_refused(target: str) -> None:
    assert not escape.is_safe_url(target)


@pytest.mark.parametrize("target", ["https://example.org/a", "mailto:x@y.z", "../readings/viola/chapter-4.html#p3", "#fn:1", "x.zip"])
def test_safe_link_targets_pass(target: str) -> None:
    assert escape.url(target) == target


def test_page_front_matter_is_html_in_yaml() -> None:
    import yaml
    fm = escape.page_front_matter(PAYLOAD, PAYLOAD)
    data = yaml.safe_load(fm.strip("-\n"))
    assert "<" not in data["title"] and '"' not in data["description"]


def test_the_sanitizer_removes_scripts_handlers_and_script_urls_but_keeps_the_site_html() -> None:
    dirty = ('<p onclick="x()" class="rd" data-page="4" id="p1">a <script>alert(1)</script>'
             '<a href="javascript:alert(1)">j</a><a href="../x.html#p1" class="gl">ok</a>'
             '<img src="data:image/png;base64,xx" onerror="alert(1)"><iframe src="https://e.org"></iframe></p>'
             '<details class="note" open><summary>S</summary><table><tr><th scope="col">h</th></tr></table></details>'
             '<figure id="f"><img src="../assets/charts/c.svg" alt="c"><figcaption>c</figcaption></figure>'
             '<template class="cite-template" data-locator="page"><p data-form="chicago-note">t</p></template>')
    clean = sanitize_html(dirty)
    for gone in ("<script", "onclick", "onerror", "javascript:", "data:image", "<iframe"):
        assert gone not in clean
    for kept in ('class="rd"', 'data-page="4"', 'id="p1"', 'href="../x.html#p1"', "<details", "open", "<summary>",
                 'scope="col"', "<figure", 'src="../assets/charts/c.svg"', '<template class="cite-template"',
                 '<p data-form="chicago-note">t</p>'):
        assert kept in clean, kept


def test_bidi_overrides_and_control_characters_warn_at_their_line(tmp_path: Path, capsys) -> None:
    class M(Strict):
        a: Text
        b: Text

    path = tmp_path / "x.yml"
    data, lines = parse_yaml(path, 'a: plain\nb: "evil \\u202e txt"\n')
    validate(path, data, lines, M)
    err = capsys.readouterr().err
    assert f"{path}:2: warning:" in err and "U+202E" in err


def test_free_text_fields_come_from_the_schema_types() -> None:
    """A new Text field is covered without listing it; Refs and patterns are not free text."""
    from scripts.core.datafile import Ref, Slug

    class Item(Strict):
        note: Text
        source: Ref

    class M(Strict):
        title: Text
        id: Slug
        items: list[Item]
        extra: dict[str, Text] = {}

    assert free_text_fields(M) == [("title",), ("items", "*", "note"), ("extra", "*")]
