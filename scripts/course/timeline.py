"""Stage: the timeline page, from data/timeline.yml.

Each event has a date only as precise as its source states it (a year, a month or a day, marked
approximate where the passage is loose: "late January", "early 1924"), a one-line description in
our words, and the paragraphs that state it. The build checks the claim "every date is stated by a
reading": the year — and the month and day, when the date gives them — must appear in one of the
cited passages, or the build stops at that entry. The page is a plain list grouped by year (anchors
``#year-1929``), so it reads on a phone and in print without a timeline script.
"""
from __future__ import annotations

import calendar
import re
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints, model_validator

from scripts.core.datafile import NonEmpty, Ref, Slug, Strict, Text, editor_error, parse_yaml, schema_for, validate
from scripts.core.edition import CLASSROOM, Edition
from scripts.core.errors import BuildError
from scripts.core.links import md_link
from scripts.core.markdown_text import escape_text
from scripts.core.passages import key_page

TIMELINE_PAGE = "timeline.md"
DateText = Annotated[str, StringConstraints(pattern=r"^(19[0-4]\d)(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")]


class Event(Strict):
    date: DateText
    until: DateText | None = None
    approximate: bool = False
    what: Text
    passages: Annotated[list[Ref], NonEmpty("give at least one passage that states the date")]
    essays: list[Slug] = []

    @model_validator(mode="after")
    def _in_order(self) -> "Event":
        if self.until is not None and _padded(self.until, 99) < _padded(self.date, 0):
            raise editor_error(f"the event ends ('until: {self.until}') before it begins ('date: {self.date}')",
                               "swap the two dates, or correct the one that is wrong: 'date' is the start")
        return self


def _padded(date: str, fill: int) -> tuple:
    """``1918-06`` -> (1918, 6, fill): dates of different precision compared by what they state
    (an end date's missing month or day counts as its last, a start date's as its first)."""
    parts = [int(p) for p in date.split("-")]
    return tuple(parts + [fill] * (3 - len(parts)))


@schema_for("data/timeline.yml")
class TimelineFile(Strict):
    events: list[Event]


def date_parts(date: str) -> tuple[int, int | None, int | None]:
    parts = [int(p) for p in date.split("-")]
    return parts[0], (parts[1] if len(parts) > 1 else None), (parts[2] if len(parts) > 2 else None)


def show_date(date: str) -> str:
    """``1929-12-27`` -> "27 December 1929"; ``1929-11`` -> "November 1929"; ``1929`` -> "1929"."""
    year, month, day = date_parts(date)
    text = str(year)
    if month:
        text = f"{calendar.month_name[month]} {text}"
    if day:
        text = f"{day} {text}"
    return text


def stated_in(date: str, texts: list[str]) -> bool:
    """Do the cited ``texts`` state ``date``? The year must appear in one of them (also as the end of
    a span, "1927–28"), and the month — with the day, when the date gives one — in one of them
    ("dated 2 March" in one paragraph, "March 1930" in another)."""
    year, month, day = date_parts(date)
    year_re = rf"(?<!\d){year}(?!\d)|(?<!\d){year - 1}[–-]{str(year)[2:]}(?!\d)"
    if not any(re.search(year_re, t) for t in texts):
        return False
    if not month:
        return True
    name = calendar.month_name[month]
    if not day:
        return any(name in t for t in texts)
    return any(re.search(rf"(?<!\d){day} {name}|{name} {day}(?!\d)", t) for t in texts)


