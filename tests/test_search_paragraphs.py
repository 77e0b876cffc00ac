"""Search results that land on the paragraph: each indexed paragraph carries its number
(scripts/site/search_paragraphs.py), read from the built index."""
from __future__ import annotations

import json
import re
from pathlib import Path

from scripts.site.search_paragraphs import DOCS_JSON, mark_paragraphs, page_paragraphs

CHAPTER = "readings/viola/chapter-4.html"


def test_indexed_paragraphs_carry_the_number_of_the_page_paragraph(built_site: Path) -> None:
    docs = json.loads((built_site / "search" / DOCS_JSON).read_text(encoding="utf-8"))
    html = (built_site / CHAPTER).read_text(encoding="utf-8")
    marked = [(n, body) for d in docs if d["location"].startswith(CHAPTER + "#")
              for n, body in re.findall(r'<p data-p="(\d+)">(.*?)</p>', d["text"], re.S)]
    assert len(marked) >= 60, len(marked)
    numbers = [int(n) for n, _ in marked]
    assert numbers == sorted(numbers), "paragraphs out of order"
    for number, body in marked:
        words = re.sub(r"<[^>]+>", " ", body).split()[:6]
        paragraph = re.search(rf'<p\b[^>]*\bid="p{number}"[^>]*>(.*?)</p>', html, re.S).group(1)
        text = " ".join(re.sub(r"<[^>]+>", " ", paragraph).split())
        assert " ".join(words) in text, (number, words)


def test_a_paragraph_is_found_by_its_text_not_its_place(tmp_path: Path) -> None:
    page = tmp_path / "c.html"
    page.write_text('<p id="p1">First paragraph, long enough to know.</p>'
                    '<p class="x" id="p2" data-page="3">Second <em>paragraph</em> &amp; more words here.</p>',
                    encoding="utf-8")
    assert page_paragraphs(page.read_text(encoding="utf-8")) == {
        "first paragraph, long enough to know.": "1", "second paragraph & more words here.": "2"}
    docs = [{"location": "c.html#s", "text": "<p>Second <em>paragraph</em> &amp; more words here.</p>"
             "<p>Not on the page at all, anywhere.</p>"}]
    assert mark_paragraphs(tmp_path, docs) == 1
    assert docs[0]["text"].startswith('<p data-p="2">Second') and "<p>Not on the page" in docs[0]["text"]
