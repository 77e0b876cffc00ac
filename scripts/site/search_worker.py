"""Every built page searches with our worker (assets/javascripts/search-worker.js), online and offline.

Material's own worker builds a lunr index of all ~1,200 search sections when a page opens. Online
(a real Web Worker) that took about a second before the first result could show, with the CPU
slowed 4x as on a cheap phone; from ``file://`` (the offline bundle, where the iframe-worker shim
runs the worker on the page's own thread) it took several seconds and froze the page. Issue 11 asks
for a first result painted within 500 ms of the first keystroke on a freshly loaded chapter. Our
worker builds no index: it loads the documents itself (online search/search_docs.json, after the page
has loaded; offline search/search_docs.js, when the page is idle: scripts/site/search_paragraphs.py)
and scans them per query, which takes milliseconds.

One engine for both editions also means a class gets the same results from the bundle as from the
site. What differs from lunr (README, "Search"): every word matches as a word prefix,
case-insensitively; pages with all the words rank first; lunr's operators (``+``, ``-``, ``~``,
``title:``) and its English stemming are not applied.

Wired by ``mkdocs_run.post_build``, the step every build path runs after MkDocs (not an MkDocs
hook, so a Zensical build can run it too): each page's ``__config`` "search" entry, which Material
reads to start its worker, is pointed at our file, relative to the page as Material writes its own.

Online (a site without Material's offline ``search/search_index.js``) the same pass takes out the
iframe-worker shim's ``<script>`` (mkdocs.yml ``extra.polyfills``): the shim replaces ``Worker``
only from ``file://``, so online it did nothing but hold the first paint back, a blocking script
in every page's head (Lighthouse's "render-blocking resources", issue 19). The bundle and course
packs keep it.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

WORKER = "assets/javascripts/search-worker.js"
CONFIG_RE = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
SHIM_RE = re.compile(r'<script src="[^"]*assets/javascripts/iframe-worker-shim\.js"></script>\n?')


class MissingWorker(Exception):
    """The built site has no search worker to point at (message says what to do)."""


def use_search_worker(site: Path) -> int:
    """Point every page's Material ``__config`` "search" entry at our worker (and online, drop the
    iframe-worker shim's script); return pages rewritten."""
    if not (site / WORKER).exists():
        raise MissingWorker(f"{WORKER} is missing from the build in {site}: it lives in assets/, and "
                            "`python -m scripts.build` copies assets/ into docs/; run the pipeline again")
    online = not (site / "search" / "search_index.js").exists()
    count = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if online:
            html = SHIM_RE.sub("", html)
        match = CONFIG_RE.search(html)
        if not match:
            continue
        config = json.loads(match.group(2))
        # the 404 page's base is "/" (it may be served at any depth): "/assets/…", never "//assets/…"
        config["search"] = f"{config.get('base', '.').rstrip('/')}/{WORKER}"
        new = match.group(1) + json.dumps(config, ensure_ascii=False) + match.group(3)
        page.write_text(html[:match.start()] + new + html[match.end():], encoding="utf-8")
        count += 1
    return count
