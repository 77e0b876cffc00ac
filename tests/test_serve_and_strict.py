"""``./site.sh build`` is strict for real, and ``./site.sh serve`` survives a bad edit.

* A broken link in a content page fails the real ``./site.sh build`` (MkDocs' ``--quiet`` used to
  hide the warning from ``--strict``), naming the content file and line, with docs/ and site/ kept.
* ``serve`` (``python -m scripts.build --serve``, what ``./site.sh serve`` runs) reports a bad edit
  in the terminal and in the browser page, keeps serving the last good build, picks up the next
  good edit, and stops on SIGTERM with no traceback.
* Two builds in one checkout do not overlap: the second waits for the first's lock.
"""
from __future__ import annotations

import contextlib

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.project_copy import ROOT, build_env, copy_good_build, copy_project, tree_hash


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except OSError as exc:
        return getattr(exc, "code", 0) or 0, ""


def _wait(what: str, test, timeout: float = 120.0, every: float = 0.5):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = test()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


#: slow (a full build each), and one xdist group: the serve test holds a port, the signal tests time signals
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve-and-signals")]


def test_site_sh_build_fails_on_a_broken_link_in_content(tmp_path: Path, session_build: Path) -> None:
    # the good build to keep is the session's (``python -m scripts.build --site``, what ./site.sh build
    # runs, checked there to succeed), copied: docs/ and site/ as hard links, the build swaps them
    root = copy_good_build(session_build, tmp_path / "proj")
    shutil.copy2(ROOT / "site.sh", root / "site.sh")
    os.symlink(ROOT / ".venv", root / ".venv")
    # no package-lock.json in the copy: site.sh's setup would then run `npm ci` through the copy's
    # node_modules link and empty the checkout's own packages (it did, once)
    for name in ("requirements.txt", "package.json"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, root / name)
    before = tree_hash(root / "docs", root / "site")
    index = root / "content" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text + "\nRead [the essays](essays/no-such-essay.md) next.\n", encoding="utf-8")
    line = text.count("\n") + 2
    run = subprocess.run(["./site.sh", "build"], cwd=root, env=build_env(), capture_output=True, text=True, timeout=900)
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-3000:]
    assert f"content/index.md:{line}: error:" in run.stderr and "no-such-essay.md" in run.stderr
    assert "what to do: fix the link" in run.stderr
    assert tree_hash(root / "docs", root / "site") == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(tmp_path: Path):
    """``./site.sh serve`` (``python -m scripts.build --serve``) on a copy of the project: yields the
    copy, the served address and a function returning the terminal output so far; stops it with
    SIGTERM afterwards and asserts it printed no traceback."""
    root = copy_project(tmp_path / "proj")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "scripts.build", "--serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=root, env=build_env(), stdout=log, stderr=subprocess.STDOUT, text=True)

    def output() -> str:
        if not log.closed:
            log.flush()
        return (tmp_path / "serve.log").read_text(encoding="utf-8")
    try:
        yield root, f"http://127.0.0.1:{port}", output
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    assert "Traceback" not in output(), output()[-3000:]


def test_serve_survives_a_bad_edit_and_recovers(tmp_path: Path, browser) -> None:
    with serving(tmp_path) as (root, base, output):

        _wait("the first page", lambda: _get(f"{base}/index.html")[0] == 200, timeout=300)
        fixes = root / "data" / "corrections" / "goldman.yml"
        good_fixes = fixes.read_text(encoding="utf-8")
        fixes.write_text(good_fixes.replace("line: 234", "line: two hundred"), encoding="utf-8")
        _wait("the error in the terminal", lambda: "data/corrections/goldman.yml:" in output() and "whole number" in output())
        status = _wait("the error in build-status.js",
                       lambda: (lambda r: r[1] if "whole number" in r[1] else "")(_get(f"{base}/assets/javascripts/build-status.js")))
        assert "goldman.yml" in status
        code, html = _get(f"{base}/index.html")
        assert code == 200 and "Revolution from Above" in html, "the last good build is no longer served"

        page = browser.new_page()
        page.goto(f"{base}/index.html", wait_until="load")
        banner = page.locator(".build-error")
        banner.wait_for(timeout=15000)
        assert "goldman.yml" in banner.inner_text() and "last good build" in banner.inner_text()
        page.close()

        fixes.write_text(good_fixes, encoding="utf-8")
        index = root / "content" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\nRecovered after a bad edit (serve test).\n", encoding="utf-8")
        _wait("the next good edit", lambda: "Recovered after a bad edit" in _get(f"{base}/index.html")[1], timeout=180)
        _wait("the error cleared", lambda: "var error = null; // SERVE-ERROR" in _get(f"{base}/assets/javascripts/build-status.js")[1])
        # a course file is an input too (courses/ is watched): its syllabus page follows the edit
        course = sorted((root / "courses").glob("*.yml"))[0]
        text = course.read_text(encoding="utf-8")
        course.write_text(text.replace('title: "', 'title: "Revised ', 1), encoding="utf-8")
        _wait("the course edit", lambda: "Revised " in _get(f"{base}/courses/{course.stem}.html")[1], timeout=180)
        assert "Traceback" not in output()


