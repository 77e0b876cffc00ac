"""The course builder page (courses/builder.md) and the data it works from.

An instructor without the repository builds a course in the browser: chooses readings, chapters,
printed-page or paragraph ranges and essays week by week, adds notes and questions, and sees the
syllabus with each item's length and reading time as it will look. The page shares the course as a
link (the course, compressed, in the URL's fragment: nothing is sent anywhere), downloads it as the
``courses/<id>.yml`` that ``./site.sh course`` accepts, and reads such a file back. The work stays on
the device (localStorage). The logic is assets/javascripts/course-builder.js.

It must count and check as the build does (scripts/course/syllabi.py, page_ranges.py): so the build
writes what those read — every reading page's paragraphs with their words, the printed pages each
paragraph runs over, each part's printed pages, the essays' words, the guides' questions, titles —
to ``assets/javascripts/course-builder-data.js`` (a script, not JSON: a page opened from file:// in
the offline bundle cannot fetch a JSON file), with the first words of each printed paragraph, from
which the instructor picks a paragraph range ("Pick paragraphs"). Only the builder page loads it.
"""
from __future__ import annotations

import json
import re

from scripts.core.edition import CLASSROOM, Edition
from scripts.core.escape import page_front_matter
from scripts.core.passages import WORDS_PER_MINUTE, count_words, key_page, page_counts
from scripts.course.syllabi import CourseContext

BUILDER_PAGE = "courses/builder.md"
DATA_ASSET = "assets/javascripts/course-builder-data.js"
#: the course format of share links and of the builder's saved work; a link records its version, and
#: the builder reads every version up to this one (assets/javascripts/course-builder.js: upgrade())
FORMAT_VERSION = 1


#: how much of a paragraph the picker shows: enough to recognise it, little enough to keep the data small
START_WORDS, START_CHARS = 8, 60


def first_words(text: str) -> str:
    """The opening of a paragraph for the builder's paragraph picker ("The grain crisis of 1927 …"): its
    first words, cut at a word, with "…" when there is more. Only a paragraph the edition prints is
    given (a withheld text's words must not reach the public edition's data)."""
    words = text.split()
    start = " ".join(words[:START_WORDS])
    if len(start) > START_CHARS:
        start = start[:START_CHARS].rsplit(" ", 1)[0]
    return start + (" …" if len(start) < len(" ".join(words)) else "")


def builder_data(ctx: CourseContext, edition: Edition = CLASSROOM, courses=()) -> dict:
    """What the builder needs, from the same context the syllabus pages are checked against; with the
    site's own courses (``courses/<id>.yml``), which a syllabus page opens in the builder
    (``builder.html?open=<id>``) to be changed, shared or printed."""
    readings = []
    for key, passages in ctx.passages.items():
        count = sum(1 for a in passages if re.fullmatch(r"p\d+", a))
        if not count:
            continue
        page = key_page(key)
        _text, note_words = page_counts(passages)
        entry = {"key": key, "href": page[:-3] + ".html", "title": ctx.titles.get(page, key),
                 "words": [count_words(passages.get(f"p{n}", "")) for n in range(1, count + 1)],
                 "note_words": note_words, "questions": ctx.questions.get(page, []),
                 "printed": edition.prints_page(key)}
        if edition.public and entry["printed"]:
            entry["shown"] = [n for n in range(1, count + 1) if edition.prints(key, f"p{n}")]
        if entry["printed"]:          # "Pick paragraphs": each ¶ by its first words ("" where not printed)
            shown = set(entry.get("shown", range(1, count + 1)))
            entry["starts"] = [first_words(passages.get(f"p{n}", "")) if n in shown else ""
                               for n in range(1, count + 1)]
        pm = ctx.page_maps.get(key)
        if pm is not None:
            entry["part"] = list(ctx.part_ranges.get(key, (pm.first, pm.last)))
            entry["pages"] = [list(pm.paragraphs.get(n, (0, 0))) for n in range(1, count + 1)]
        readings.append(entry)
    essays = [{"id": essay, "href": f"essays/{essay}.html", "title": ctx.titles.get(f"essays/{essay}.md", essay),
               "words": words, "questions": ctx.questions.get(f"essays/{essay}.md", [])}
              for essay, words in ctx.essay_words.items()]
    books: dict[str, list] = {}
    for key, (a, b) in ctx.part_ranges.items():
        books.setdefault(key.split("/")[0], []).append([key, a, b])
    site_courses = {c.id: c.spec.model_dump(exclude_none=True) for c in courses}
    return {"version": FORMAT_VERSION, "courses": site_courses, "words_per_minute": WORDS_PER_MINUTE, "public": edition.public,
            "readings": readings, "essays": essays, "books": books}


def data_asset(data: dict) -> str:
    """The data as a script that sets ``window.RFA_COURSE_DATA`` (``</`` escaped: it cannot end a tag)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return ("/* Generated by scripts/course/builder.py at build time — do not edit. The course builder's data:\n"
            "   readings, paragraphs and their words, printed pages, essays, questions. */\n"
            f"window.RFA_COURSE_DATA = {text};\n")


def builder_page() -> str:
    """The page: an explanation, the builder's mount point (filled by course-builder.js) and its scripts."""
    scripts = "\n".join(f'<script src="../assets/javascripts/{name}"></script>' for name in
                        ("vendor/lz-string.min.js", "vendor/js-yaml.min.js", "course-builder-data.js",
                         "course-builder.js"))
    return (f"{page_front_matter('Build a course')}"
            "# Build a course\n\n"
            '<div id="course-builder" class="course-builder" data-format="' f"{FORMAT_VERSION}" '">\n'
            '<p class="builder-intro">Choose the readings, chapters, page or paragraph ranges (typed, or picked '
            "from the reading's paragraphs) and essays for each week, add your notes and questions, and see the syllabus as your students will. Everything stays on "
            "this device: your work is kept in this browser, and nothing is sent anywhere. <strong>Share</strong> "
            "gives a link that holds the whole course; <strong>Download course file</strong> gives the file from "
            "which <code>./site.sh course</code> makes an offline pack, a printed reader and a cartridge for your "
            "learning management system.</p>\n"
            "<noscript><p>The course builder needs JavaScript. Without it, copy "
            "<code>courses/collectivization.yml</code> and edit it as “For instructors” explains.</p></noscript>\n"
            "</div>\n\n"
            f"{scripts}\n")
