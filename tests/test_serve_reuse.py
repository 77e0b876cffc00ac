"""While serving, the pipeline reuses a reading's rendered pages when nothing the renderer reads has
changed (scripts/pipeline.py: cached_render), and its linked notes when its pages and the
bibliography are unchanged (scripts/citations/stage.py: link_reading). Reused work must give exactly
the pages a fresh build gives (the glossary's "Used in" counts and the citation report included),
and an edit to what the readings are rendered with must render them again."""
from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from scripts import pipeline
from scripts.citations import note_links, stage as citation_stage
from scripts.core.kept import Kept
from tests.project_copy import scratch_paths


def differing(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only, between two folders (recursively)."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        out.extend(prefix + n for n in filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)[1])
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")
    walk(filecmp.dircmp(a, b), "")
    return out


@pytest.mark.slow
def test_reused_readings_give_the_same_site_and_a_glossary_edit_renders_them_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = scratch_paths(tmp_path / "p")
    rendered: list[str] = []
    real = pipeline.render_document
    monkeypatch.setattr(pipeline, "render_document", lambda doc, ctx: rendered.append(doc.id) or real(doc, ctx))
    linked: list[str] = []
    real_viola = note_links.NoteLinker.link_viola
    monkeypatch.setattr(note_links.NoteLinker, "link_viola",
                        lambda self, pages, text_id: linked.append(text_id) or real_viola(self, pages, text_id))
    monkeypatch.setattr(pipeline, "_RENDERED", Kept(16))
    monkeypatch.setattr(citation_stage, "_LINKED", Kept(16))
    pipeline.generate(paths, stage=tmp_path / "first")
    assert len(rendered) == 5 and linked == ["viola"], (rendered, linked)

    # an essay edit: no reading is rendered again ...
    essay = sorted((paths.content / "essays").glob("*.md"))[0]
    essay.write_text(essay.read_text(encoding="utf-8") + "\nAn added sentence.\n", encoding="utf-8")
    rendered.clear()
    linked.clear()
    pipeline.generate(paths, stage=tmp_path / "reused")
    assert rendered == [] and linked == []
    assert f"essays/{essay.name}" in differing(tmp_path / "first", tmp_path / "reused")
    reused_report = (paths.report / "report.md").read_text(encoding="utf-8")
    reused_citations = (paths.report / "citations.json").read_text(encoding="utf-8")

    # ... and the site is the one a fresh render of the same inputs gives, glossary counts included
    monkeypatch.setattr(pipeline, "_RENDERED", Kept(16))
    monkeypatch.setattr(citation_stage, "_LINKED", Kept(16))
    pipeline.generate(paths, stage=tmp_path / "fresh")
    assert len(rendered) == 5 and linked == ["viola"], (rendered, linked)
    assert differing(tmp_path / "fresh", tmp_path / "reused") == []
    assert (paths.report / "report.md").read_text(encoding="utf-8") == reused_report
    assert (paths.report / "citations.json").read_text(encoding="utf-8") == reused_citations

    # an edit to an entry's explanation changes the glossary page, not what the readings are annotated
    # with: no reading is rendered again, and the site is the one a fresh render gives
    glossary = paths.glossary.read_text(encoding="utf-8")
    m = re.search(r"^  explanation: >-?\n\s+", glossary, re.M)
    paths.glossary.write_text(glossary[:m.end()] + "Edited explanation. " + glossary[m.end():], encoding="utf-8")
    rendered.clear()
    pipeline.generate(paths, stage=tmp_path / "explained")
    assert rendered == []
    assert differing(tmp_path / "fresh", tmp_path / "explained") == ["glossary.md"]
    assert "Edited explanation." in (tmp_path / "explained" / "glossary.md").read_text(encoding="utf-8")
    monkeypatch.setattr(pipeline, "_RENDERED", Kept(16))
    pipeline.generate(paths, stage=tmp_path / "explained-fresh")
    assert len(rendered) == 5 and differing(tmp_path / "explained-fresh", tmp_path / "explained") == []
    paths.glossary.write_text(glossary, encoding="utf-8")

    # a glossary edit changes what the readings are annotated with: every reading is rendered again
    edited = glossary.replace('\n  short: "', '\n  short: "Edited. ', 1)
    assert edited != glossary
    paths.glossary.write_text(edited, encoding="utf-8")
    rendered.clear()
    pipeline.generate(paths, stage=tmp_path / "glossary-edit")
    assert sorted(rendered) == sorted(set(rendered)) and len(rendered) == 5, rendered


def test_parsed_texts_kept_on_disk_are_the_parse_and_are_parsed_again_when_they_cannot_serve(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """scripts/pipeline.py cached_parse keeps each parsed text on disk (build/parse-cache/ or
    $RFA_PARSE_CACHE): a later build reads the same document the parser gives; a damaged file, a
    changed source or changed code is parsed again."""
    from scripts.sources.manifest import load_manifest

    paths = scratch_paths(tmp_path / "p")
    monkeypatch.setenv("RFA_PARSE_CACHE", str(tmp_path / "kept"))
    monkeypatch.setattr(pipeline, "_PARSED", Kept(32))
    entry = next(e for e in load_manifest(paths.manifest) if e["id"] == "hatch")
    parsed: list[str] = []
    real = pipeline.parse_text
    monkeypatch.setattr(pipeline, "parse_text", lambda e, p: parsed.append(e["id"]) or real(e, p))

    fresh = pipeline.cached_parse(entry, paths)
    [kept] = (tmp_path / "kept").glob("*.pickle")
    monkeypatch.setattr(pipeline, "_PARSED", Kept(32))          # another process: memory empty, the disk kept
    assert pipeline.cached_parse(entry, paths) == fresh and parsed == ["hatch"]

    kept.write_bytes(kept.read_bytes()[:100])             # truncated: parsed again, and written whole
    monkeypatch.setattr(pipeline, "_PARSED", Kept(32))
    assert pipeline.cached_parse(entry, paths) == fresh and parsed == ["hatch"] * 2
    monkeypatch.setattr(pipeline, "_PARSED", Kept(32))
    assert pipeline.cached_parse(entry, paths) == fresh and parsed == ["hatch"] * 2

    corrections = paths.corrections / "hatch.yml"           # an edited correction file: a new key, parsed again
    original = corrections.read_text(encoding="utf-8")
    corrections.write_text(original + "\n# a comment\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "_PARSED", Kept(32))
    assert pipeline.cached_parse(entry, paths) == fresh and parsed == ["hatch"] * 3
    corrections.write_text(original, encoding="utf-8")
    monkeypatch.setattr(pipeline, "code_digest", lambda: b"other code")   # a changed rule or parser: parsed again
    monkeypatch.setattr(pipeline, "_PARSED", Kept(32))
    assert pipeline.cached_parse(entry, paths) == fresh and parsed == ["hatch"] * 4


def test_kept_values_are_fresh_copies_and_the_oldest_goes() -> None:
    """scripts/core/kept.py, under every cache above: each get is a copy (a later stage may change it),
    and beyond its limit the oldest key goes, while a key kept again stays where it was."""
    kept = Kept(2)
    kept.put("a", [1])
    kept.put("b", [2])
    changed = kept.get("a")
    changed.append(9)
    assert kept.get("a") == [1]
    kept.put("a", [5])
    assert "a" in kept and "b" in kept and kept.get("a") == [5]
    kept.put("c", [3])
    assert "a" not in kept and kept.get("b") == [2] and kept.get("c") == [3]