def test_serve_makes_the_formats_in_the_background_and_keeps_them_across_edits(tmp_path: Path) -> None:
    """``serve`` makes the EPUBs and PDFs beside the edit loop (scripts/formats/preview.py): the
    download page's links then open the files and its sizes are filled, and an edit served later
    neither removes them nor empties the page's sizes (the regeneration of docs/ leaves
    docs/downloads/ alone, and the page is filled again)."""
    import json
    import re

    with serving(tmp_path) as (root, base, output):
        def sizes_filled() -> dict[str, str]:
            page = _get(f"{base}/download.html")[1]
            cells = dict(re.findall(r'<span class="fmt-size" data-file="([^"]+)">([^<]*)</span>', page))
            return cells if cells and all(re.fullmatch(r"[\d.]+ (KB|MB)", v) for k, v in cells.items()
                                          if not k.endswith(".zip")) else {}

        # the formats' child runs beside MkDocs' first build (at a lower priority): on a busy machine
        # that build alone can take several minutes
        _wait("the first page", lambda: _get(f"{base}/index.html")[0] == 200, timeout=900)
        cells = _wait("the formats made in the background", sizes_filled, timeout=900, every=2)
        assert "The formats while serving" not in _get(f"{base}/download.html")[1]
        listing = json.loads(_get(f"{base}/downloads/formats.json")[1])
        assert {item["file"] for item in listing} == {k for k in cells if not k.endswith(".zip")}
        for item in listing:
            with urllib.request.urlopen(f"{base}/downloads/{item['file']}", timeout=10) as response:
                body = response.read()
            assert len(body) == item["bytes"], item["file"]
            assert body[:4] == (b"%PDF" if item["kind"] == "pdf" else b"PK\x03\x04"), item["file"]

        index = root / "content" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\nEdited while the formats are served.\n",
                         encoding="utf-8")
        _wait("the edit", lambda: "Edited while the formats are served" in _get(f"{base}/index.html")[1], timeout=180)
        _wait("the download page filled again after the edit", sizes_filled, timeout=180)
        assert _get(f"{base}/downloads/{listing[0]['file']}")[0] == 200
        assert (root / "docs" / "downloads" / "formats.json").is_file()
        assert "Traceback" not in output()
    assert not list((root / "build").glob("formats-preview.*")), "a scratch folder of the formats was left"


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    """The lock: while one build holds it, another says so and waits, then runs."""
    root = copy_project(tmp_path / "proj")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from scripts.site import publish\n"
        "with publish.build_lock(Path('.'), 'test holder'):\n"
        "    print('locked', flush=True); time.sleep(4)\n")], cwd=root, env=build_env(), stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "scripts.build"], cwd=root, env=build_env(), capture_output=True,
                         text=True, timeout=600)
    holder.wait(timeout=30)
    assert run.returncode == 0, run.stderr
    assert "another build is running in this checkout (test holder" in run.stderr
    assert time.monotonic() - started >= 3


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_ends_a_build_cleanly(tmp_path: Path, session_build: Path, signum: int) -> None:
    """SIGTERM or Ctrl-C during the site build: one line, no traceback, no scratch folder, trees unchanged."""
    root = copy_good_build(session_build, tmp_path / "proj")  # a good --site build (the session's, copied)
    before = tree_hash(root / "docs", root / "site", root / "mkdocs.yml")
    (root / "content" / "index.md").write_text((root / "content" / "index.md").read_text(encoding="utf-8") + "\nNew.\n",
                                                encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "scripts.build", "--site"], cwd=root, env=build_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait("the MkDocs stage", lambda: any(p.name.startswith(".mkdocs-") for p in root.iterdir()), timeout=300, every=0.05)
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err and f"build interrupted ({signal.Signals(signum).name})" in err
    assert tree_hash(root / "docs", root / "site", root / "mkdocs.yml") == before
    assert not [p.name for p in root.iterdir() if p.name.startswith(("docs.", "site.", ".mkdocs-"))]
