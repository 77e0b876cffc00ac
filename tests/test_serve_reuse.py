"""While serving, the pipeline reuses a reading's rendered pages when nothing the renderer reads has
changed (scripts/pipeline.py: cached_render), and its linked notes when its pages and the
bibliography are unchanged (scripts/citations/stage.py: link_reading). Reused work must give exactly
the pages a fresh build gives (the glossary's "Used in" counts and the citation report included),
and an edit to what the readings are rendered with must render them again."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from scripts import pipeline
from scripts.citations import note_links, stage as citation_stage
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
    monkeypatch.setattr(pipeline, "_RENDERED", {})
    monkeypatch.setattr(citation_stage, "_LINKED", {})
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
    monkeypatch.setattr(pipeline, "_RENDERED", {})
    monkeypatch.setattr(citation_stage, "_LINKED", {})
    pipeline.generate(paths, stage=tmp_path / "fresh")
    assert len(rendered) == 5 and linked == ["viola"], (rendered, linked)
    assert differing(tmp_path / "fresh", tmp_path / "reused") == []
    assert (paths.report / "report.md").read_text(encoding="utf-8") == reused_report
    assert (paths.report / "citations.json").read_text(encoding="utf-8") == reused_citations

    # a glossary edit changes what the readings are annotated with: every reading is rendered again
    glossary = paths.glossary.read_text(encoding="utf-8")
    edited = glossary.replace('\n  short: "', '\n  short: "Edited. ', 1)
    assert edited != glossary
    paths.glossary.write_text(edited, encoding="utf-8")
    rendered.clear()
    pipeline.generate(paths, stage=tmp_path / "glossary-edit")
    assert sorted(rendered) == sorted(set(rendered)) and len(rendered) == 5, rendered
