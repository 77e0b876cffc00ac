"""Stage: the essays (content/essays/*.md) as site pages, checked against the readings.

``scripts/course/essay_check.py`` parses an essay and checks its citations and quotations; this module turns a
checked essay into a page:

- the front matter (``title``, ``summary``, ``readings``) becomes the page title and meta
  description only — it is never shown raw;
- every ``@reading/part#anchor`` citation in a footnote becomes a note written by the CSL processor
  (citeproc-js with the official Chicago notes-bibliography style, run by
  scripts/citations/stage.py): this module only says what is cited, in which note, and where — the
  reading's bibliography entry and a locator, the printed page when scripts/pagination knows it
  (Viola), else the paragraph (``para. 14``) or the note (``n. 63``). The processor follows the
  essay's citations in order and decides the full first note, the short later ones and, in a style
  that has them, "Ibid."; each note links to the paragraph it cites. Until the processor has run,
  the page carries a placeholder (``⟦passage:3⟧``) for each note;
- a link ``[text](@viola/chapter-2#p14)`` becomes a relative link to the paragraph, with an anchor
  of its own (``#cite-3``) so that the reading can link back to the place that cites it;
- glossary terms are annotated as in the readings.

Any problem the checker finds (a passage that does not exist, a quotation not word for word, no
title or summary) stops the build with ``file:line: error:`` and what to do; nothing is written.

It also writes the Essays index page (each essay's two-sentence summary and the readings it draws
on), records where each essay cites each passage (for the readings' "Discussed in" markers and the
guides, see scripts/course/discussed_in.py and scripts/course/guides.py) and adds the essays to the build report.
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from scripts.core.escape import md_inline, page_front_matter
from scripts.citations.essay_notes import NoteStyle, PassageCite, CitedReading
from scripts.core.datafile import Slug, Strict, load_yaml, read_text, schema_for
from scripts.core.edition import CLASSROOM, Edition
from scripts.core.errors import BuildError
from scripts.core.markdown_text import escape_text
from scripts.course.essay_check import CITATION, FOOTNOTE_DEF, FOOTNOTE_REF, check_essay, parse_essay
from scripts.core.passages import key_page

ESSAYS_INDEX = "essays/index.md"

#: A citation used as a link target: ``[text](@viola/chapter-2#p14)``.
LINK_CITATION = re.compile(r"\]\(" + CITATION.pattern + r"\)")


@dataclass
class EssayPage:
    """One checked essay: its page, its counts and where it cites each passage."""

    id: str
    path: str                      # docs path: essays/<id>.md
    source: Path
    title: str
    summary: str
    counts: dict
    first_cite: dict[tuple[str, str], str] = field(default_factory=dict)   # (key, anchor) -> essay anchor
    markdown: str = ""
    cites: list[PassageCite] = field(default_factory=list)                # for the CSL processor

    def csl_document(self) -> dict:
        """This essay's citations as one document for scripts/citations/csl_format.js."""
        return {"id": self.path, "style": "chicago", "citations": [c.job() for c in self.cites]}


def _hint(message: str) -> str:
    if "is not a citation" in message or "defined twice" in message:
        return "correct the citation (or give the second footnote its own number and reference)"
    if "quotation" in message and "cites no passage" in message:
        return "add a footnote to this paragraph citing the passage the words come from ([^n]: @viola/chapter-2#p14)"
    if "quotation" in message:
        return ("copy the words exactly from the passage (python -m scripts.core.passages show <id>), mark each "
                "omission with …, or cite the passage they come from in this paragraph's footnote")
    if "front matter" in message:
        return "add it between the --- lines at the top, e.g. title: \"…\", summary: \"Two sentences.\", readings: [viola, goldman]"
    if "never referenced" in message:
        return "delete the unused definition, or put its [^n] in the sentence the note belongs to"
    if "no definition" in message:
        return "add the footnote's definition ([^n]: @reading/part#pN) at the end of the essay"
    return ("cite an existing paragraph: look it up with python -m scripts.core.passages find <words> "
            "(ids look like @viola/chapter-2#p14, @goldman#p17, @hatch#note-63)")


