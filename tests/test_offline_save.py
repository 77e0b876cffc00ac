"""The online site's offline save (issue 20) in the session build: what the service worker precaches,
that the file:// bundle carries none of it, and that a file Workbox would leave out stops the build.
The browser side (save, network off, a new edition) is tests/browser/test_offline_save_browser.py."""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest

from scripts.site import offline_save

ENTRY = re.compile(r'\{url:"([^"]+)",revision:"([0-9a-f]+)"\}')


def precache(site: Path) -> list[tuple[str, str]]:
    """The (url, revision) entries of the generated sw.js, as Workbox wrote them."""
    return ENTRY.findall((site / offline_save.SW).read_text(encoding="utf-8"))


def test_the_worker_precaches_every_page_of_this_build(built_site: Path) -> None:
    entries = precache(built_site)
    urls = {url for url, _ in entries}
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")}
    assert pages - urls == {"404.html"}, "every page but the error page is saved"
    for url, revision in entries:   # Workbox's revision is the file's md5: this build's very files
        assert hashlib.md5((built_site / url).read_bytes()).hexdigest() == revision, url
    for needed in ("search/search_index.json", "search/search_docs.json", "assets/javascripts/search-worker.js",
                   "assets/javascripts/glossary-definitions.js", "assets/javascripts/reader.js",
                   "assets/offline-save/offline-save.js", offline_save.MANIFEST):
        assert needed in urls, needed
    assert not [u for u in urls if u.endswith((".map", ".zip")) or u in (offline_save.SW, offline_save.INFO)]
    record = json.loads((built_site / offline_save.INFO).read_text(encoding="utf-8"))
    assert record["files"] == len(entries)
    assert record["bytes"] == sum((built_site / u).stat().st_size for u in urls)
    ordered = sorted(({"url": u, "revision": r} for u, r in entries), key=lambda e: e["url"])
    build = hashlib.sha256(json.dumps(ordered, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()[:12]
    assert record["build"] == build
    sw = (built_site / offline_save.SW).read_text(encoding="utf-8")
    assert f'"rfa-{build}"' in sw, "one cache per build id"


def test_pages_load_the_control_and_the_manifest(built_site: Path) -> None:
    html = (built_site / "readings" / "viola" / "chapter-4.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="../../manifest.webmanifest">' in html
    assert '<script src="../../assets/offline-save/offline-save.js" defer></script>' in html
    manifest = json.loads((built_site / offline_save.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["start_url"] == "./index.html" and manifest["name"].startswith("Revolution from Above")
    for icon in manifest["icons"]:
        assert (built_site / icon["src"]).is_file()


def test_the_offline_bundle_has_none_of_it(offline_zip: Path) -> None:
    """Nothing of the offline save reaches the file:// bundle: no worker, manifest, record or script,
    and no page that names them (so nothing could register from file://)."""
    with zipfile.ZipFile(offline_zip) as zf:
        names = zf.namelist()
        mine = [n for n in names if n.split("/", 1)[-1] in (offline_save.SW, offline_save.INFO, offline_save.MANIFEST)
                or f"/{offline_save.SOURCE_DIR}/" in n]
        assert not mine, mine
        for name in names:
            if name.endswith(".html"):
                text = zf.read(name).decode("utf-8")
                for word in ("offline-save.js", "offline-save.css", offline_save.MANIFEST, offline_save.SW):
                    assert word not in text, f"{name} names {word}"


def test_a_file_workbox_would_leave_out_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over Workbox's size limit would be missing from a saved edition: the step stops with what to do."""
    (tmp_path / "index.html").write_text("<title>Home - Test</title>", encoding="utf-8")
    (tmp_path / "big.js").write_text("x" * 4096, encoding="utf-8")
    monkeypatch.setattr(offline_save, "MAX_FILE", 1024)
    with pytest.raises(offline_save.OfflineSaveError) as err:
        offline_save.write_worker(tmp_path)
    assert "big.js" in str(err.value) and "what to do" in str(err.value)
