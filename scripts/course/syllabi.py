"""Stage: course syllabi from the instructors' course files (courses/<id>.yml).

An instructor writes one short YAML file::

    title: "Collectivization, 1927–1933"
    introduction: |
      What the unit is for, in a paragraph or two.
    weeks:
      - title: "The grain crisis and the end of NEP"
        notes: "What I want students to notice."        # optional
        questions:                                       # optional: the instructor's own
          - "Why did the party read a fall in grain sales as a strike?"
        items:
          - reading: viola/chapter-1                    # a reading, or one part of it
            paragraphs: 50-72                           # optional: ¶ 50–72 only
          - reading: viola/chapter-5
            pages: 112-125                              # optional, Viola only: the book's printed pages
          - reading: goldman
          - essay: the-grain-crisis                     # an essay, by its file name

Each course becomes a syllabus page of the site (``courses/<id>.md``): the weeks, each item with
its length and reading time, a link, its discussion questions (from the reading guides, then the
instructor's own) and the instructor's notes. ``python -m scripts.site.course_pack`` (``./site.sh
course FILE``) also makes the course's own offline bundle and printable reader from it.

A page range selects the paragraphs printed on those pages of the book (scripts/course/page_ranges.py:
a paragraph only partly on them is included whole and the syllabus says where it begins or ends).

Every reference is checked before anything is written: an unknown reading, part or essay, a week
with nothing in it, a paragraph range outside the page, a page range outside the chapter, backwards
or on a reading without printed pages, a range that is not numbers (``121 to 136``) or is left empty,
a range on an essay, a YAML error — each stops the build with the file, the line and what to fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import StringConstraints, ValidationInfo, field_validator, model_validator

from scripts.core.escape import page_front_matter
from scripts.core.datafile import NonEmpty, Slug, Strict, Text, Title, editor_error, parse_yaml, schema_for, validate
from scripts.core.errors import BuildError
from scripts.core.links import md_link
from scripts.core.passages import WORDS_PER_MINUTE, count_words, page_counts, reading_minutes
from scripts.core.markdown_text import escape_text
from scripts.course.page_ranges import select_pages, whole_book
from scripts.core.passages import key_page

COURSES_DIR = "courses"

RANGE = re.compile(r"\d+\s*[-–]\s*\d+|\d+")     # "121-136", "121–136" or one number: "122"
Range = Annotated[str, StringConstraints(pattern=r"^\d+\s*[-–]\s*\d+$|^\d+$")]
PageKey = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+(?:/[a-z0-9-]+)?$")]


class Item(Strict):
    reading: PageKey | None = None
    essay: Slug | None = None
    paragraphs: Range | None = None
    pages: Range | None = None
    note: Text | None = None

    @field_validator("paragraphs", "pages", mode="before")
    @classmethod
    def _a_range(cls, value, info: ValidationInfo):
        """``pages: 122`` (one page, or one paragraph) is a number in YAML: the same as "122".

        Anything else that is not ``A-B`` or ``N`` stops here with the form to write, in the
        instructor's words rather than the pattern's: words (``121 to 136``), a list, a decimal, or
        nothing at all — an empty ``pages:`` would otherwise assign the whole reading silently."""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        key = info.field_name
        unit, example, one = ("pages", "121-136", "122") if key == "pages" else ("paragraphs", "12-40", "12")
        if value is None:
            raise editor_error(f"'{key}:' has no range after it", f"write the first and last {unit} ({key}: {example}), "
                               "or remove the line to assign the whole reading")
        if not (isinstance(value, str) and RANGE.fullmatch(value.strip())):
            raise editor_error(f"'{key}: {value}' is not a range of {unit}",
                               f"write the first and last number with a hyphen between them ({key}: {example}), "
                               f"or one number ({key}: {one})")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> "Item":
        if (self.reading is None) == (self.essay is None):
            raise ValueError("an item names exactly one of 'reading:' or 'essay:'")
        if self.essay and (self.paragraphs or self.pages):
            raise editor_error("paragraph and page ranges apply to readings, not essays",
                               "remove 'pages:' or 'paragraphs:' from this item: an essay is assigned whole")
        if self.paragraphs and self.pages:
            raise editor_error("give either 'paragraphs:' or 'pages:', not both",
                               "keep 'pages:' for the book's printed pages or 'paragraphs:' for the ¶ numbers, "
                               "and remove the other")
        return self


class Week(Strict):
    title: Title
    notes: Text | None = None
    questions: list[Text] = []
    items: Annotated[list[Item], NonEmpty("this week lists nothing: add at least one reading or essay under 'items:'")]


@schema_for("courses/*.yml")
class CourseFile(Strict):
    title: Title
    introduction: Text | None = None
    weeks: Annotated[list[Week], NonEmpty("the course has no weeks")]


@dataclass
class Target:
    """What an item points at, resolved: its docs page, title, words and questions."""

    page: str
    title: str
    words: int
    note_words: int = 0
    anchor: str = ""
    span: str = ""
    questions: list[str] = field(default_factory=list)
    pages: str = ""                                   # "pp. 112–125" (a printed-page range, scripts/course/page_ranges.py)
    partial: dict[str, str] = field(default_factory=dict)   # anchor -> "begins on p. 111": partly outside the pages

    @property
    def minutes(self) -> int:
        """As the reading guides count it (scripts/course/guides.py): text and notes at one reading speed."""
        return reading_minutes(self.words, self.note_words)


@dataclass
class Course:
    id: str
    path: Path
    spec: CourseFile
    targets: list[list[Target]] = field(default_factory=list)
    downloads: list[tuple[str, Path]] = field(default_factory=list)   # its pack's files, when up to date

    @property
    def page(self) -> str:
        return f"{COURSES_DIR}/{self.id}.md"

    def pages(self) -> list[str]:
        """The docs pages the course lists, in syllabus order, without repeats."""
        return list(dict.fromkeys(t.page for week in self.targets for t in week))


def parse_range(text: str) -> tuple[int, int]:
    parts = [int(p) for p in re.split(r"\s*[-–]\s*", text.strip())]
    return parts[0], parts[-1]


@dataclass
class CourseContext:
    """What a course file is checked against: the passages, page titles, essays and guides."""

    passages: dict[str, dict[str, str]]
    titles: dict[str, str]                      # docs page -> title for the syllabus
    essay_words: dict[str, int]                 # essay id -> words
    questions: dict[str, list[str]] = field(default_factory=dict)   # docs page -> guide questions
    page_maps: dict = field(default_factory=dict)       # passage key -> page_ranges.PageMap (printed pages)
    part_ranges: dict[str, tuple[int, int]] = field(default_factory=dict)   # passage key -> its printed pages


def range_words(passages: dict[str, str], first: int, last: int) -> int:
    """Words of ¶ first–last of a reading page (the notes of a part of a page are not counted)."""
    return sum(count_words(text) for anchor, text in passages.items()
               if re.fullmatch(r"p\d+", anchor) and first <= int(anchor[1:]) <= last)


def resolve(course_path: Path, line: int | None, item: Item, ctx: CourseContext) -> Target:
    """An item as a Target, or a BuildError that says what to fix."""
    if item.essay:
        page = f"essays/{item.essay}.md"
        if item.essay not in ctx.essay_words:
            known = ", ".join(sorted(ctx.essay_words)) or "none yet"
            raise BuildError(course_path, line, f"there is no essay '{item.essay}'",
                             f"use the file name of an essay in content/essays/ without .md ({known})")
        return Target(page, ctx.titles.get(page, item.essay), ctx.essay_words[item.essay],
                      questions=ctx.questions.get(page, []))
    key = item.reading
    page = key_page(key)
    if key not in ctx.passages:
        if item.pages:
            whole_book(course_path, line, key, *parse_range(item.pages), ctx.part_ranges)
        readings = sorted(k for k in ctx.passages)
        raise BuildError(course_path, line, f"there is no reading or chapter '{key}'",
                         "use a reading id or one of its parts: " + ", ".join(readings))
    passages = ctx.passages[key]
    text_words, note_words = page_counts(passages)        # the reading guide's own count
    target = Target(page, ctx.titles.get(page, key), text_words, note_words, questions=ctx.questions.get(page, []))
    if item.paragraphs:
        first, last = parse_range(item.paragraphs)
        count = sum(1 for a in passages if re.fullmatch(r"p\d+", a))
        if not 1 <= first <= last <= count:
            raise BuildError(course_path, line, f"paragraphs {item.paragraphs} are outside {key} (¶ 1–{count})",
                             f"give a range within 1–{count}, first number first")
        target.words, target.note_words = range_words(passages, first, last), 0
        target.anchor = f"p{first}"
        target.span = f"¶ {first}–{last}" if first != last else f"¶ {first}"
    if item.pages:
        select_paragraphs_by_page(course_path, line, key, item.pages, passages, target, ctx)
    return target


def select_paragraphs_by_page(course_path: Path, line: int | None, key: str, pages: str, passages: dict[str, str],
                              target: Target, ctx: CourseContext) -> None:
    """``pages: 112-125``: the paragraphs printed on those pages (scripts/course/page_ranges.py), partly
    covered ones included and recorded in ``target.partial``."""
    first_page, last_page = parse_range(pages)
    sel = select_pages(course_path, line, key, first_page, last_page, ctx.page_maps, ctx.part_ranges)
    target.words, target.note_words = range_words(passages, sel.first, sel.last), 0
    target.anchor = f"p{sel.first}"
    target.span = sel.paragraphs_label
    target.pages = sel.pages_label
    target.partial = {f"p{n}": where for n, where in sorted(sel.partial.items())}


def load_course(path: Path, ctx: CourseContext) -> Course:
    """Read, validate and resolve one course file (errors name the file and the line)."""
    data, lines = parse_yaml(path)
    if data is None:
        raise BuildError(path, None, "the course file is empty", "write a title and weeks (see the README)")
    spec = validate(path, data, lines, CourseFile)
    course = Course(path.stem, path, spec)
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", course.id):
        raise BuildError(path, None, f"'{path.name}' is not a plain file name",
                         "name the course file with lower-case letters, digits and hyphens (collectivization.yml)")
    for w, week in enumerate(spec.weeks):
        targets = []
        for i, item in enumerate(week.items):
            raw = data["weeks"][w]["items"][i]
            line = lines.get(id(raw), (None,))[0] if isinstance(raw, dict) else None
            targets.append(resolve(path, line, item, ctx))
        course.targets.append(targets)
    return course


def load_courses(folder: Path, ctx: CourseContext) -> list[Course]:
    return [load_course(p, ctx) for p in sorted(folder.glob("*.yml"))] if folder.exists() else []


def minutes_text(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def partial_note(target: Target) -> str:
    """The paragraphs a page range includes whole although they run beyond its pages."""
    where = "; ".join(f"¶ {anchor[1:]} ({text})" for anchor, text in target.partial.items())
    return f"The paragraphs printed on {target.pages} of the book, each assigned whole; partly on other pages: {where}."


def render_syllabus(course: Course, at: str | None = None) -> str:
    """The syllabus page (Markdown) as placed at ``at`` (default: courses/<id>.md; the course's offline
    bundle puts it at index.md). Every editor-written text is escaped: data cannot inject markup."""
    spec = course.spec
    at = at or course.page
    total = sum(t.minutes for week in course.targets for t in week)
    lines = [page_front_matter(spec.title), f"# {escape_text(spec.title)}", "",
             f'<p class="syllabus-facts">{len(spec.weeks)} weeks · {sum(len(w) for w in course.targets)} items · '
             f"about {minutes_text(total)} of reading at {WORDS_PER_MINUTE} words a minute</p>", ""]
    if spec.introduction:
        lines += [escape_text(p.strip()) + "\n" for p in spec.introduction.split("\n\n") if p.strip()]
    if at == course.page and course.downloads:
        lines += downloads_markdown(course, at)
    if at == course.page:      # the site's page (not a pack's home page, which has no builder)
        builder = md_link(at, "courses/builder.md")[:-3] + ".html"      # raw HTML: MkDocs leaves .md as is
        lines += [f'<p class="syllabus-builder"><a href="{builder}?open={course.id}">Open this course in the course '
                  "builder</a> to change it, share it as a link or print its reader. Its offline pack, printed reader "
                  "and LMS cartridge are made by whoever runs the site (<code>./site.sh course "
                  f"courses/{course.id}.yml</code>): see <a href=\"{md_link(at, 'for-instructors.md')[:-3]}.html\">For "
                  "instructors</a>.</p>", ""]
    for n, (week, targets) in enumerate(zip(spec.weeks, course.targets), 1):
        lines += [f"## Week {n}: {escape_text(week.title)} {{: #week-{n} }}", ""]
        week_minutes = sum(t.minutes for t in targets)
        lines += [f"*Reading: about {minutes_text(week_minutes)}.*", ""]
        for item, target in zip(week.items, targets):
            href = md_link(at, target.page) + (f"#{target.anchor}" if target.anchor else "")
            span = f", {target.pages} ({target.span})" if target.pages else f", {target.span}" if target.span else ""
            notes = f" and {target.note_words:,} in the notes" if target.note_words else ""
            lines.append(f'- <span class="syllabus-item">[{escape_text(target.title)}{span}]({href})</span> '
                         f"— {target.words:,} words{notes}, about {minutes_text(target.minutes)}")
            if target.partial:
                lines.append(f'    <br><span class="syllabus-partial">{partial_note(target)}</span>')
            if item.note:
                lines.append(f"    <br>*{escape_text(item.note)}*")
            if target.questions:
                lines += ["", "    Questions from the reading guide:", ""]
                lines += [f"    1. {escape_text(q)}" for q in target.questions]
            lines.append("")
        if week.notes:
            lines += [f'!!! note "Instructor\'s notes"', "", "    " + escape_text(week.notes), ""]
        if week.questions:
            lines += ["**Questions for discussion**", ""]
            lines += [f"{i}. {escape_text(q)}" for i, q in enumerate(week.questions, 1)]
            lines.append("")
    return "\n".join(lines) + "\n"


PACK_FILES = {          # a course pack's files (scripts/site/course_pack.py) -> how the syllabus names them
    "-offline.zip": "Offline pack (zip: open index.html)",
    "-reader.pdf": "Printed course reader (PDF)",
    "-syllabus.pdf": "Syllabus (PDF)",
    ".epub": "The readings as an EPUB 3 (for e-readers, phones and tablets)",
    ".imscc": "For the LMS: IMS Common Cartridge 1.3 (.imscc)",
}
PACKS_DIR = f"{COURSES_DIR}/packs"


def course_fingerprint(record: dict) -> str:
    """What a course pack was made from (title, weeks, items with their counts), as a hash: a pack in
    dist/ is linked from the syllabus only while the course and its texts are still the same."""
    import hashlib
    import json

    core = {k: record[k] for k in ("title", "weeks", "items")}
    return hashlib.sha256(json.dumps(core, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def pack_downloads(dist: Path, course: Course) -> list[tuple[str, Path]]:
    """The files of the course's last ``./site.sh course`` in ``dist`` (``<id>.pack.json`` lists them),
    if it was made from the course as it is now; else none."""
    import json

    record = dist / f"{course.id}.pack.json"
    if not record.is_file():
        return []
    try:
        made = json.loads(record.read_text(encoding="utf-8"))
    except ValueError:
        return []
    if made.get("course") != course_fingerprint(course_record(course)):
        return []
    return [(name, dist / name) for name in made.get("files", []) if (dist / name).is_file()]


def size_text(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} KB"


def downloads_markdown(course: Course, at: str) -> list[str]:
    """The syllabus's links to its pack, with sizes (the files are copied to courses/packs/)."""
    lines = ['<div class="syllabus-downloads" markdown="1">', "", "**This course to download**", ""]
    for name, path in course.downloads:
        what = next(label for suffix, label in PACK_FILES.items() if name == course.id + suffix)
        lines.append(f"- [{what}]({md_link(at, f'{PACKS_DIR}/{name}')}) — {size_text(path.stat().st_size)}")
    return lines + ["", "</div>", ""]