def load_essay(path: Path, rel: str, passages: dict, reading_pages: set[str], reading_ids: set[str]) -> tuple:
    """Parse and check one essay; the first problem stops the build at its line."""
    text = read_text(path)
    essay = parse_essay(path, text)
    problems, counts = check_essay(essay, passages, reading_pages)
    if problems:
        # a citation that does not resolve comes first: it also makes its paragraph's quotations fail
        first = sorted(problems, key=lambda p: ("quotation" in p.message, p.line))[0]
        more = f" ({len(problems) - 1} more problem(s) in this essay: run python -m scripts.course.essay_check check {rel})" \
            if len(problems) > 1 else ""
        raise BuildError(path, first.line, first.message, _hint(first.message) + more)
    for reading in essay.meta.get("readings") or []:
        if reading not in reading_ids:
            raise BuildError(path, _meta_line(text, "readings"), f"front matter: '{reading}' is not a reading id",
                             f"use the ids of sources/sources.yml: {', '.join(sorted(reading_ids))}")
    if not re.search(r"^# \S", "\n".join(line for _, line in essay.body_lines), re.M):
        raise BuildError(path, essay.body_lines[0][0] if essay.body_lines else 1, "the essay has no '# Title' heading",
                         "start the text after the front matter with '# ' and the essay's title")
    return essay, counts


def _meta_line(text: str, key: str) -> int:
    for i, line in enumerate(text.split("\n"), 1):
        if line.startswith(f"{key}:"):
            return i
    return 1


def render_essay(essay, counts, rel: str, style: NoteStyle, annotate) -> EssayPage:
    """The page's Markdown: clean front matter, Chicago notes, relative links with anchors."""
    title = str(essay.meta["title"]).strip()
    summary = " ".join(str(essay.meta["summary"]).split())
    page = EssayPage(essay.id, rel, essay.path, title, summary, counts)
    footnote_cites: dict[str, list[tuple[str, str | None]]] = {
        label: [(m.group("key"), m.group("anchor")) for m in CITATION.finditer(text)]
        for label, (_line, text) in essay.footnotes.items()}
    out: list[str] = []
    link_no = 0
    in_footnote = False
    notes_written = 0
    for _number, line in essay.body_lines:
        m = FOOTNOTE_DEF.match(line)
        if m:
            notes_written += 1
            style.note_index = notes_written
        if m or (in_footnote and (line.startswith("    ") or not line.strip())):
            in_footnote = True
            out.append(CITATION.sub(lambda c: style.note(c.group("key"), c.group("anchor")), line))
            continue
        in_footnote = False
        style.note_index = 0

        # the first place in the essay that cites each passage: a footnote reference or a link
        link_ids = []
        events = sorted([(c.start(), "link", c) for c in LINK_CITATION.finditer(line)] +
                        [(r.start(), "ref", r) for r in FOOTNOTE_REF.finditer(line)], key=lambda e: e[0])
        for _pos, kind, match in events:
            if kind == "ref":
                for key, anchor in footnote_cites.get(match.group("label"), []):
                    if anchor:
                        page.first_cite.setdefault((key, anchor), f"fnref:{match.group('label')}")
            elif match.group("anchor") and style.shown(match.group("key"), match.group("anchor")):
                link_no += 1
                link_ids.append(f"cite-{link_no}")
                page.first_cite.setdefault((match.group("key"), match.group("anchor")), link_ids[-1])
        ids = iter(link_ids)

        def link(c: re.Match) -> str:
            key, anchor = c.group("key"), c.group("anchor")
            if not anchor or not style.shown(key, anchor):
                return f"]({style.href(key, None)})"
            return f"]({style.href(key, anchor)}){{: #{next(ids)} }}"

        line = LINK_CITATION.sub(link, line)
        line = CITATION.sub(lambda c: style.note(c.group("key"), c.group("anchor")), line)   # a bare citation
        out.append(line)
    front = page_front_matter(title, summary)
    body = "\n".join(out).strip("\n") + "\n"
    page.markdown = front + "\n" + annotate(body, rel)
    page.cites = list(style.cites)
    return page


def essay_pages(content: Path, passages: dict, reading_pages: set[str], readings: dict[str, CitedReading],
                annotate, edition: Edition = CLASSROOM) -> list[EssayPage]:
    """Every essay of content/essays/, checked and rendered (sorted by title).

    ``reading_pages`` are the keys of every reading page (``viola/chapter-2``); ``annotate(text, page)``
    adds the glossary annotations.
    """
    folder = content / "essays"
    if not folder.exists():
        return []
    out = []
    for path in sorted(folder.glob("*.md")):
        rel = f"essays/{path.name}"
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", path.stem) and rel != ESSAYS_INDEX:
            raise BuildError(path, 1, f"the essay's file name '{path.name}' is not a plain id",
                             "rename it with lower-case letters, digits and single hyphens (e.g. who-was-a-kulak.md): "
                             "the name becomes the essay's address")
        if rel == ESSAYS_INDEX:
            raise BuildError(path, 1, "an essay may not be called index.md (that is the Essays index page)",
                             "rename the file after the essay's subject, e.g. who-was-a-kulak.md")
        essay, counts = load_essay(path, rel, passages, reading_pages, set(readings))
        out.append(render_essay(essay, counts, rel, NoteStyle(readings, rel, edition), annotate))
    return sorted(out, key=lambda e: e.title.lower())


