"""Removals are bounded: no rule may take away more text than it was written for.

Every rule that removes text (web-page chrome, title pages, a back cover, a duplicated figure list)
logs each removal with the words it took. If the source is laid out differently from what the rule
expects — a text appended after Viola's back cover, a page whose chrome marker now sits above the
article — the rule would silently swallow the author's words. :func:`check_removals` stops the
build instead when one logged removal is longer than the rule's limit below (about twice the
largest removal the rule makes in the five texts as received).

The apparatus and the build report show the words removed per rule, so an editor sees the size of
every removal, not just the number of them.
"""
from __future__ import annotations

from scripts.core.errors import BuildError
from scripts.core.model import Edit

#: The most words one logged removal by this rule may take.
LIMITS: dict[str, int] = {
    "drop_back_cover": 500,                       # 261 words in the received file
    "drop_contents_page": 200,                    # 83
    "drop_title_page_debris": 300,                # 148
    "drop_hallucinated_dedication_letter": 200,   # 86
    "drop_half_title": 15,                        # 6
    "drop_scan_junk": 5,                          # 1
    "drop_email_address": 6,                      # 3
    "move_notes_to_chapters": 8,                  # 2 (a group heading)
    "move_to_metadata": 80,                       # 34 (moved into the reading's metadata, not lost)
    "rejoin_bibliography_entry": 3,               # 1
    "strip_author_asterisk": 2,                   # 1
    "strip_byte_order_mark": 1,                   # the invisible U+FEFF
    "strip_figure_trailer": 60,                   # 30
    "strip_jstor_cover": 100,                     # 49
    "strip_licence_badge": 20,                    # 9
    "strip_link_text": 5,                         # 2
    "strip_page_trace": 30,                       # 15
    "strip_paywall_chrome": 75,                   # 37
    "strip_running_footer": 20,                   # 8
    "strip_site_label": 5,                        # 2
    "strip_web_buttons": 16,                      # 8
}

#: For a removal rule not listed above (a new parser's rule): generous, but still a bound.
DEFAULT_LIMIT = 100


def words(edit: Edit) -> int:
    """Words one removal took."""
    return len(edit.before.split())


def check_removals(path: str, edits: list[Edit]) -> None:
    """Stop the build if any removal is longer than its rule's limit (see the module docstring)."""
    for edit in edits:
        if edit.kind != "removal":
            continue
        limit = LIMITS.get(edit.rule, DEFAULT_LIMIT)
        n = words(edit)
        if n > limit:
            start = " ".join(edit.before.split()[:12])
            raise BuildError(path, edit.line or None,
                             f"the rule {edit.rule} would remove {n} words from here (at most {limit} expected): "
                             f"“{start} …”",
                             "the source is not laid out as the rule expects, and it would drop text that may be "
                             "the author's: check the file from this line on. If the removal is right, raise the "
                             f"rule's limit in scripts/sources/removal_limits.py")


def words_by_rule(edits: list[Edit]) -> dict[str, int]:
    """Total words removed per rule (for the apparatus and the build report)."""
    totals: dict[str, int] = {}
    for edit in edits:
        if edit.kind == "removal":
            totals[edit.rule] = totals.get(edit.rule, 0) + words(edit)
    return totals
