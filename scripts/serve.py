"""``./site.sh serve``: ``mkdocs serve`` over docs/, with a watcher that regenerates docs/ on every edit.

A bad edit is reported in the terminal and at the top of the page in the browser; the last good
build stays served and the next edit is picked up. The EPUBs and PDFs of the download page are made
in the background after the first build and after each good edit, never in the edit loop
(scripts/formats/preview.py).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from scripts.core.errors import BuildError
from scripts.formats.preview import Preview
from scripts.paths import Paths
from scripts.pipeline import generate
from scripts.site import mkdocs_run, publish


STATUS_JS = Path("assets") / "javascripts" / "build-status.js"


def show_serve_status(paths: Paths, error: str | None) -> None:
    """While serving, put the last error (or none) into docs/'s copy of build-status.js.

    Every page loads that script; ``mkdocs serve`` notices the change and reloads the browser, which
    then shows the error above the last good build of the page.
    """
    source, target = paths.root / STATUS_JS, paths.docs / STATUS_JS
    if not source.is_file() or not target.parent.is_dir():
        return
    text = source.read_text(encoding="utf-8")
    if error is not None:
        text = text.replace("var error = null; // SERVE-ERROR", "var error = " + json.dumps(error) + "; // SERVE-ERROR", 1)
    target.write_text(text, encoding="utf-8")  # a fresh mtime: `mkdocs serve --dirty` copies it again


class MkDocsActivity:
    """Whether ``mkdocs serve`` is in the middle of a build, read from its log, which is passed on to
    the terminal unchanged (:meth:`relay`).

    Why: ``mkdocs serve --dirty`` first reads the pages changed since its last build, then renders
    every changed page; a page of docs/ written between the two is rendered unread, and Material's
    search plugin fails on its empty content (a traceback, and the served site stays stale until
    the next edit: seen in a clean-clone test run). So the writers of docs/ pages (the regeneration,
    the download page) first :meth:`settle`."""

    STARTS = ("Detected file changes", "Building documentation")
    ENDS = ("Reloading browsers", "An error happened during the rebuild", "Serving on")

    #: Seconds MkDocs may take to notice a write to docs/ and log it: its polling interval
    #: (scripts/site/mkdocs_serve.py) and the time a write takes, with a margin.
    NOTICE = 0.4

    def __init__(self) -> None:
        self.idle = threading.Event()       # set once MkDocs serves (its first build done)
        self.settled = float("-inf")        # when settle() last let a writer go (time.monotonic)

    def relay(self, stream) -> None:
        for line in stream:
            sys.stderr.write(line)
            sys.stderr.flush()
            if any(mark in line for mark in self.STARTS):
                self.idle.clear()
            elif any(mark in line for mark in self.ENDS):
                self.idle.set()

    def settle(self, timeout: float = 30) -> None:
        """Return when no build is under way: if a writer was let go less than :attr:`NOTICE`
        seconds ago, first the rest of that time, for its write to be noticed (MkDocs logs it at
        once); then until that build has ended (at most ``timeout`` seconds). An edit made while
        docs/ has been quiet for a while waits for nothing."""
        wait = self.NOTICE - (time.monotonic() - self.settled)
        if wait > 0:
            time.sleep(wait)
        self.idle.wait(timeout)
        self.settled = time.monotonic()


def regenerate(paths: Paths, settle=None) -> str | None:
    """One rebuild of docs/ while serving; returns the error text, or None if it built."""
    try:
        with publish.build_lock(paths.root, "serve"):
            generate(paths, incremental=True, settle=settle)
        return None
    except BuildError as exc:
        return exc.relative_to(paths.root)
    except Exception as exc:  # never let the watcher die: later edits must still be picked up
        return (f"internal error: {type(exc).__name__}: {exc}\n  what to do: this is a bug in scripts/, not in "
                "your input; run `BUILD_DEBUG=1 python -m scripts.build` for the traceback and report it")


def watch_inputs(paths: Paths, interval: float = 0.1, formats: Preview | None = None,
                 mkdocs: MkDocsActivity | None = None) -> None:
    """While serving, regenerate docs/ whenever an input (text, data, essay, course file, asset) changes.

    docs/ is updated file by file, so `mkdocs serve --dirty` rebuilds only the pages that changed.
    A bad edit is reported in the terminal and in the browser, the last good build stays served,
    and the next edit is picked up as usual. After a good edit, ``formats`` (if given) fills the
    download page again and is asked to remake the EPUBs and PDFs in the background.
    """
    folders = [paths.sources, paths.corrections.parent, paths.bib.parent, paths.content, paths.assets, paths.courses]

    def stamp() -> dict:
        found = {}
        for folder in folders:
            try:
                files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else (
                    [folder] if folder.exists() else [])
                found.update({p: p.stat().st_mtime for p in files})
            except OSError:  # a file vanished while we looked (an editor's atomic save)
                continue
        return found

    seen = stamp()
    shown: str | None = None
    while True:
        time.sleep(interval)
        now = stamp()
        if now != seen:
            seen = now
            error = regenerate(paths, settle=mkdocs.settle if mkdocs is not None else None)
            if error is None:
                print("docs/ regenerated", file=sys.stderr, flush=True)
                if formats is not None:
                    formats.show()          # the regenerated download page is unfilled
                    formats.request()
            else:
                print(error, file=sys.stderr)
                print("serve: still serving the last good build; fix the error and save again", file=sys.stderr,
                      flush=True)
            if error != shown:
                show_serve_status(paths, error)
                shown = error


DEFAULT_ADDR = "127.0.0.1:8000"    # mkdocs serve's own default (mkdocs.yml sets none)


def request_when_served(formats: Preview, addr: str, proc: subprocess.Popen) -> None:
    """Ask for the formats once ``mkdocs serve`` answers: its first build comes first, and only then
    does it watch docs/, so files put there during that build would not reach the served site."""
    while proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://{addr}/", timeout=2):
                break
        except urllib.error.HTTPError:
            break                     # it answers (a page may be missing, the server is up)
        except OSError:
            time.sleep(0.5)
    else:
        return
    formats.request()


def serve(paths: Paths, dev_addr: str = "", public: bool = False) -> int:
    """``mkdocs serve`` with the input watcher (see :func:`watch_inputs`) and the formats made in
    the background (see scripts/formats/preview.py)."""
    env = dict(os.environ, OFFLINE="false", NO_MKDOCS_2_WARNING="1")
    show_serve_status(paths, None)
    mkdocs = MkDocsActivity()
    formats = Preview(paths, public)
    formats.show()                      # before MkDocs starts: nothing to wait for
    formats.settle = mkdocs.settle
    threading.Thread(target=watch_inputs, args=(paths,), kwargs={"formats": formats, "mkdocs": mkdocs},
                     daemon=True).start()
    addr = ["--dev-addr", dev_addr] if dev_addr else []
    proc = subprocess.Popen([sys.executable, "-m", "scripts.site.mkdocs_serve", "serve", "--dirty", *addr,
                             "-f", str(paths.mkdocs_yml)],
                            env=env, stderr=subprocess.PIPE, text=True, bufsize=1)
    threading.Thread(target=mkdocs.relay, args=(proc.stderr,), daemon=True).start()
    threading.Thread(target=request_when_served, args=(formats, dev_addr or DEFAULT_ADDR, proc), daemon=True).start()
    try:
        return proc.wait()
    except BaseException:
        mkdocs_run.stop(proc)
        raise
    finally:
        formats.stop()