@schema_for("data/essays.yml")
class EssayOrder(Strict):
    """data/essays.yml: the order of the essays in the Essays index and the navigation (a course)."""

    order: list[Slug]


def course_order(essays: list[EssayPage], path: Path) -> list[EssayPage]:
    """The essays in the order of ``data/essays.yml``; essays it does not list follow, by title.

    An id in the file that is no essay stops the build at its line.
    """
    if not path.exists():
        return essays
    order = load_yaml(path, EssayOrder).order
    by_id = {e.id: e for e in essays}
    for i, ident in enumerate(order):
        if ident in order[:i]:
            raise BuildError(path, _item_line(path, ident, occurrence=2), f"'{ident}' is listed twice",
                             "an essay has one place in the order: delete one of the two lines")
        if ident not in by_id:
            raise BuildError(path, _item_line(path, ident),
                             f"'{ident}' is not an essay (no content/essays/{ident}.md)",
                             f"use the file names of content/essays/ without .md: {', '.join(sorted(by_id))}")
    listed = [by_id[i] for i in order]
    return listed + [e for e in essays if e.id not in order]


def _item_line(path: Path, ident: str, occurrence: int = 1) -> int | None:
    found = [i for i, line in enumerate(read_text(path).split("\n"), 1)
             if re.match(rf"^\s*-\s*{re.escape(ident)}\s*(#.*)?$", line)]
    return found[occurrence - 1] if len(found) >= occurrence else (found[0] if found else None)


def index_page(essays: list[EssayPage], readings: dict[str, CitedReading]) -> str:
    """The Essays index: every essay's title, its two-sentence summary and the readings it draws on."""
    lines = ["---", 'title: "Essays"', "---", "", "# Essays", "",
             "Thematic essays that connect the readings. Every fact, figure and quotation taken from a reading "
             "links to the paragraph it comes from, and every paragraph an essay cites says so in the reading "
             "(“Discussed in: …”), so you can move from an essay to its evidence and back.", ""]
    for e in essays:
        lines += [f"## [{md_inline(e.title)}]({posixpath.basename(e.path)})", "", md_inline(e.summary), ""]
        used = []
        for rid in e.counts["readings_used"]:
            r = readings[rid]
            # bibliography fields are editor-written: escaped, so a title can never carry markup in
            title = escape_text(r.short_title().replace("<i>", "*").replace("</i>", "*"))
            used.append(f"[{escape_text(r.short_author)}, {r.titled(title, '')}]({posixpath.relpath(key_page(rid), 'essays')})")
        lines += [f"**Draws on:** {'; '.join(used)}. {e.counts['words']:,} words; "
                  f"{e.counts['paragraph_citations']} passages cited.", "{: .essay-facts }", ""]
    if not essays:
        lines += ["No essays yet.", ""]
    return "\n".join(lines)


def report_section(essays: list[EssayPage]) -> tuple[list[str], list[dict]]:
    """Lines for build/report.md and records for build/report.json: per essay its counts."""
    lines = ["## Essays", "", "| Essay | Words | Paragraph citations | Quotations checked | Readings used |",
             "|---|---|---|---|---|"]
    data = []
    for e in essays:
        c = e.counts
        lines.append(f"| {e.id} | {c['words']} | {c['paragraph_citations']} | {c['quotations_checked']} | "
                     f"{', '.join(c['readings_used'])} |")
        data.append({"id": e.id, "title": e.title, **c})
    return lines + [""], data


def add_to_report(folder: Path, essays: list[EssayPage], unguided: list[str] = ()) -> None:
    """Append the essays' table (and pages still without a guide) to build/report.md and report.json."""
    lines, data = report_section(essays)
    if unguided:
        lines += ["## Pages without a reading guide", ""] + [f"- **warning** {p}: add a guide in data/guides/" for p in unguided] + [""]
    md = folder / "report.md"
    md.write_text(md.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n".join(lines), encoding="utf-8")
    js = folder / "report.json"
    record = json.loads(js.read_text(encoding="utf-8"))
    record["essays"] = data
    record["pages_without_guide"] = list(unguided)
    js.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
