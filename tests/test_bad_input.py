"""Bad input stops the build with the file, the line and what to do — or builds with a warning where
the text can still be shown faithfully. Never a traceback, never a half-written docs/.

Each test copies the project's inputs into a scratch folder, damages one of them, and runs the
real build there.
"""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.paths import Paths
from scripts.pipeline import generate
from scripts.core.errors import BuildError
from tests.project_copy import copy_project, scratch_paths

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def scratch(tmp_path: Path) -> Paths:
    """A copy of every build input, with a docs/ folder holding a sentinel file."""
    return scratch_paths(tmp_path, sentinel=True)


def assert_untouched(paths: Paths) -> None:
    assert (paths.docs / "sentinel.md").read_text() == "previous build\n", "docs/ was replaced by a failed build"
    assert not any(p.name.startswith("docs.") for p in paths.root.iterdir()), "a scratch docs folder was left behind"


def fail(paths: Paths) -> BuildError:
    with pytest.raises(BuildError) as info:
        generate(paths)
    assert_untouched(paths)
    return info.value


def edit_lines(path: Path, fn) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(fn(lines)), encoding="utf-8")
    if path.parent.name == "sources" and path.suffix == ".txt":
        resign(path)


def resign(source: Path) -> None:
    """Record a damaged source's new sha256 in the scratch manifest (as if it were received so), so
    that the test reaches the stage it is about instead of stopping at the checksum."""
    manifest = source.parent / "sources.yml"
    text = manifest.read_text(encoding="utf-8")
    block = text[text.index(f"file: {source.name}"):]
    old = re.search(r"sha256: ([0-9a-f]{64})", block).group(1)
    manifest.write_text(text.replace(old, hashlib.sha256(source.read_bytes()).hexdigest()), encoding="utf-8")


def test_missing_source_file(scratch: Paths) -> None:
    (scratch.sources / "goldman-blood-red-banner-2022.txt").unlink()
    err = fail(scratch)
    assert err.path.endswith("sources.yml") and err.line is not None
    assert "goldman-blood-red-banner-2022.txt" in err.message and "does not exist" in err.message and "sources/" in err.hint


def test_empty_source_file(scratch: Paths) -> None:
    (scratch.sources / "bw-unearthing-stalin-era-1998.txt").write_text("")
    err = fail(scratch)
    assert "empty" in err.message and err.hint


def test_source_not_utf8(scratch: Paths) -> None:
    path = scratch.sources / "siegelbaum-suny-command-economy-1993.txt"
    data = path.read_bytes().split(b"\n")
    data[40] = data[40].replace("–".encode(), b"\x96", 1) + b" \x96"   # a Windows-1252 dash on line 41
    path.write_bytes(b"\n".join(data))
    resign(path)
    err = fail(scratch)
    assert err.line == 41 and "UTF-8" in err.message and "iconv" in err.hint


def test_crlf_line_endings_build_with_a_warning(scratch: Paths) -> None:
    path = scratch.sources / "bw-unearthing-stalin-era-1998.txt"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # sha256 unchanged: only line endings differ
    generate(scratch)
    report = (scratch.report / "report.md").read_text()
    assert "CRLF" in report and "dos2unix" in report
    assert (scratch.docs / "readings" / "bw-review" / "index.md").exists()


def test_unknown_parser(scratch: Paths) -> None:
    edit_lines(scratch.manifest, lambda ls: [l.replace("parser: awtw_review", "parser: awtw_magazine") for l in ls])
    err = fail(scratch)
    assert err.path.endswith("sources.yml") and err.line is not None
    assert "awtw_magazine" in err.message and "awtw_review" in err.hint


def test_note_marker_with_no_note(scratch: Paths) -> None:
    """Siegelbaum & Suny: delete note 31 (the last line); marker 31 is left with no note."""
    path = scratch.sources / "siegelbaum-suny-command-economy-1993.txt"
    edit_lines(path, lambda ls: [l for l in ls if not l.startswith("31. ")])
    err = fail(scratch)
    assert err.path.endswith("siegelbaum-suny-command-economy-1993.txt")
    assert "31" in err.message and err.hint


def test_two_notes_with_one_number(scratch: Paths) -> None:
    """Goldman: renumber note 12 as a second note 11."""
    path = scratch.sources / "goldman-blood-red-banner-2022.txt"
    edit_lines(path, lambda ls: ["11 " + l[3:] if l.startswith("12 ") else l for l in ls])
    err = fail(scratch)
    assert err.path.endswith("goldman-blood-red-banner-2022.txt")
    assert err.line is not None and "11" in err.message


def test_broken_bibtex_entry(scratch: Paths) -> None:
    edit_lines(scratch.bib, lambda ls: [l.replace("year      = {1987},", "year      = {1987}") for l in ls])
    err = fail(scratch)
    assert err.path.endswith("readings.bib") and err.line is not None


def test_cli_prints_an_actionable_error_without_traceback(tmp_path: Path) -> None:
    """The real command line: a broken manifest gives `file:line: error` and exit 1, no traceback."""
    work = copy_project(tmp_path / "proj")
    edit_lines(work / "sources" / "sources.yml",
               lambda ls: [l.replace("parser: viola_book", "parser: no_such_parser") for l in ls])
    run = subprocess.run([sys.executable, "-m", "scripts.build"], cwd=work, capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "sources.yml:" in run.stderr and "no_such_parser" in run.stderr and "what to do" in run.stderr
    assert not (work / "docs").exists()


def test_glossary_entry_with_an_unknown_related_term(scratch: Paths) -> None:
    """A 'related' id that does not exist stops the build with the entry's name and line."""
    edit_lines(scratch.glossary, lambda ls: [l.replace("related: [kommuna, toz,", "related: [kommuna, no-such-term, toz,", 1)
                                             for l in ls])
    err = fail(scratch)
    assert err.path.endswith("glossary.yml") and err.line is not None
    assert "no-such-term" in err.message and "artel" in err.message
