"""Search online answers from our worker, not Material's lunr worker (scripts/site/search_worker.py).

Material's worker builds a lunr index of every text when a page opens, which kept a first result
about a second away online (issue 11: painted within 500 ms at 4x CPU, BENCHMARKS.md). Every
build's post-build step points each page at assets/javascripts/search-worker.js, so the online
site and the offline bundle search alike. These tests look at the built pages and at what the
browser really loads and shows."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scripts.site.search_worker import WORKER, MissingWorker, use_search_worker
from tests.browser.helpers import open_search

CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def test_every_built_page_points_at_our_worker(built_site: Path) -> None:
    pages = [p for p in built_site.rglob("*.html") if CONFIG.search(p.read_text(encoding="utf-8"))]
    assert len(pages) > 40
    for page in pages:
        config = json.loads(CONFIG.search(page.read_text(encoding="utf-8")).group(1))
        url = config["search"]
        assert not url.startswith("//"), f"{page.relative_to(built_site)}: {url} would name another host"
        target = (built_site / url[1:] if url.startswith("/") else page.parent / url).resolve()
        assert target == (built_site / WORKER).resolve(), f"{page.relative_to(built_site)}: {config['search']}"


def test_online_search_runs_in_our_worker_and_finds_the_text(page, site_url: str) -> None:
    workers: list[str] = []
    page.on("worker", lambda w: workers.append(w.url))
    page.goto(f"{site_url}/readings/viola/chapter-2.html")
    open_search(page)
    page.keyboard.type("kulak")
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    assert [w.split("?")[0] for w in workers] == [f"{site_url}/{WORKER}"]
    marked = {m.lower() for m in page.locator(".md-search-result__item mark").all_text_contents()}
    assert marked and all(m.startswith("kulak") for m in marked), marked
    assert not page.js_errors


def test_a_build_without_the_worker_stops_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<script id="__config" type="application/json">{"base": "."}</script>')
    with pytest.raises(MissingWorker, match=r"search-worker\.js is missing .*run the pipeline again"):
        use_search_worker(tmp_path)
