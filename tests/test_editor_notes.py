"""Editor's notes (data/editor_notes.yml, scripts/render/editor_notes.py) on the BUILT site.

Each note stands at its paragraph: a dagger after the words it names, linking to the note, and the
note itself under the paragraph, in the edition's own element (``aside.editor-note``), never among
the author's numbered notes; the reading's "About this text" lists it. Bad data stops the build at
the file's line with what to do (checked on the real file, edited in a scratch copy).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from scripts.core.errors import BuildError
from scripts.core.passages import load as load_passages, normalise
from scripts.render import editor_notes

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "editor_notes.yml"


def _notes() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["notes"]


def _page(site: Path, at: str) -> Path:
    key = at.split("#")[0]
    return site / ("readings/" + (f"{key}.html" if "/" in key else f"{key}/index.html"))


def test_the_notes_file_has_the_goldman_slips() -> None:
    ids = {n["id"]: n for n in _notes()}
    assert ids["goldman-stalin-siberia-1928"]["at"] == "goldman#p17"
    assert ids["goldman-stalin-siberia-1928"]["words"] == "early 1929"
    assert ids["goldman-25000ers-november-1929"]["words"] == "That summer"


@pytest.mark.parametrize("note", _notes(), ids=lambda n: n["id"])
def test_each_note_stands_at_its_paragraph(built_site: Path, note: dict) -> None:
    soup = BeautifulSoup(_page(built_site, note["at"]).read_text(encoding="utf-8"), "html.parser")
    para = soup.find(id=note["at"].split("#")[1])
    assert para is not None and para.name == "p"
    ref = para.select_one(f'sup.ed-note#edref-{note["id"]} a.ed-note-ref')
    assert ref is not None, f"no dagger for {note['id']} in {note['at']}"
    assert ref.get_text() == "†" and ref["href"] == f"#ed-{note['id']}"
    assert "footnote-ref" not in (ref.get("class") or []), "an editor's note is never numbered among the author's"
    # the dagger follows the words it names
    text = ""
    for node in para.descendants:
        if node is ref:
            break
        if isinstance(node, str):
            text += node
    assert normalise(text).endswith(normalise(note["words"])), text[-80:]
    # the note stands under the paragraph (before the next paragraph of the text)
    aside = soup.find(id=f"ed-{note['id']}")
    assert aside is not None and aside.name == "aside" and "editor-note" in aside["class"]
    following = [el for el in para.find_all_next(["p", "aside"]) if el.get("id", "").startswith(("p", "ed-"))]
    before_next = []
    for el in following:
        if el.name == "p" and el.get("id", "").startswith("p") and el.get("id")[1:].isdigit():
            break
        before_next.append(el)
    assert aside in before_next, "the note is not directly under its paragraph"
    assert "Editor’s note" in aside.get_text() and normalise(note["text"][:60]) in normalise(aside.get_text())
    assert not aside.find_parent(class_="footnote"), "the note is not in the author's notes"


def test_about_this_text_lists_the_readings_editor_notes(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "readings/goldman/index.html").read_text(encoding="utf-8"), "html.parser")
    apparatus = soup.select_one(".apparatus")
    goldman = {f"ed-{n['id']}" for n in _notes() if n["at"].split("#")[0] == "goldman"}
    assert len(goldman) >= 2
    assert f"Editor’s notes ({len(goldman)})" in apparatus.get_text()
    links = [a["href"] for a in apparatus.select("a") if "#ed-" in a.get("href", "")]
    assert {h.split("#")[1] for h in links} == goldman
    about = BeautifulSoup((built_site / "readings/viola/about.html").read_text(encoding="utf-8"), "html.parser")
    assert "Editor’s notes" in about.select_one(".apparatus").get_text()


def test_the_authors_words_are_unchanged(built_site: Path) -> None:
    """The paragraph's own text (without the dagger) is the passage as the author wrote it."""
    passages = load_passages()
    soup = BeautifulSoup((built_site / "readings/goldman/index.html").read_text(encoding="utf-8"), "html.parser")
    para = soup.find(id="p17")
    for junk in para.select(".ed-note, .footnote-ref, .para-link, .headerlink, sup"):
        junk.decompose()
    assert normalise(para.get_text(" ")).replace(" ", "") == normalise(passages["goldman"]["p17"]).replace(" ", "")


# ---- bad data: file:line and what to do -----------------------------------------------------------
def _check(tmp_path: Path, text: str) -> None:
    path = tmp_path / "editor_notes.yml"
    path.write_text(text, encoding="utf-8")
    notes, lines = editor_notes.load(path)
    editor_notes.check(notes, lines, path, load_passages())


GOOD = DATA.read_text(encoding="utf-8")


def test_the_real_file_passes(tmp_path: Path, build_dir: Path) -> None:
    _check(tmp_path, GOOD)


@pytest.mark.parametrize("old,new,line_of,message", [
    ("at: goldman#p17\n    words: \"early 1929\"", "at: goldman#p170\n    words: \"early 1929\"", "at: goldman#p170",
     "there is no paragraph goldman#p170"),
    ("words: \"early 1929\"", "words: \"early 1928\"", "words: \"early 1928\"", "are not in paragraph goldman#p17"),
    ("id: goldman-25000ers-november-1929", "id: goldman-stalin-siberia-1928", "- id: goldman-stalin-siberia-1928\n    at: goldman#p17\n    words: \"That",
     "is used twice"),
    ("- \"@viola/chapter-2#p5\"", "- \"@viola/chapter-2#p5000\"", "@viola/chapter-2#p5000", "is not a passage"),
    ("    words: \"That summer\"\n", "    words: \"That summer\"\n    page: 12\n", "page: 12", "unknown key 'page'"),
])
def test_bad_notes_stop_with_file_line_and_what_to_do(tmp_path: Path, old: str, new: str, line_of: str, message: str,
                                                     build_dir: Path) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    with pytest.raises(BuildError) as err:
        _check(tmp_path, text)
    expected_line = text[: text.index(line_of)].count("\n") + 1
    assert message in err.value.message
    assert err.value.line == expected_line, (err.value.line, expected_line)
    assert err.value.hint