def course_record(course: Course) -> dict:
    """The course as build/courses/<id>.json holds it (without the pack's home page)."""
    items, weeks = [], []
    for week, targets in zip(course.spec.weeks, course.targets):
        weeks.append({"title": week.title, "notes": week.notes or "", "questions": list(week.questions),
                      "items": list(range(len(items), len(items) + len(targets)))})
        items += [{"page": t.page, "title": t.title, "words": t.words, "note_words": t.note_words,
                   "minutes": t.minutes, "anchor": t.anchor,
                   "span": t.span, "printed_pages": t.pages, "note": item.note or "",
                   "questions": list(t.questions),
                   "partial": t.partial} for item, t in zip(week.items, targets)]
    return {"id": course.id, "title": course.spec.title, "file": f"{COURSES_DIR}/{course.path.name}",
            "introduction": course.spec.introduction or "",
            "page": course.page, "pages": course.pages(), "items": items, "weeks": weeks}


def write_course_data(courses: list[Course], folder: Path) -> None:
    """build/courses/<id>.json: what scripts/site/course_pack.py needs to pack a course after the build."""
    import json

    out = folder / "courses"
    if out.exists():
        for old in out.glob("*.json"):
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    for course in courses:
        data = dict(course_record(course), home_markdown=render_syllabus(course, at="index.md"))
        (out / f"{course.id}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
