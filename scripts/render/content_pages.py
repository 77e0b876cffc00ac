"""Hand-written pages (content/*.md): copied into docs/ with their glossary terms annotated."""
from __future__ import annotations

import re

from scripts.core.datafile import read_text
from scripts.core.errors import BuildError
from scripts.core.escape import page_front_matter
from scripts.core.front_matter import PageFrontMatter, front_matter_of, split
from scripts.core.links import GLOSSARY_PAGE, relative
from scripts.core.model import Page
from scripts.paths import Paths
from scripts.render.nav import NAV_TITLE_MAX


def content_pages(paths: Paths, annotator) -> list[Page]:
    """Hand-written pages (content/*.md, content/essays/*.md): copied, with glossary terms annotated."""
    pages = []
    for path in sorted(paths.content.rglob("*.md")):
        rel = path.relative_to(paths.content).as_posix()
        if rel.startswith("essays/"):
            continue  # essays are checked and rendered by scripts/course/stage.py
        text = read_text(path)
        meta = front_matter_of(path, text, PageFrontMatter)
        title_match = re.search(r"^# (.+)$", text, re.M)
        title = title_match.group(1).strip() if title_match else str(meta.title or rel)
        if len(title) > NAV_TITLE_MAX:
            line = text[: title_match.start()].count("\n") + 1 if title_match else 1
            raise BuildError(path, line, f"the page title has {len(title)} characters (at most {NAV_TITLE_MAX})",
                             "shorten the heading: it becomes the page's entry in the navigation")
        if annotator is not None and rel.startswith("essays/"):
            text = annotate_markdown_page(text, rel, annotator)
        if meta.title is not None or meta.description is not None or meta.hide:
            # written again by us: MkDocs prints the title into <title> and the description into
            # <meta content="…"> as HTML, so both go through scripts/core/escape.py
            _yaml, body_start = split(path, text)
            front = page_front_matter(meta.title or title, meta.description)
            if meta.hide:
                front = front[:-4] + "hide: [" + ", ".join(meta.hide) + "]\n---\n"
            text = front + "\n".join(text.split("\n")[body_start - 1:])
        pages.append(Page(rel, title, text))
    return pages


def annotate_markdown_page(text: str, rel: str, annotator) -> str:
    """Annotate the prose paragraphs of a hand-written page (not headings, code, front matter, HTML)."""
    out, in_code, in_front = [], False, text.startswith("---\n")
    section = 0  # a term is underlined once per section (heading to heading)
    for i, line in enumerate(text.split("\n")):
        if in_front:
            out.append(line)
            if i > 0 and line == "---":
                in_front = False
            continue
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("#"):
            section += 1
        if in_code or not line.strip() or line.lstrip().startswith(("#", "<", "{", "|", "[^", "!!!", "???")):
            out.append(line)
            continue
        annotated = annotator.annotate(line, rel, section=section)
        out.append(annotated.replace("{GLOSSARY_URL}", relative(rel, GLOSSARY_PAGE)))
    return "\n".join(out)
