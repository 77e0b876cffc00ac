"""``python -m scripts.formats.course_epub COURSE_ID TARGET [--public]``: one course's EPUB, for a course pack.

``./site.sh course`` (scripts/site/course_pack.py) puts the course's readings as an EPUB into its pack.
The pack is part of the site stage, which comes before this one and may not import it (the layers in
pyproject.toml: an import back from the site stage closed a cycle site -> formats -> pipeline -> site),
so it runs this command instead, as it runs ``python -m scripts.build`` for the pipeline. The EPUB is made
by :func:`scripts.formats.stage.make_course_epub` from ``build/courses/<id>.json`` (what the last build
read of the course) and the last build's docs/, through the formats cache and EPUBCheck.

Exit status: 0 the EPUB was written; 3 the course assigns no printed reading (no EPUB); 1 it could not
be made (the message says why).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts.core.errors import BuildError
from scripts.formats.stage import make_course_epub
from scripts.paths import ROOT, Paths

NO_READING = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", help="the course's id (build/courses/<id>.json, written by the last build)")
    parser.add_argument("target", type=Path, help="where to write the EPUB")
    parser.add_argument("--public", action="store_true", help="the public-web edition (withheld texts left out)")
    args = parser.parse_args(argv)
    data = ROOT / "build" / "courses" / f"{args.course}.json"
    if not data.is_file():
        print(f"{data.relative_to(ROOT)}: error: the build has not read this course\n"
              "  what to do: run ./site.sh course without --no-pipeline", file=sys.stderr)
        return 1
    course = json.loads(data.read_text(encoding="utf-8"))
    try:
        made = make_course_epub(Paths(ROOT), course, args.public, ROOT / "docs", args.target)
    except BuildError as err:
        print(err.relative_to(ROOT), file=sys.stderr)
        return 1
    return 0 if made else NO_READING


if __name__ == "__main__":
    sys.exit(main())
