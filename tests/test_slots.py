"""Slots and placeholders that later stages fill are declared in scripts/core/slots.py; a page that
still holds one when the pipeline writes docs/ stops the build with the page and the slot."""
from __future__ import annotations

from pathlib import Path

import pytest

from scripts.core.errors import BuildError
from scripts.core.model import Page
from scripts.core.slots import GUIDE_SLOT, SLOTS, check_filled


def test_generated_docs_hold_no_slot(generated_docs: Path) -> None:
    import re
    for page in sorted(generated_docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for slot in SLOTS:
            assert not re.search(slot.pattern, text), f"{page}: {slot.name} left in the page"


@pytest.mark.parametrize("slot", SLOTS, ids=lambda s: s.name)
def test_an_unfilled_slot_stops_the_build(slot) -> None:
    import re
    marker = {"citation": "⟦cite:viola1987⟧", "essay note": "⟦passage:3⟧"}.get(slot.name)
    marker = marker or re.sub(r"\\(.)", r"\1", slot.pattern)
    pages = [Page("a.md", "A", "fine\n"), Page("readings/x/b.md", "B", f"one\ntwo {marker}\n")]
    with pytest.raises(BuildError) as err:
        check_filled(pages, "scripts/pipeline.py")
    assert f"docs/readings/x/b.md, line 2: the {slot.name} slot" in err.value.message
    assert slot.filled_by in err.value.message


def test_a_stage_left_out_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip the stage that fills the guides' timeline slot: the build stops instead of publishing it."""
    from scripts import pipeline
    from tests.project_copy import scratch_paths

    paths = scratch_paths(tmp_path / "p")
    monkeypatch.setattr(pipeline, "link_guides", lambda pages, events, slot: 0)
    with pytest.raises(BuildError) as err:
        pipeline.generate(paths, stage=tmp_path / "stage")
    assert "the timeline years slot" in err.value.message
    assert GUIDE_SLOT not in err.value.message