def load_timeline(path: Path, passages: dict[str, dict[str, str]], essays: set[str]) -> list[Event]:
    """Read and check data/timeline.yml; errors stop the build at the entry's line."""
    data, lines = parse_yaml(path)
    timeline = validate(path, data, lines, TimelineFile)
    for i, event in enumerate(timeline.events):
        line = lines.get(id(data["events"][i]), (None,))[0]
        texts = []
        for ref in event.passages:
            key, _, anchor = ref.lstrip("@").partition("#")
            if not ref.startswith("@") or anchor not in passages.get(key, {}):
                raise BuildError(path, line, f"event '{event.what[:50]}': no passage '{ref}'",
                                 "cite a paragraph as @reading/part#pN (python -m scripts.core.passages find …)")
            texts.append(passages[key][anchor])
        for date in filter(None, (event.date, event.until)):
            if not stated_in(date, texts):
                raise BuildError(path, line, f"event '{event.what[:50]}': no cited passage states {show_date(date)}",
                                 "cite the paragraph that gives this date, or make the date as loose as the source "
                                 "(a month or a year, with approximate: true)")
        for essay in event.essays:
            if essay not in essays:
                raise BuildError(path, line, f"event '{event.what[:50]}': there is no essay '{essay}'",
                                 "use the file name of an essay in content/essays/ without .md")
    return sorted(timeline.events, key=lambda e: (e.date, e.until or ""))


def render_timeline(events: list[Event], labels: dict[str, str], essay_titles: dict[str, str],
                    edition: Edition = CLASSROOM) -> str:
    """The timeline page's Markdown: years as headings, events as a list. A cited paragraph the
    edition does not print (the public-web edition withholds texts) is named without a link, as the essays do."""
    lines = ["---", 'title: "Timeline, 1917–1939"', "---", "", "# Timeline, 1917–1939", "",
             "The events the readings discuss, in order. Each date is only as precise as the reading that "
             "states it (“c.” marks a date the reading gives loosely), and each event links to the "
             "paragraphs that state it.", ""]
    years = sorted({date_parts(e.date)[0] for e in events})
    lines += ["Years: " + " · ".join(f"[{y}](#year-{y})" for y in years), ""]
    current = None
    for event in events:
        year = date_parts(event.date)[0]
        if year != current:
            current = year
            lines += ["", f"## {year} {{: #year-{year} }}", ""]
        when = show_date(event.date) + (f" – {show_date(event.until)}" if event.until else "")
        if event.approximate:
            when = f"c. {when}"
        refs = []
        for ref in event.passages:
            key, _, anchor = ref.lstrip("@").partition("#")
            page = key_page(key)
            label = labels.get(page, key)
            mark = f"n. {anchor[3:]}" if anchor.startswith("fn:") else (
                f"n. {anchor[5:]}" if anchor.startswith("note-") else f"¶ {anchor[1:]}")
            if not edition.prints(key, anchor):
                refs.append(f"{escape_text(label)}, {mark} (not in this edition)")
            else:
                refs.append(f"[{escape_text(label)}, {mark}]({md_link(TIMELINE_PAGE, page)}#{anchor})")
        for essay in event.essays:
            refs.append(f"essay: [{escape_text(essay_titles.get(essay, essay))}]"
                        f"({md_link(TIMELINE_PAGE, f'essays/{essay}.md')})")
        lines.append(f"- **{when}.** {escape_text(event.what)} <span class=\"timeline-refs\">"
                     f"({'; '.join(refs)})</span>")
    lines.append("")
    return "\n".join(lines)


def link_guides(pages, events: list[Event], slot: str) -> int:
    """Fill each reading guide's timeline slot with the years of the timeline events that cite the
    page ("On the timeline: 1929 · 1930", each a link to the year); a book's landing page gets the
    years of all its parts. Returns the number of guides linked."""
    years: dict[str, set[int]] = {}
    for event in events:
        for ref in event.passages:
            key = ref.lstrip("@").partition("#")[0]
            page = key_page(key)
            year = date_parts(event.date)[0]
            years.setdefault(page, set()).add(year)
            if "/" in key:
                years.setdefault(key_page(key.split("/")[0]), set()).add(year)
    linked = 0
    for page in pages:
        if slot not in page.markdown:
            continue
        found = sorted(years.get(page.path, ()))
        line = ""
        if found:
            links = " · ".join(f"[{y}]({md_link(page.path, TIMELINE_PAGE)}#year-{y})" for y in found)
            line = f"**On the timeline:** {links}\n{{: .guide-timeline }}"
            linked += 1
        page.markdown = page.markdown.replace(slot, line)
    return linked
