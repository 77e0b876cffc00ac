"""Shared fixtures: one real build of the site per test session.

- ``built_site``: Path to the HTML site, built by the real pipeline
  (``python -m scripts.build`` then ``mkdocs build --strict``) into a session temp dir.
- ``offline_site``: Path to the unzipped offline bundle (``scripts/site/offline_bundle.py``:
  ``OFFLINE=true mkdocs build --strict`` + our search worker, zipped, then unzipped again).
- ``browser``: Playwright driving Debian's /usr/bin/chromium (one per session: Playwright's sync API
  allows only one instance at a time), and ``site_url``: the online build served on 127.0.0.1.

Tools that may be missing (Chromium, Java + vnu.jar) go through ``require_tool``: on a
developer machine the test is SKIPPED with a message saying how to install the tool; in CI
(env CI=true) it FAILS, so a broken CI image cannot pass silently.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
import functools
import http.server
import threading
from typing import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def in_ci() -> bool:
    """True in CI (CI=true/1/yes), where missing tools are failures, not skips."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_tool(ok: bool, what: str, how: str) -> None:
    """Skip (developer machine) or fail (CI) when a tool the test needs is missing."""
    if ok:
        return
    message = f"{what} is not available; install it with: {how}"
    if in_ci():
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _run(cmd: list[str], what: str) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("OFFLINE", None)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"{what} failed ({' '.join(cmd)}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}",
                    pytrace=False)


@pytest.fixture(scope="session")
def generated_docs() -> Path:
    """Run the pipeline once per session: sources -> docs/ (Markdown)."""
    _run([sys.executable, "-m", "scripts.build"], "the pipeline (python -m scripts.build)")
    return ROOT / "docs"


@pytest.fixture(scope="session")
def built_site(generated_docs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The online site, built with `mkdocs build --strict` into a session temp dir."""
    site = tmp_path_factory.mktemp("built") / "site"
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
         "mkdocs build --strict")
    from scripts.site.mkdocs_run import post_build

    post_build(site)            # what every build path does after MkDocs (one search result per note)
    return site


@pytest.fixture(scope="session")
def public_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public-web edition's docs/ (``generate(public=True)``), made once in a scratch copy of the
    inputs so that the checkout's own docs/ stays the classroom edition."""
    from scripts.pipeline import generate
    from tests.project_copy import scratch_paths

    root = tmp_path_factory.mktemp("public")
    generate(scratch_paths(root), public=True)
    return root / "docs"


@pytest.fixture(scope="session")
def offline_zip(generated_docs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline bundle zip, built by scripts/site/offline_bundle.py (pipeline already run)."""
    from scripts.site.offline_bundle import BundleError, build_bundle

    work = tmp_path_factory.mktemp("offline")
    try:
        return build_bundle(pipeline=False, build_dir=work / "build", dist=work / "dist")
    except BundleError as err:
        message = str(err)
    pytest.fail(f"offline bundle: {message}", pytrace=False)


@pytest.fixture(scope="session")
def offline_site(offline_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline bundle unzipped into a fresh folder (as a teacher would), its site root."""
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as zf:
        zf.extractall(target)
    roots = [p for p in target.iterdir() if p.is_dir()]
    assert len(roots) == 1, f"the zip should hold one top-level folder, found {roots}"
    return roots[0]


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of a built site (404.html included), sorted."""
    return sorted(site.rglob("*.html"))


# ---- browser fixtures ------------------------------------------------------------------------
CHROMIUM = os.environ.get("RFA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
INSTALL_HINT = "apt-get install chromium (Debian's package; never `playwright install`)"


@pytest.fixture(scope="session")
def browser() -> Iterator["object"]:
    """One headless Chromium for the whole session (Playwright Browser)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool(False, "the Python package playwright", "pip install -r requirements.txt")
    require_tool(Path(CHROMIUM).exists(), f"Chromium ({CHROMIUM})", INSTALL_HINT)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The online build served by python's http.server on 127.0.0.1 (a thread, random port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
