"""The places in a rendered page that a later stage fills: declared here, checked before writing.

After rendering, later stages add to pages in two ways: a *slot* (a marker line that a stage
replaces with its block, or removes when it has nothing to add) and a *placeholder* (a token that a
stage replaces once it knows the words, such as a citation formatted by citeproc-js). The order of
the stages in :func:`scripts.pipeline.generate` is what fills them; :func:`check_filled` runs before
anything is written, so a stage that ran too early, or one that was left out, stops the build with
the page and the slot instead of publishing a page with a marker in it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from scripts.core.errors import BuildError


@dataclass(frozen=True)
class Slot:
    name: str
    pattern: str          # a regular expression matching the marker or placeholder
    filled_by: str        # the stage that replaces it


#: The marker line where a reading's guide goes (written by the renderer, filled by the guides).
GUIDE_SLOT = "<!-- reading-guide -->"
#: The marker inside a guide where the timeline's years of that page go.
TIMELINE_SLOT = "<!-- the timeline years of this page (scripts/course/timeline.py: link_guides) -->"
#: A reading's citation in its pages, until citeproc-js has formatted it.
CITE_TOKEN = "⟦cite:{}⟧"
#: One note of an essay on a passage of a reading, until citeproc-js has formatted it.
PASSAGE_TOKEN = "⟦passage:{}⟧"
#: Where "About this text" lists the editor's notes on the reading.
EDITOR_NOTES_SLOT = "<!-- editor-notes -->"
#: The glossary's URL in a glossary mark, until the page's relative link to the glossary is known.
GLOSSARY_URL = "{GLOSSARY_URL}"

SLOTS = (
    Slot("reading guide", re.escape(GUIDE_SLOT), "scripts/course/guides.py: add_guides"),
    Slot("timeline years", re.escape(TIMELINE_SLOT), "scripts/course/timeline.py: link_guides"),
    Slot("citation", r"⟦cite:[^⟧]*⟧", "scripts/citations/stage.py: run"),
    Slot("essay note", r"⟦passage:[^⟧]*⟧", "scripts/citations/essay_notes.py: fill_notes"),
    Slot("editor's notes list", re.escape(EDITOR_NOTES_SLOT), "scripts/render/editor_notes.py: apply"),
    Slot("readings list", r"<!-- readings list", "scripts/render/wayfinding.py: fill_home_page"),
    Slot("glossary link", re.escape(GLOSSARY_URL), "the page writer that annotates the page"),
)


def check_filled(pages, where) -> None:
    """Stop if any page still holds a slot or placeholder (``where``: the file the message names)."""
    for page in pages:
        for slot in SLOTS:
            m = re.search(slot.pattern, page.markdown)
            if m:
                line = page.markdown[: m.start()].count("\n") + 1
                raise BuildError(where, None, f"docs/{page.path}, line {line}: the {slot.name} slot "
                                 f"{m.group(0)!r} was never filled ({slot.filled_by} fills it)",
                                 "this is a bug in the order of the stages in scripts/pipeline.py: the stage "
                                 "that fills the slot must run after the one that writes it")
