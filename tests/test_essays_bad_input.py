"""Bad essays and guides stop the build with the file, the line and what to do; docs/ is untouched.

Each test copies the project's inputs into a scratch folder, adds or damages one essay or guide there
(never in content/ or data/ of the repository), and runs the real build.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.paths import Paths
from scripts.pipeline import generate
from scripts.core.errors import BuildError
from tests.project_copy import scratch_paths

ROOT = Path(__file__).resolve().parent.parent

GOOD_ESSAY = """---
title: "A Test Essay"
summary: "A test of the essay pipeline. It has two sentences."
readings: [viola, goldman]
---

# A Test Essay

Viola writes that the recruit “was intended to be the model worker, the model activist, and the model revolutionary.”[^1]

Goldman begins in October 1917.[^2] See also [the organization of the drive](@viola/chapter-2#p5).

[^1]: @viola/chapter-2#p7.
[^2]: @goldman#p3.
"""


@pytest.fixture
def scratch(tmp_path: Path) -> Paths:
    """A copy of every build input (without the real essays), and a docs/ folder with a sentinel."""
    paths = scratch_paths(tmp_path, sentinel=True)
    shutil.rmtree(tmp_path / "content" / "essays", ignore_errors=True)
    (tmp_path / "content" / "essays").mkdir(parents=True)
    (tmp_path / "data" / "essays.yml").unlink(missing_ok=True)   # it names the real essays
    shutil.rmtree(tmp_path / "courses", ignore_errors=True)      # so do the course files
    return paths


def fail(paths: Paths) -> BuildError:
    with pytest.raises(BuildError) as info:
        generate(paths)
    assert (paths.docs / "sentinel.md").read_text() == "previous build\n", "docs/ was replaced by a failed build"
    assert not any(p.name.startswith("docs.") for p in paths.root.iterdir()), "a scratch docs folder was left behind"
    err = info.value
    assert str(err).startswith(f"{err.path}:{err.line}: error: ") and "what to do: " in str(err)
    return err


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def write_essay(paths: Paths, text: str, name: str = "test-essay.md") -> Path:
    path = paths.content / "essays" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_good_fixture_builds(scratch: Paths) -> None:
    write_essay(scratch, GOOD_ESSAY)
    generate(scratch)
    page = (scratch.docs / "essays" / "test-essay.md").read_text(encoding="utf-8")
    assert "@viola" not in page and "summary:" not in page
    # the note is the CSL processor's (Chicago, printed page 38 of ch. 2), linked to the paragraph
    assert "(Oxford University Press, 1987), 38](../readings/viola/chapter-2.md#p7){: .cite-link .cite-passage }" in page
    assert "Discussed in: [*A Test Essay*](../../essays/test-essay.md#fnref:1)" in \
        (scratch.docs / "readings" / "viola" / "chapter-2.md").read_text(encoding="utf-8")


def test_footnote_citing_a_paragraph_that_does_not_exist(scratch: Paths) -> None:
    text = GOOD_ESSAY.replace("[^1]: @viola/chapter-2#p7.", "[^1]: @viola/chapter-2#p9999.")
    path = write_essay(scratch, text)
    err = fail(scratch)
    assert err.path == str(path) and err.line == line_of(text, "p9999")
    assert "p9999" in err.message and "python -m scripts.core.passages" in err.hint


def test_link_to_a_paragraph_that_does_not_exist(scratch: Paths) -> None:
    text = GOOD_ESSAY.replace("(@viola/chapter-2#p5)", "(@goldman#p400)")
    write_essay(scratch, text)
    err = fail(scratch)
    assert err.line == line_of(text, "@goldman#p400") and "p400" in err.message


def test_citation_of_a_chapter_that_does_not_exist(scratch: Paths) -> None:
    text = GOOD_ESSAY.replace("[^2]: @goldman#p3.", "[^2]: @viola/chapter-9#p3.")
    write_essay(scratch, text)
    err = fail(scratch)
    assert err.line == line_of(text, "chapter-9") and "chapter-9" in err.message


def test_misquotation(scratch: Paths) -> None:
    text = GOOD_ESSAY.replace("the model activist", "the model soldier")
    write_essay(scratch, text)
    err = fail(scratch)
    assert err.line == line_of(text, "model soldier") and "word for word" in err.message
    assert "copy the words exactly" in err.hint


def test_essay_without_a_title(scratch: Paths) -> None:
    text = GOOD_ESSAY.replace('title: "A Test Essay"\n', "")
    path = write_essay(scratch, text)
    err = fail(scratch)
    assert err.path == str(path) and err.line == 1 and "title" in err.message and "title:" in err.hint


def test_essay_without_a_summary(scratch: Paths) -> None:
    write_essay(scratch, GOOD_ESSAY.replace('summary: "A test of the essay pipeline. It has two sentences."\n', ""))
    assert "summary" in fail(scratch).message


def test_essay_naming_an_unknown_reading(scratch: Paths) -> None:
    text = GOOD_ESSAY.replace("readings: [viola, goldman]", "readings: [viola, kuromiya]")
    write_essay(scratch, text)
    err = fail(scratch)
    assert err.line == line_of(text, "readings:") and "kuromiya" in err.message


GUIDE = """guides:
  - context: >-
      A paragraph of context.
    questions:
      - One?
      - Two?
      - Three?
"""


def write_guide(paths: Paths, name: str, text: str) -> Path:
    path = paths.guides / name
    path.write_text(text, encoding="utf-8")
    return path


def test_guide_for_an_unknown_reading(scratch: Paths) -> None:
    path = write_guide(scratch, "kuromiya.yml", GUIDE)
    err = fail(scratch)
    assert err.path == str(path) and err.line == 1 and "kuromiya" in err.message and "viola" in err.hint


def test_guide_for_an_unknown_chapter(scratch: Paths) -> None:
    text = (scratch.guides / "viola.yml").read_text(encoding="utf-8").replace("page: chapter-6", "page: chapter-9")
    path = write_guide(scratch, "viola.yml", text)
    err = fail(scratch)
    assert err.path == str(path) and err.line == line_of(text, "page: chapter-9")
    assert "chapter-9" in err.message and "chapter-7" in err.hint


def test_guide_with_no_questions(scratch: Paths) -> None:
    text = GUIDE.replace("    questions:\n      - One?\n      - Two?\n      - Three?\n", "    questions: []\n")
    path = write_guide(scratch, "hatch.yml", text)
    err = fail(scratch)
    assert err.path == str(path) and err.line == line_of(text, "questions") and "questions" in err.message


def test_guide_without_a_questions_key(scratch: Paths) -> None:
    text = GUIDE.split("    questions:")[0]
    write_guide(scratch, "hatch.yml", text)
    err = fail(scratch)
    assert "questions" in err.message and "missing" in err.message


def test_guide_with_too_few_questions(scratch: Paths) -> None:
    text = GUIDE.replace("      - Three?\n", "")
    write_guide(scratch, "goldman.yml", text)
    err = fail(scratch)
    assert err.line == line_of(text, "questions") and "2 question" in err.message and "three to five" in err.hint


def test_guide_timeline_citing_a_missing_passage(scratch: Paths) -> None:
    text = GUIDE + "    timeline:\n      - year: 1924\n        event: Something.\n        source: hatch#p99\n"
    write_guide(scratch, "hatch.yml", text)
    err = fail(scratch)
    assert err.line == line_of(text, "source: hatch#p99") and "hatch#p99" in err.message


def test_command_line_prints_file_line_and_what_to_do(scratch: Paths) -> None:
    """The real command, as a historian runs it: no traceback, exit 1, the error on stderr."""
    write_guide(scratch, "kuromiya.yml", GUIDE)
    proc = subprocess.run([sys.executable, "-m", "scripts.build"], cwd=scratch.root, capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    # named from the project root, as the historian sees it (no build-machine path)
    assert "data/guides/kuromiya.yml:1: error: there is no reading 'kuromiya'" in proc.stderr
    assert str(scratch.root) not in proc.stderr
    assert "what to do:" in proc.stderr


def test_course_order_naming_no_essay(scratch: Paths) -> None:
    write_essay(scratch, GOOD_ESSAY)
    text = "order:\n  - test-essay\n  - no-such-essay\n"
    path = scratch.root / "data" / "essays.yml"
    path.write_text(text, encoding="utf-8")
    err = fail(scratch)
    assert err.path == str(path) and err.line == 3 and "no-such-essay" in err.message and "test-essay" in err.hint


def test_guide_timeline_year_not_in_its_source(scratch: Paths) -> None:
    text = GUIDE + "    timeline:\n      - year: 1926\n        event: Something.\n        source: hatch#p1\n"
    write_guide(scratch, "hatch.yml", text)
    err = fail(scratch)
    assert err.line == line_of(text, "year: 1926") and "1926" in err.message
