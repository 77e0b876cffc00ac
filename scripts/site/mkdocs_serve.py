"""``mkdocs serve`` as its own command line runs it, looking for changed files in docs/ every 0.1 s.

MkDocs' development server polls the folders it watches every half second (its
``LiveReloadServer`` default, which its ``serve`` command does not expose). While serving, docs/ is
written by our own watcher (scripts/serve.py) right after each edit, so that half second was a
quarter of the two seconds an edit may take until its page is served (issue 17). docs/ holds about
150 files: polling them ten times a second costs a few milliseconds of CPU.

Used by scripts/serve.py as ``python -m scripts.site.mkdocs_serve serve --dirty …``; everything but
the polling interval is MkDocs' own command.
"""
from __future__ import annotations

import functools
import sys

from mkdocs import livereload
from mkdocs.__main__ import cli

POLLING_INTERVAL = 0.1     # seconds; MkDocs' own default is 0.5


def main() -> None:
    livereload.LiveReloadServer.__init__ = functools.partialmethod(livereload.LiveReloadServer.__init__,
                                                                    polling_interval=POLLING_INTERVAL)
    cli(prog_name="mkdocs")


if __name__ == "__main__":
    sys.exit(main())
