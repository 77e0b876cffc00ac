"""Where everything lives: the one place the build's paths come from.

``ROOT`` is the checkout; :class:`Paths` names every input and output folder below a root, so a test
can point a whole build at a scratch copy. No other module computes a data path from its own
``__file__``: they take a ``Paths`` (or a path derived from one) as an argument.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: What a build reads; a copy of these (plus docs/ and site/ once built) is a complete project.
INPUTS = ("scripts", "sources", "data", "bib", "content", "assets", "courses", "overrides", "mkdocs.yml")


def copy_inputs(target: Path, root: Path = ROOT) -> Path:
    """Copy every build input of the project at ``root`` into ``target`` (created), with a link to its
    node_modules (citeproc-js), and return it: a scratch project for tests and benchmarks."""
    target.mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, target / name)
    modules = target / "node_modules"
    if (root / "node_modules").is_dir() and not modules.exists():
        modules.symlink_to(root / "node_modules", target_is_directory=True)
    return target


class Paths:
    """Where everything lives; tests point this at a scratch copy to feed the build bad input."""

    def __init__(self, root: Path = ROOT) -> None:
        self.root = root
        self.manifest = root / "sources" / "sources.yml"
        self.sources = root / "sources"
        self.corrections = root / "data" / "corrections"
        self.glossary = root / "data" / "glossary.yml"
        self.guides = root / "data" / "guides"
        self.bib = root / "bib" / "readings.bib"
        self.content = root / "content"
        self.assets = root / "assets"
        self.docs = root / "docs"
        self.site = root / "site"
        self.report = root / "build"
        self.mkdocs_yml = root / "mkdocs.yml"
        self.charts = root / "data" / "charts"
        self.timeline = root / "data" / "timeline.yml"
        self.courses = root / "courses"
        self.data = root / "data"
        self.glued_words = self.data / "glued_words.yml"
        self.pages_data = self.data / "pages"
        self.book_index_data = self.data / "book_index"
        self.apparatus = self.data / "apparatus.yml"
        self.essays_order = self.data / "essays.yml"
        self.editor_notes = self.data / "editor_notes.yml"
        self.facts = self.data / "facts.yml"
        self.passages = self.report / "passages.json"

    def show(self, path) -> str:
        """A path as messages and pages print it: relative to the project, never the build machine's."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)
