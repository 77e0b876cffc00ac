"""The EPUBs and PDFs while serving (``./site.sh serve``): made in the background, never in the edit loop.

A student or instructor previewing the site expects the download page to work as on the built
site: its links to open the files, its sizes and dates filled in. Making the files is slow
(WeasyPrint, EPUBCheck: minutes from an empty cache), and an edit must be served in about two
seconds, so ``serve`` never waits for them:

- once ``mkdocs serve`` answers (its first build comes first) and after every good edit,
  :class:`Preview` asks for the formats to be made again; one child process at a time
  (``python -m scripts.formats.preview``), at a low CPU priority (nice 10) so that the edit loop
  keeps the cores, and an edit made while one is running asks for one more run after it, not one
  per edit;
- the child is :func:`scripts.formats.stage.build_formats`, with the site build's own cache
  (``build/formats-cache/``, keyed by the inputs' hash): a file whose inputs did not change is
  copied, not made, so after ``./site.sh build`` the first run takes seconds, and an edit to one
  chapter remakes only the files that hold it;
- the files go to a scratch folder in build/, then into ``docs/downloads/`` file by file, each
  replaced whole (:func:`replace_files`; the incremental regeneration of docs/ leaves that folder
  alone, scripts/pipeline.py), and ``mkdocs serve`` serves them as it serves any file of docs/;
- the download page (docs/download.md) shows their sizes and dates once they are there; until
  then, or when a file could not be made, a note above the list says so and what to do (the same
  message ``./site.sh build`` stops with).
"""
from __future__ import annotations

import argparse
import filecmp
import html
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable

from scripts.core import downloads
from scripts.core.errors import BuildError
from scripts.formats.page import fill_sizes, listing_files
from scripts.formats.stage import MANIFEST, build_formats
from scripts.paths import Paths

PAGE = "download.md"
SCRATCH = "formats-preview."           # the child's scratch folder in build/
NICE = 10
#: the note above the list while the files are not (yet) there; the marker lets the next fill remove it
NOTE_START, NOTE_END = "<!-- serve: formats note -->", "<!-- /serve: formats note -->"
PENDING = ("While `./site.sh serve` runs, the EPUBs and PDFs are made in the background after each edit "
           "(seconds when `./site.sh build` made them before, a few minutes from nothing); this list fills in "
           "its sizes and links when they are ready. Reload the page then.")
FAILED = "The EPUBs and PDFs could not be made while serving: {error}"


def make_into_docs(paths: Paths, public: bool) -> None:
    """The child's work: every format into a scratch folder in build/, then into docs/downloads/."""
    for stale in paths.report.glob(SCRATCH + "*"):      # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH, dir=paths.report))
    try:
        build_formats(paths, public, paths.docs, scratch)
        replace_files(scratch / downloads.FOLDER, paths.docs / downloads.FOLDER)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def replace_files(new: Path, target: Path) -> None:
    """``target`` made to hold the files of ``new``, one file at a time, each replaced whole.

    Not a swap of the folder: ``mkdocs serve`` lists docs/ and copies its files seconds later, and a
    file it has listed must not vanish meanwhile (its rebuild fails with a traceback). Each file is
    written to a dot-name (which MkDocs ignores) and renamed over the old one, only if its bytes
    changed (a fresh file is newer than MkDocs' copy, so ``--dirty`` copies it again); formats.json
    comes last, and a file no longer made is removed.
    """
    target.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in new.iterdir() if p.name != MANIFEST) + [MANIFEST]
    for name in names:
        src, dst = new / name, target / name
        if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
            continue
        tmp = target / f".{name}.tmp"
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    for old in target.iterdir():
        if old.name not in names:
            old.unlink()


def show(paths: Paths, error: str | None = None) -> None:
    """Fill the download page of docs/ from docs/downloads/ (after the child, and after every
    regeneration of docs/, which writes the page unfilled), or put the note above its list; the
    page is replaced whole (a dot-name renamed over it), never seen half-written by MkDocs."""
    page = paths.docs / PAGE
    if not page.is_file():
        return
    original = page.read_text(encoding="utf-8")
    text = original
    start, end = text.find(NOTE_START), text.find(NOTE_END)
    if start >= 0 and end > start:
        text = text[:start] + text[end + len(NOTE_END):].lstrip("\n")
    listing_path = paths.docs / downloads.FOLDER / MANIFEST
    listing = json.loads(listing_path.read_text(encoding="utf-8")) if listing_path.is_file() else None
    if error is not None or listing is None:
        message = FAILED.format(error=f"<code>{html.escape(error)}</code>") if error is not None else PENDING
        note = (f'{NOTE_START}\n<div class="admonition note" markdown><p class="admonition-title">'
                f"The formats while serving</p>\n\n{message}\n\n</div>\n{NOTE_END}\n\n")
        heading = text.find("\n## ")
        text = text[:heading + 1] + note + text[heading + 1:] if heading >= 0 else text + "\n" + note
    tmp = page.with_name(f".{page.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    if listing is not None:
        fill_sizes(tmp, listing_files(listing))
    if tmp.read_text(encoding="utf-8") != original:
        os.replace(tmp, page)
    else:
        tmp.unlink()


class Preview:
    """Runs the child again after each request, one at a time, in a daemon thread (see the module)."""

    def __init__(self, paths: Paths, public: bool = False, settle: Callable[[], object] | None = None):
        self.paths, self.public = paths, public
        self.settle = settle                # serve: wait until mkdocs serve is not building (scripts/serve.py)
        self.wanted = threading.Event()
        self.error: str | None = None
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()       # the watcher and this thread both fill the page
        self.stopping = False
        self.starting = threading.Lock()   # a run starts, or serve stops: not both at once
        threading.Thread(target=self._loop, daemon=True).start()

    def request(self) -> None:
        self.wanted.set()

    def show(self) -> None:
        with self.lock:
            if self.settle is not None:
                self.settle()
            show(self.paths, self.error)

    def stop(self) -> None:
        """End a run in progress with its worker processes (its own process group): no orphan is left."""
        with self.starting:
            self.stopping = True
            proc = self.proc
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def _loop(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            cmd = [sys.executable, "-m", "scripts.formats.preview", *(["--public"] if self.public else [])]
            with self.starting:                 # never a new run once stop() has begun
                if self.stopping:
                    return
                self.proc = subprocess.Popen(cmd, cwd=self.paths.root, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE, text=True, start_new_session=True)
            _, err = self.proc.communicate()
            if self.stopping:
                return
            if self.proc.returncode == 0:
                self.error = None
                print("serve: EPUBs and PDFs ready in docs/downloads/", file=sys.stderr, flush=True)
            else:
                self.error = err.strip().splitlines()[-1] if err.strip() else f"exit {self.proc.returncode}"
                print(f"serve: the EPUBs and PDFs could not be made:\n{err.strip()}", file=sys.stderr, flush=True)
            self.show()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make the formats into docs/downloads/ (run by ./site.sh serve)")
    parser.add_argument("--public", action="store_true")
    args = parser.parse_args(argv)
    os.nice(NICE)          # the edit loop first: its worker processes inherit this
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))   # the scratch folder goes too
    paths = Paths()
    try:
        make_into_docs(paths, args.public)
    except BuildError as exc:
        print(exc.relative_to(paths.root).replace("\n", " "), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
